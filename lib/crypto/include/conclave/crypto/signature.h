// Signatures keyed by their TLS SignatureScheme code points, as MLS cipher
// suites name them (RFC 9420 section 5.1). ECDSA signatures are DER-encoded;
// EdDSA private keys are the 32 or 57 byte seeds, ECDSA private keys
// big-endian scalars; public keys are raw (EdDSA) or uncompressed points.
#pragma once

#include <cstdint>
#include <memory>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/errc.h"

namespace conclave::crypto {

enum class SignatureScheme : uint16_t {
  ecdsa_secp256r1_sha256 = 0x0403,
  ecdsa_secp384r1_sha384 = 0x0503,
  ecdsa_secp521r1_sha512 = 0x0603,
  ed25519 = 0x0807,
  ed448 = 0x0808,
};

class SignaturePublicKey {
 public:
  struct Impl;
  SignatureScheme scheme() const { return scheme_; }
  const Bytes& bytes() const { return bytes_; }
  const Impl& impl() const { return *impl_; }
  SignaturePublicKey(SignatureScheme s, Bytes bytes, std::shared_ptr<const Impl> impl)
      : scheme_(s), bytes_(std::move(bytes)), impl_(std::move(impl)) {}

 private:
  SignatureScheme scheme_;
  Bytes bytes_;
  std::shared_ptr<const Impl> impl_;
};

class SignaturePrivateKey {
 public:
  struct Impl;
  SignatureScheme scheme() const { return scheme_; }
  const SignaturePublicKey& public_key() const { return public_; }
  const Impl& impl() const { return *impl_; }
  SignaturePrivateKey(SignatureScheme s, SignaturePublicKey pub,
                      std::shared_ptr<const Impl> impl)
      : scheme_(s), public_(std::move(pub)), impl_(std::move(impl)) {}

 private:
  SignatureScheme scheme_;
  SignaturePublicKey public_;
  std::shared_ptr<const Impl> impl_;
};

Result<SignaturePrivateKey> signature_generate(SignatureScheme s);
// ECDSA scalars shorter than the field size (a dropped leading zero, as in
// some MLS vectors for P-521) are left-padded before import.
Result<SignaturePrivateKey> signature_private_key_from_bytes(SignatureScheme s,
                                                             BytesView data);
SecretBytes signature_private_key_to_bytes(const SignaturePrivateKey& key);
Result<SignaturePublicKey> signature_public_key_from_bytes(SignatureScheme s,
                                                           BytesView data);

Result<Bytes> sign(const SignaturePrivateKey& key, BytesView message);
// Ok when the signature is valid, Errc::verify_failed otherwise.
Status verify(const SignaturePublicKey& key, BytesView message, BytesView signature);

}  // namespace conclave::crypto
