#include "conclave/sframe/errc.h"

namespace conclave::sframe {

std::string_view error_domain(Errc) { return "sframe"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::truncated_header:
      return "truncated SFrame header";
    case Errc::non_minimal_header:
      return "SFrame header value not minimally encoded";
    case Errc::invalid_cipher_suite:
      return "unknown SFrame cipher suite";
    case Errc::invalid_key:
      return "invalid key size";
    case Errc::duplicate_kid:
      return "a key is already installed for this KID";
    case Errc::unknown_kid:
      return "no key for this KID";
    case Errc::wrong_key_usage:
      return "key not usable for this direction";
    case Errc::invalid_parameter:
      return "parameter out of range";
    case Errc::counter_reuse:
      return "counter already used for this KID";
    case Errc::counter_exhausted:
      return "counter space exhausted for this KID";
    case Errc::buffer_too_small:
      return "output buffer too small";
    case Errc::ciphertext_too_short:
      return "ciphertext shorter than header and tag";
    case Errc::authentication_failed:
      return "authentication failed";
    case Errc::replay:
      return "replayed or too old counter";
    case Errc::unknown_epoch:
      return "no keys for this epoch";
    case Errc::epoch_expired:
      return "epoch past its grace period";
    case Errc::stale_epoch:
      return "epoch not newer than the current one";
    case Errc::crypto_failure:
      return "crypto provider failure";
  }
  return "unknown sframe error";
}

}  // namespace conclave::sframe
