// Errors of the SFrame layer (RFC 9605). Every reason a frame is refused
// has its own value, so the media path can count drops by reason.
#pragma once

#include <string_view>

namespace conclave::sframe {

enum class Errc {
  // Header (section 4.3).
  truncated_header = 1,   // fewer bytes than the config byte announces
  non_minimal_header,     // KID or CTR not in its shortest form
  // Keys and configuration.
  invalid_cipher_suite,   // not one of the registered suites 1-8
  invalid_key,            // a base_key or AEAD key of the wrong size
  duplicate_kid,          // add_key for a KID that already has a key
  unknown_kid,            // no key for the KID (the caller MAY retry later)
  wrong_key_usage,        // an encrypt-only key used to decrypt, or vice versa
  invalid_parameter,      // E/S bits, sender index or context out of range
  // Sending.
  counter_reuse,          // an explicit CTR <= the last one used for the KID
  counter_exhausted,      // the KID has used CTR 2^64-1; a new key is needed
  buffer_too_small,       // the caller's output buffer cannot hold the result
  // Receiving.
  ciphertext_too_short,   // shorter than header + tag
  authentication_failed,  // tag mismatch: altered header, metadata or payload
  replay,                 // CTR already seen, or older than the replay window
  // MLS key management (section 5.2).
  unknown_epoch,          // the KID's epoch bits match no epoch we hold
  epoch_expired,          // the epoch outlived its grace period
  stale_epoch,            // add_epoch with an epoch not newer than the current
  // Anything the crypto provider reported that is not an input error.
  crypto_failure,
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::sframe
