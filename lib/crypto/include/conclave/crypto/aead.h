// AEAD ciphers keyed by their HPKE code points (RFC 9180 section 7.3).
//
// An Aead holds one key and the cipher contexts prepared for it: the
// algorithm is fetched and the key scheduled once, and each seal or open
// only sets a new nonce. That matters at audio frame sizes, where building
// a context per call costs more than the encryption itself.
#pragma once

#include <cstddef>
#include <concepts>
#include <cstdint>
#include <memory>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/crypto/errc.h"

namespace conclave::crypto {

enum class AeadId : uint16_t {
  aes_128_gcm = 0x0001,
  aes_256_gcm = 0x0002,
  chacha20_poly1305 = 0x0003,
};

size_t aead_key_size(AeadId id);    // Nk
size_t aead_nonce_size(AeadId id);  // Nn (12 for all three)
size_t aead_tag_size(AeadId id);    // Nt (16 for all three)

// Additional data in up to two pieces, so that callers with a header and a
// separate metadata buffer need not concatenate them.
struct Aad {
  Aad() = default;
  template <class T>
    requires std::convertible_to<const T&, BytesView>
  Aad(const T& a) : first(a) {}  // NOLINT(google-explicit-constructor)
  Aad(BytesView a, BytesView b) : first(a), second(b) {}
  BytesView first;
  BytesView second;
};

class Aead {
 public:
  static Result<Aead> create(AeadId id, BytesView key);
  Aead(Aead&&) noexcept;
  Aead& operator=(Aead&&) noexcept;
  ~Aead();

  AeadId id() const { return id_; }

  // Writes ciphertext || tag (pt.size() + tag size bytes) to out and returns
  // the number of bytes written. out may alias pt exactly (in place).
  Result<size_t> seal(BytesView nonce, Aad aad, BytesView pt, MutableBytesView out) const;
  // Checks the tag of ct (ciphertext || tag) and writes the plaintext
  // (ct.size() - tag size bytes) to out. On a tag mismatch the plaintext
  // area of out is wiped: unauthenticated plaintext never reaches a caller.
  Result<size_t> open(BytesView nonce, Aad aad, BytesView ct, MutableBytesView out) const;

  // Allocating conveniences for cold paths.
  Result<Bytes> seal(BytesView nonce, Aad aad, BytesView pt) const;
  Result<Bytes> open(BytesView nonce, Aad aad, BytesView ct) const;

 private:
  struct Impl;
  Aead(AeadId id, std::unique_ptr<Impl> impl);
  AeadId id_;
  std::unique_ptr<Impl> impl_;
};

// AES in counter mode (SFrame's AES-CTR + HMAC suites). The key is 16 or 32
// bytes and scheduled once.
class AesCtr {
 public:
  static Result<AesCtr> create(BytesView key);
  AesCtr(AesCtr&&) noexcept;
  AesCtr& operator=(AesCtr&&) noexcept;
  ~AesCtr();

  // out = in XOR keystream starting at the 16-byte initial counter block.
  // out may alias in exactly.
  Status apply(BytesView counter_block, BytesView in, MutableBytesView out) const;

 private:
  struct Impl;
  explicit AesCtr(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::crypto
