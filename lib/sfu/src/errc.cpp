#include "conclave/sfu/errc.h"

namespace conclave::sfu {

std::string_view error_domain(Errc) { return "sfu"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::invalid_argument: return "argument out of range";
    case Errc::unknown_transport: return "no such media transport";
    case Errc::duplicate_transport: return "media transport already exists";
    case Errc::unknown_track: return "no such track";
    case Errc::duplicate_ssrc: return "SSRC already used in the meeting";
    case Errc::transport_failed: return "media transport setup failed";
  }
  return "unknown sfu error";
}

}  // namespace conclave::sfu
