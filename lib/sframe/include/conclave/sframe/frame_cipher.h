// FrameCipher: the AEAD of an SFrame cipher suite, keyed once with an
// sframe_key and then used for any number of frames without allocating.
//
// GCM suites (4, 5) run AES-GCM from the crypto provider. The CTR suites
// (1-3, 6-8) are the compound AEAD of RFC 9605 section 4.5.1, encrypt-then-
// MAC with the key split as enc_key = key[..Nka], auth_key = key[Nka..]:
//
//   ct  = AES-CTR(enc_key, initial counter = nonce || 00000000, pt)
//   tag = HMAC(auth_key, BE64(len(aad)) || BE64(len(ct)) || BE64(Nt)
//                         || nonce || aad || ct)[..Nt]
//
// open() checks the tag in constant time before it decrypts anything.
#pragma once

#include <cstddef>
#include <optional>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/crypto/aead.h"
#include "conclave/crypto/hash.h"
#include "conclave/sframe/cipher_suite.h"
#include "conclave/sframe/errc.h"

namespace conclave::sframe {

class FrameCipher {
 public:
  // key must be exactly suite.nk bytes (Errc::invalid_key otherwise).
  static Result<FrameCipher> create(const CipherSuite& suite, BytesView key);

  const CipherSuite& suite() const { return *suite_; }
  size_t tag_size() const { return suite_->nt; }

  // AEAD.Encrypt: writes ciphertext || tag (pt.size() + Nt bytes) to out and
  // returns that size. nonce is Nn bytes; aad is the concatenation of its
  // two parts. out may alias pt exactly, but must not overlap it otherwise.
  Result<size_t> seal(BytesView nonce, crypto::Aad aad, BytesView pt, MutableBytesView out) const;

  // AEAD.Decrypt of ct = ciphertext || tag: writes ct.size() - Nt bytes of
  // plaintext to out and returns that size. On Errc::authentication_failed
  // out holds no plaintext (it is zeroed where the provider wrote into it).
  Result<size_t> open(BytesView nonce, crypto::Aad aad, BytesView ct, MutableBytesView out) const;

 private:
  FrameCipher(const CipherSuite& suite, std::optional<crypto::Aead> gcm,
              std::optional<crypto::AesCtr> ctr, std::optional<crypto::Hmac> hmac);

  // Tag of the CTR+HMAC construction, truncated to Nt, into tag.
  Status ctr_hmac_tag(BytesView nonce, crypto::Aad aad, BytesView ct, MutableBytesView tag) const;

  const CipherSuite* suite_;
  std::optional<crypto::Aead> gcm_;
  std::optional<crypto::AesCtr> ctr_;
  std::optional<crypto::Hmac> hmac_;
};

}  // namespace conclave::sframe
