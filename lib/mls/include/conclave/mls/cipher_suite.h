// CipherSuite: the cryptography of one MLS cipher suite (RFC 9420 section 5)
// and the labelled helpers every other part of MLS is built from.
//
//   suite id ──> Hash / HMAC / HKDF (KDF.Nh)     ref_hash, make_*_ref
//            ├─> AEAD (Nk, Nn)                   expand_with_label, derive_secret,
//            ├─> HPKE (KEM, KDF, AEAD)            derive_tree_secret
//            └─> signature scheme                sign_with_label / verify_with_label
//                                                encrypt_with_label / decrypt_with_label
//
// Labels are given without the "MLS 1.0 " prefix, which the helpers add
// ("DeriveSecret", "FramedContentTBS", "UpdatePathNode"); ref_hash is the
// exception, its label is used verbatim, as in the RFC.
//
// The seven suites of RFC 9420 section 17.1 are supported:
//
//   id  KEM (HPKE)       AEAD               hash     signature
//   1   DHKEM(X25519)    AES-128-GCM        SHA-256  Ed25519
//   2   DHKEM(P-256)     AES-128-GCM        SHA-256  ECDSA P-256
//   3   DHKEM(X25519)    ChaCha20Poly1305   SHA-256  Ed25519
//   4   DHKEM(X448)      AES-256-GCM        SHA-512  Ed448
//   5   DHKEM(P-521)     AES-256-GCM        SHA-512  ECDSA P-521
//   6   DHKEM(X448)      ChaCha20Poly1305   SHA-512  Ed448
//   7   DHKEM(P-384)     AES-256-GCM        SHA-384  ECDSA P-384
//
// In all of them the KDF is HKDF over the suite's hash and the MAC is HMAC,
// so KDF.Nh = hash output size. A CipherSuite is a small value, cheap to
// copy; all methods are const and thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/aead.h"
#include "conclave/crypto/dh.h"
#include "conclave/crypto/hash.h"
#include "conclave/crypto/hpke.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/errc.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// An AEAD key and nonce (sender data, Welcome, secret-tree generations).
struct KeyAndNonce {
  SecretBytes key;    // AEAD.Nk bytes
  SecretBytes nonce;  // AEAD.Nn bytes
};

class CipherSuite {
 public:
  // Errc::unsupported_cipher_suite for anything but the seven suites.
  static Result<CipherSuite> create(CipherSuiteId id);
  static bool is_supported(CipherSuiteId id);

  CipherSuiteId id() const { return id_; }
  crypto::HashId hash_id() const { return hash_; }
  // KDF.Nh: the size of hashes, MACs and of the key-schedule secrets.
  size_t hash_size() const { return nh_; }
  crypto::AeadId aead_id() const { return aead_; }
  size_t key_size() const { return nk_; }    // AEAD.Nk
  size_t nonce_size() const { return nn_; }  // AEAD.Nn
  crypto::SignatureScheme signature_scheme() const { return scheme_; }
  const crypto::Hpke& hpke() const { return hpke_; }

  // ------------------------------------------------------------ primitives

  Bytes hash(BytesView data) const;
  // MAC(key, data): HMAC with the suite's hash.
  Bytes mac(BytesView key, BytesView data) const;
  // Recomputes the MAC and compares in constant time; Errc::mac_mismatch.
  Status verify_mac(BytesView key, BytesView data, BytesView tag) const;
  // KDF.Extract(salt, ikm); an empty salt means Nh zero bytes.
  SecretBytes extract(BytesView salt, BytesView ikm) const;
  // KDF.Expand; Errc::invalid_length when length > 255 * Nh.
  Result<SecretBytes> expand(BytesView prk, BytesView info, size_t length) const;

  // ----------------------------------------------- hash references (5.2)

  // Hash(RefHashInput{label, value}), the label taken verbatim.
  Bytes ref_hash(std::string_view label, BytesView value) const;
  // RefHash("MLS 1.0 KeyPackage Reference", encoded KeyPackage).
  KeyPackageRef make_key_package_ref(BytesView key_package) const;
  // RefHash("MLS 1.0 Proposal Reference", encoded AuthenticatedContent).
  ProposalRef make_proposal_ref(BytesView authenticated_content) const;

  // ------------------------------------------------ labelled KDF (8, 9.1)

  // KDF.Expand(secret, KDFLabel{length, "MLS 1.0 " + label, context},
  // length). Errc::invalid_length when length exceeds 65535 or 255 * Nh.
  Result<SecretBytes> expand_with_label(BytesView secret, std::string_view label, BytesView context,
                                        size_t length) const;
  // ExpandWithLabel(secret, label, "", Nh).
  Result<SecretBytes> derive_secret(BytesView secret, std::string_view label) const;
  // ExpandWithLabel(secret, label, generation as big-endian uint32, length).
  Result<SecretBytes> derive_tree_secret(BytesView secret, std::string_view label,
                                         uint32_t generation, size_t length) const;

  // ----------------------------------------------- signatures (5.1.2)

  // Signature.Sign(key, SignContent{"MLS 1.0 " + label, content}).
  Result<Bytes> sign_with_label(const crypto::SignaturePrivateKey& key, std::string_view label,
                                BytesView content) const;
  // Ok when `signature` is valid; crypto::Errc::verify_failed otherwise,
  // Errc::key_mismatch when the key is not of the suite's scheme.
  Status verify_with_label(const crypto::SignaturePublicKey& key, std::string_view label,
                           BytesView content, BytesView signature) const;
  // The same with the key as carried on the wire (SignaturePublicKey bytes).
  Status verify_with_label(BytesView public_key, std::string_view label, BytesView content,
                           BytesView signature) const;

  // ------------------------------------------ public-key encryption (5.1.3)

  // SealBase(pk, EncryptContext{"MLS 1.0 " + label, context}, "", pt):
  // .enc is the kem_output, .ct the ciphertext.
  Result<crypto::HpkeSealed> encrypt_with_label(const crypto::DhPublicKey& public_key,
                                                std::string_view label, BytesView context,
                                                BytesView plaintext) const;
  Result<crypto::HpkeSealed> encrypt_with_label(BytesView public_key, std::string_view label,
                                                BytesView context, BytesView plaintext) const;
  // OpenBase(kem_output, sk, EncryptContext, "", ciphertext).
  Result<Bytes> decrypt_with_label(const crypto::DhPrivateKey& private_key, std::string_view label,
                                   BytesView context, BytesView kem_output,
                                   BytesView ciphertext) const;

  // ------------------------------------------------------------------ keys

  Result<crypto::SignaturePrivateKey> generate_signature_key() const;
  // EdDSA seeds or ECDSA big-endian scalars (a scalar that lost leading zero
  // bytes, as some P-521 vectors carry, is accepted).
  Result<crypto::SignaturePrivateKey> import_signature_private_key(BytesView data) const;
  Result<crypto::SignaturePublicKey> import_signature_public_key(BytesView data) const;

  // HPKE key pairs of the suite's KEM group.
  Result<crypto::DhPrivateKey> generate_hpke_key_pair() const;
  // KEM.DeriveKeyPair(ikm): node keys from path secrets, external_priv.
  Result<crypto::DhPrivateKey> derive_hpke_key_pair(BytesView ikm) const;
  // SerializePrivateKey form; NIST-curve scalars shorter than Nsk are
  // left-padded with zeros first (P-521 keys of 65 bytes in some vectors).
  Result<crypto::DhPrivateKey> import_hpke_private_key(BytesView data) const;
  Result<crypto::DhPublicKey> import_hpke_public_key(BytesView data) const;

  friend bool operator==(const CipherSuite& a, const CipherSuite& b) { return a.id_ == b.id_; }

 private:
  CipherSuite(CipherSuiteId id, crypto::HashId hash, crypto::AeadId aead,
              crypto::SignatureScheme scheme, crypto::Hpke hpke);

  CipherSuiteId id_;
  crypto::HashId hash_;
  crypto::AeadId aead_;
  crypto::SignatureScheme scheme_;
  crypto::Hpke hpke_;
  size_t nh_;
  size_t nk_;
  size_t nn_;
};

}  // namespace conclave::mls
