// Errors of the TLS presentation-language codec (RFC 9420 section 2.1).
// Every one of them means "the bytes are malformed": the caller drops the
// message. None of them is raised for a bug of our own (those are CV_CHECKs).
#pragma once

#include <string_view>

namespace conclave::codec {

enum class Errc {
  truncated = 1,          // the input ends inside a fixed-size value
  non_minimal_varint,     // a varint longer than its value needs (0x4025 for 37)
  invalid_varint_prefix,  // a varint whose first two bits are 11
  length_too_large,       // a vector length over the reader's cap or the remaining input
  trailing_data,          // bytes left over after the value that should end the input
  invalid_optional,       // an optional<T> presence byte other than 0 or 1
  unknown_variant,        // a variant tag that names none of the alternatives
  invalid_value,          // a value outside its allowed set (enum hook, empty vector item)
  nesting_too_deep,       // more nested vectors/structs than the reader's depth limit
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::codec
