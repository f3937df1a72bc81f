// Key derivation of RFC 9605: the per-KID key and salt (section 4.4.2),
// the nonce of a frame (section 4.4.3, with erratum EID 8321 applied), and
// the sender-key ratchet of section 5.1.
//
//   def derive_key_salt(KID, base_key):
//     sframe_secret = HKDF-Extract("", base_key)
//     sframe_key_label = "SFrame 1.0 Secret key " + KID + cipher_suite
//     sframe_key = HKDF-Expand(sframe_secret, sframe_key_label, AEAD.Nk)
//     sframe_salt_label = "SFrame 1.0 Secret salt " + KID + cipher_suite
//     sframe_salt = HKDF-Expand(sframe_secret, sframe_salt_label, AEAD.Nn)
//     return sframe_key, sframe_salt
//
// "The KID value is encoded as an 8-byte big-endian integer, not the
// compressed form used in the SFrame header." The cipher suite is 2 bytes
// big-endian, and HKDF uses the suite's hash.
//
// The intermediates are kept so that the vector checks compare them with
// the published values instead of re-deriving them.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#include "conclave/base/bytes.h"
#include "conclave/base/check.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/sframe/cipher_suite.h"

namespace conclave::sframe {

struct KeyDerivation {
  SecretBytes sframe_secret;  // Nh bytes
  SecretBytes sframe_key;     // Nk bytes
  SecretBytes sframe_salt;    // Nn bytes

  // Errc::invalid_key for an empty base_key.
  static Result<KeyDerivation> derive(const CipherSuite& suite, uint64_t kid, BytesView base_key);

  static Bytes key_label(const CipherSuite& suite, uint64_t kid);
  static Bytes salt_label(const CipherSuite& suite, uint64_t kid);
};

// nonce = sframe_salt XOR encode_big_endian(CTR, Nn). salt and nonce are
// both Nn bytes; nonce may alias salt. Inline: it runs once per frame.
inline void form_nonce(BytesView salt, uint64_t ctr, MutableBytesView nonce) {
  CV_CHECK(salt.size() == nonce.size() && nonce.size() >= 8);
  // Only the last 8 bytes of the Nn-byte big-endian CTR can be non-zero:
  // copy the first Nn - 8 salt bytes and XOR the CTR into the last 8.
  const size_t head = nonce.size() - 8;
  const uint8_t* in = salt.data();
  uint8_t* out = nonce.data();
  uint64_t low;
  std::memcpy(&low, in + head, 8);
  uint64_t ctr_be = ctr;
  if constexpr (std::endian::native == std::endian::little) ctr_be = __builtin_bswap64(ctr);
  low ^= ctr_be;
  for (size_t i = 0; i < head; ++i) out[i] = in[i];
  std::memcpy(out + head, &low, 8);
}

// The sender-key ratchet of section 5.1:
//   base_key[i+1] = HKDF-Expand(HKDF-Extract("", base_key[i]),
//                               "SFrame 1.0 Ratchet", CipherSuite.Nh)
Result<SecretBytes> ratchet_base_key(const CipherSuite& suite, BytesView base_key);

}  // namespace conclave::sframe
