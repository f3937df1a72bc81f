#include "conclave/mls/errc.h"

namespace conclave::mls {

std::string_view error_domain(Errc) {
  return "mls";
}

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::unsupported_cipher_suite:
      return "unsupported cipher suite";
    case Errc::invalid_length:
      return "requested length out of range";
    case Errc::invalid_argument:
      return "argument out of range";
    case Errc::key_mismatch:
      return "key of the wrong algorithm for the cipher suite";
    case Errc::mac_mismatch:
      return "MAC mismatch";
    case Errc::invalid_leaf_index:
      return "leaf index outside the tree";
    case Errc::generation_too_far:
      return "generation too far ahead of the ratchet";
    case Errc::generation_consumed:
      return "generation already consumed or expired";
    case Errc::generation_exhausted:
      return "sender ratchet exhausted";
  }
  return "unknown mls error";
}

}  // namespace conclave::mls
