// Errors of the crypto provider.
#pragma once

#include <string_view>

namespace conclave::crypto {

enum class Errc {
  unsupported = 1,      // algorithm or code point not implemented
  invalid_key,          // key bytes of the wrong size or not on the curve
  invalid_length,       // nonce, IV, output buffer or requested length wrong
  decrypt_failed,       // AEAD tag mismatch
  verify_failed,        // signature does not verify
  invalid_public_key,   // peer key rejected (wrong encoding, identity, ...)
  derive_failed,        // a DH result is all-zero or key derivation gave up
  backend_failure,      // OpenSSL reported an internal error
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::crypto
