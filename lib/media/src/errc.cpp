#include "conclave/media/errc.h"

namespace conclave::media {

std::string_view error_domain(Errc) {
  return "media";
}

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::truncated:
      return "truncated input";
    case Errc::invalid_header:
      return "malformed header";
    case Errc::unsupported_format:
      return "unsupported format";
    case Errc::invalid_dimensions:
      return "invalid frame dimensions";
    case Errc::too_large:
      return "size beyond the configured limit";
    case Errc::invalid_argument:
      return "argument out of range";
    case Errc::codec_error:
      return "codec failure";
    case Errc::corrupt_frame:
      return "corrupt encoded frame";
    case Errc::key_frame_required:
      return "waiting for a key frame";
    case Errc::io_error:
      return "input/output error";
    case Errc::closed:
      return "writer already closed";
  }
  return "unknown media error";
}

}  // namespace conclave::media
