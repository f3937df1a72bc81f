#include "conclave/rtp/errc.h"

namespace conclave::rtp {

std::string_view error_domain(Errc) { return "rtp"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::truncated:
      return "truncated input";
    case Errc::invalid_version:
      return "version is not 2";
    case Errc::invalid_padding:
      return "invalid padding";
    case Errc::invalid_extension:
      return "malformed header extension";
    case Errc::invalid_length:
      return "length field inconsistent with content";
    case Errc::invalid_value:
      return "field value not allowed";
    case Errc::missing_dependency_structure:
      return "no dependency structure for this descriptor";
    case Errc::unknown_template:
      return "dependency template id outside the structure";
    case Errc::invalid_argument:
      return "argument out of range";
  }
  return "unknown rtp error";
}

}  // namespace conclave::rtp
