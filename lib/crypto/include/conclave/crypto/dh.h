// Diffie-Hellman groups used by the HPKE KEMs (RFC 9180 section 7.1).
//
// Keys are immutable values that are cheap to copy (shared ownership of the
// backend key). Encodings follow RFC 9180 section 7.1.1: uncompressed SEC1
// points and big-endian scalars for the NIST curves, raw RFC 7748 strings for
// X25519 and X448.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/errc.h"

namespace conclave::crypto {

enum class DhGroup : uint8_t { p256, p384, p521, x25519, x448 };

size_t dh_public_key_size(DhGroup g);   // Npk: 65, 97, 133, 32, 56
size_t dh_private_key_size(DhGroup g);  // Nsk: 32, 48, 66, 32, 56
size_t dh_secret_size(DhGroup g);       // Ndh: 32, 48, 66, 32, 56

class DhPublicKey {
 public:
  struct Impl;
  DhGroup group() const { return group_; }
  // The encoded key (SerializePublicKey).
  const Bytes& bytes() const { return bytes_; }
  const Impl& impl() const { return *impl_; }
  DhPublicKey(DhGroup g, Bytes bytes, std::shared_ptr<const Impl> impl)
      : group_(g), bytes_(std::move(bytes)), impl_(std::move(impl)) {}

 private:
  DhGroup group_;
  Bytes bytes_;
  std::shared_ptr<const Impl> impl_;
};

class DhPrivateKey {
 public:
  struct Impl;
  DhGroup group() const { return group_; }
  const DhPublicKey& public_key() const { return public_; }
  const Impl& impl() const { return *impl_; }
  DhPrivateKey(DhGroup g, DhPublicKey pub, std::shared_ptr<const Impl> impl)
      : group_(g), public_(std::move(pub)), impl_(std::move(impl)) {}

 private:
  DhGroup group_;
  DhPublicKey public_;
  std::shared_ptr<const Impl> impl_;
};

Result<DhPrivateKey> dh_generate(DhGroup g);
// DeserializePrivateKey: for the NIST curves a big-endian scalar of exactly
// Nsk bytes that must lie in [1, order-1] (HPKE's DeriveKeyPair relies on
// that rejection); for X25519/X448 the raw Nsk-byte string.
Result<DhPrivateKey> dh_private_key_from_bytes(DhGroup g, BytesView data);
SecretBytes dh_private_key_to_bytes(const DhPrivateKey& key);
// DeserializePublicKey: rejects points not on the curve and wrong sizes.
Result<DhPublicKey> dh_public_key_from_bytes(DhGroup g, BytesView data);
// DH(sk, pk): the shared secret (the x-coordinate for NIST curves). Fails
// on an all-zero X25519/X448 result.
Result<SecretBytes> dh(const DhPrivateKey& sk, const DhPublicKey& pk);

}  // namespace conclave::crypto
