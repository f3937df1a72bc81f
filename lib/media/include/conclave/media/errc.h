// Errors of the media library. Readers of files, decoders of encoded frames
// and the codec wrappers return one of these; each value names one reason an
// input or a call was refused.
#pragma once

#include <string_view>

namespace conclave::media {

enum class Errc {
  truncated = 1,       // input ends inside a header, chunk or frame
  invalid_header,      // a magic, tag or header field is malformed
  unsupported_format,  // well formed, but a format this library does not handle
  invalid_dimensions,  // zero, or beyond the frame-size limits
  too_large,           // a length or count beyond the configured limits
  invalid_argument,    // a value out of range or not matching the configuration
  codec_error,         // libvpx or libopus failed to initialise or to encode
  corrupt_frame,       // an encoded frame the decoder cannot decode
  key_frame_required,  // a delta frame before any key frame or after an error
  io_error,            // a file could not be opened, read or written
  closed,              // a writer was used after close()
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::media
