// Errors of the RTP layer. Parsers of packets, header extensions, RTCP and
// payload descriptors return one of these; every value names one reason a
// hostile or broken input was refused.
#pragma once

#include <string_view>

namespace conclave::rtp {

enum class Errc {
  truncated = 1,                 // fewer bytes than a field or length announces
  invalid_version,               // RTP/RTCP version field is not 2
  invalid_padding,               // padding count zero or larger than the packet
  invalid_extension,             // malformed RFC 8285 header extension block or element
  invalid_length,                // a length field inconsistent with its content
  invalid_value,                 // a field holds a value its format forbids
  missing_dependency_structure,  // a dependency descriptor needs a structure we do not have
  unknown_template,              // frame_dependency_template_id outside the structure
  invalid_argument,              // a builder or serializer was given out-of-range input
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::rtp
