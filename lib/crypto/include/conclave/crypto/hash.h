// Hash functions, HMAC and HKDF (RFC 5869) keyed by the hash.
#pragma once

#include <cstddef>
#include <memory>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/errc.h"

namespace conclave::crypto {

// sha1 exists only for protocols that mandate it (STUN MESSAGE-INTEGRITY,
// RFC 8489 section 14.5); never use it for anything new.
enum class HashId : uint8_t { sha256, sha384, sha512, sha1 };

// Output length in bytes: 32, 48, 64 (sha1: 20).
size_t hash_size(HashId id);

Bytes hash(HashId id, BytesView data);

// HMAC with one key, keyed once. compute() may be called any number of
// times; it reuses the prepared context (OpenSSL 3.0 still makes two small
// internal allocations per MAC when it resets its digest state; the
// alternatives measured slower: see docs/performance.md).
class Hmac {
 public:
  static Result<Hmac> create(HashId id, BytesView key);
  Hmac(Hmac&&) noexcept;
  Hmac& operator=(Hmac&&) noexcept;
  ~Hmac();

  size_t size() const;
  // MAC over the concatenation of `parts`, written to out (size() bytes).
  Status compute(std::initializer_list<BytesView> parts, MutableBytesView out) const;

 private:
  struct Impl;
  explicit Hmac(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One-shot HMAC.
Bytes hmac(HashId id, BytesView key, BytesView data);

// HKDF-Extract(salt, ikm) = HMAC-Hash(salt, ikm); an empty salt means Nh
// zero bytes, as RFC 5869 says.
SecretBytes hkdf_extract(HashId id, BytesView salt, BytesView ikm);

// HKDF-Expand(prk, info, length); fails when length > 255 * Nh.
Result<SecretBytes> hkdf_expand(HashId id, BytesView prk, BytesView info, size_t length);

}  // namespace conclave::crypto
