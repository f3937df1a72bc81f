#include "conclave/crypto/errc.h"

namespace conclave::crypto {

std::string_view error_domain(Errc) { return "crypto"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::unsupported:
      return "algorithm not supported";
    case Errc::invalid_key:
      return "invalid key";
    case Errc::invalid_length:
      return "invalid length";
    case Errc::decrypt_failed:
      return "decryption failed";
    case Errc::verify_failed:
      return "signature verification failed";
    case Errc::invalid_public_key:
      return "invalid public key";
    case Errc::derive_failed:
      return "key derivation failed";
    case Errc::backend_failure:
      return "crypto backend failure";
  }
  return "unknown crypto error";
}

}  // namespace conclave::crypto
