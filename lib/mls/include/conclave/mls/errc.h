// Errors of the MLS layer (domain "mls"). Malformed bytes are codec::Errc
// values and failures inside the crypto provider pass through as
// crypto::Errc / crypto::HpkeErrc; these codes name what MLS itself refuses.
// Validation rules with a stable ID (docs/mls-validation-rules.md) pass the
// ID as the Error detail: Error(Errc::generation_too_far, "MLS-V-ST-002").
//
// Append new codes at the end (values are stable) and give each a message
// in errc.cpp.
#pragma once

#include <string_view>

namespace conclave::mls {

enum class Errc {
  unsupported_cipher_suite = 1,  // a CipherSuite code point we do not implement
  invalid_length,                // a requested output length the KDF cannot give
  invalid_argument,              // a parameter outside its range (tree size, PSK count)
  key_mismatch,                  // a key of another algorithm than the suite's
  mac_mismatch,                  // a MAC (confirmation tag, membership tag) differs
  invalid_leaf_index,            // a leaf index outside the tree
  generation_too_far,            // a generation beyond the secret tree's forward window
  generation_consumed,           // a generation already used, or deleted as too old
  generation_exhausted,          // a sender ratchet reached 2^32 generations
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::mls
