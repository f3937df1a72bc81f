// CredentialVerifier: the Authentication Service hook of RFC 9420 section
// 5.3.1 ("the application determines whether the credential is valid").
//
// MLS calls verify() whenever a credential enters the group (a KeyPackage
// to be added, an Add, an Update or UpdatePath leaf with a new credential,
// the tree of a group being joined) and verify_successor() when a member
// replaces its own credential (Update, Commit). Implementations:
//
//   BasicCredentialVerifier      basic credentials with a non-empty identity
//                                (optionally bounded); refuses x509
//   X509CredentialVerifier       x509 chains (end-entity first) up to one of
//                                its DER trust anchors at a given Unix time,
//                                end-entity key == the leaf's signature_key
//   CompositeCredentialVerifier  dispatch by credential_type
//
// Every refusal is Errc::invalid_credential with a stable rule ID
// (MLS-V-CRED-xxx, docs/mls-validation-rules.md) as the Error detail. No
// input, however malformed, throws or aborts. Verifiers are immutable after
// construction and safe to share between threads.
//
//   auto x509 = X509CredentialVerifier::create({root_der}, system_unix_time);
//   Status st = x509.value().verify(leaf.credential, leaf.signature_key,
//                                   suite.signature_scheme());
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/credential.h"
#include "conclave/mls/errc.h"

namespace conclave::mls {

class CredentialVerifier {
 public:
  virtual ~CredentialVerifier() = default;

  // Ok when `credential` legitimately binds its presented identity to
  // `signature_key` (the LeafNode / ExternalSender wire form) of `scheme`.
  virtual Status verify(const Credential& credential, BytesView signature_key,
                        crypto::SignatureScheme scheme) const = 0;

  // Section 5.3.1: when a member replaces `previous` with `next`, the new
  // presented identity must be a valid successor of the old one. The
  // default requires the same credential type and the same presented
  // identity (basic: the identity bytes; x509: the DER subject name of the
  // end-entity certificate). MLS-V-CRED-009.
  virtual Status verify_successor(const Credential& previous, const Credential& next) const;
};

// The presented identity compared by the default verify_successor: the
// basic identity, or the DER subject of the end-entity certificate.
// MLS-V-CRED-004 (empty chain) / MLS-V-CRED-005 (malformed DER).
Result<Bytes> presented_identity(const Credential& credential);

class BasicCredentialVerifier final : public CredentialVerifier {
 public:
  // max_identity_size: refuse longer identities (nullopt: no limit).
  explicit BasicCredentialVerifier(std::optional<size_t> max_identity_size = std::nullopt)
      : max_identity_size_(max_identity_size) {}

  // MLS-V-CRED-001 (empty identity), -002 (identity too long),
  // -003 (not a basic credential).
  Status verify(const Credential& credential, BytesView signature_key,
                crypto::SignatureScheme scheme) const override;

 private:
  std::optional<size_t> max_identity_size_;
};

// The current time in seconds since the Unix epoch.
using UnixTimeSource = std::function<int64_t()>;
// The system's wall clock (std::chrono::system_clock).
int64_t system_unix_time();

class X509CredentialVerifier final : public CredentialVerifier {
 public:
  // trust_anchors: DER certificates (roots or pinned intermediates).
  // Errc::invalid_argument when none is given or one does not parse.
  static Result<X509CredentialVerifier> create(const std::vector<Bytes>& trust_anchors,
                                               UnixTimeSource now);

  // MLS-V-CRED-003 (not x509), -004 (empty chain), -005 (a certificate is
  // not one well-formed DER X.509 certificate), -006 (the chain is not in
  // order: certificates[i+1] must be the issuer of certificates[i] by name,
  // key identifier and key usage), -007 (the chain
  // does not verify up to a trust anchor), -008 (a certificate expired or
  // not yet valid at now()), -010 (the end-entity key is not of `scheme` or
  // differs from signature_key). No purpose or name checks: reference
  // identifiers are the application's.
  Status verify(const Credential& credential, BytesView signature_key,
                crypto::SignatureScheme scheme) const override;

 private:
  struct Anchors;
  X509CredentialVerifier(std::shared_ptr<const Anchors> anchors, UnixTimeSource now);

  std::shared_ptr<const Anchors> anchors_;
  UnixTimeSource now_;
};

// Dispatches by credential_type to the verifier registered for it;
// MLS-V-CRED-003 for a type without one. verify_successor uses the
// verifier of the new credential's type when both types are equal, and
// refuses a change of type (MLS-V-CRED-009).
class CompositeCredentialVerifier final : public CredentialVerifier {
 public:
  CompositeCredentialVerifier(std::shared_ptr<const CredentialVerifier> basic,
                              std::shared_ptr<const CredentialVerifier> x509)
      : basic_(std::move(basic)), x509_(std::move(x509)) {}

  Status verify(const Credential& credential, BytesView signature_key,
                crypto::SignatureScheme scheme) const override;
  Status verify_successor(const Credential& previous, const Credential& next) const override;

 private:
  const CredentialVerifier* for_type(CredentialType type) const;

  std::shared_ptr<const CredentialVerifier> basic_;
  std::shared_ptr<const CredentialVerifier> x509_;
};

}  // namespace conclave::mls
