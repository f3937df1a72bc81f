// The only MLS file that talks to OpenSSL directly: X.509 parsing and chain
// validation have no place in the crypto provider's API.
#include "conclave/mls/credential_verifier.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <climits>
#include <cstring>
#include <ctime>
#include <limits>
#include <memory>
#include <utility>

namespace conclave::mls {
namespace {

// Longer chains are refused before any parsing (MLS-V-CRED-004).
constexpr size_t kMaxChainLength = 16;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

struct StackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), StackFree>;

struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, StoreCtxFree>;

// Exactly one DER certificate, no trailing bytes; nullptr otherwise.
X509Ptr parse_der(BytesView der) {
  if (der.empty() || der.size() > static_cast<size_t>(std::numeric_limits<long>::max())) {
    return nullptr;
  }
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size()) return nullptr;
  return cert;
}

// The curve NID of an EC key, NID_undef when unknown.
int ec_curve_nid(const EVP_PKEY* key) {
  char name[80] = {};
  size_t len = 0;
  if (EVP_PKEY_get_group_name(key, name, sizeof(name), &len) != 1) return NID_undef;
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(name);
  return nid;
}

// Whether the certificate's key is of `scheme` (type and curve).
bool key_matches_scheme(const EVP_PKEY* key, crypto::SignatureScheme scheme) {
  const int type = EVP_PKEY_get_base_id(key);
  switch (scheme) {
    case crypto::SignatureScheme::ed25519:
      return type == EVP_PKEY_ED25519;
    case crypto::SignatureScheme::ed448:
      return type == EVP_PKEY_ED448;
    case crypto::SignatureScheme::ecdsa_secp256r1_sha256:
      return type == EVP_PKEY_EC && ec_curve_nid(key) == NID_X9_62_prime256v1;
    case crypto::SignatureScheme::ecdsa_secp384r1_sha384:
      return type == EVP_PKEY_EC && ec_curve_nid(key) == NID_secp384r1;
    case crypto::SignatureScheme::ecdsa_secp521r1_sha512:
      return type == EVP_PKEY_EC && ec_curve_nid(key) == NID_secp521r1;
  }
  return false;
}

// Section 5.3: "The public key encoded in the subjectPublicKeyInfo of the
// end-entity certificate MUST be identical to the signature_key": the
// subjectPublicKey bits (raw EdDSA key, SEC1 point for ECDSA) byte for byte.
bool public_key_identical(X509* cert, BytesView signature_key) {
  const ASN1_BIT_STRING* bits = X509_get0_pubkey_bitstr(cert);
  if (bits == nullptr) return false;
  const int len = ASN1_STRING_length(bits);
  if (len < 0 || static_cast<size_t>(len) != signature_key.size()) return false;
  return len == 0 || std::memcmp(ASN1_STRING_get0_data(bits), signature_key.data(),
                                 signature_key.size()) == 0;
}

}  // namespace

// ------------------------------------------------------------- base class

Result<Bytes> presented_identity(const Credential& credential) {
  if (const auto* basic = std::get_if<BasicCredential>(&credential.content)) {
    return basic->identity;
  }
  const auto& x509 = std::get<X509Credential>(credential.content);
  if (x509.certificates.empty()) return Error(Errc::invalid_credential, "MLS-V-CRED-004");
  X509Ptr cert = parse_der(x509.certificates.front().cert_data);
  if (!cert) return Error(Errc::invalid_credential, "MLS-V-CRED-005");
  const X509_NAME* subject = X509_get_subject_name(cert.get());
  const int len = i2d_X509_NAME(subject, nullptr);
  if (len <= 0) return Error(Errc::invalid_credential, "MLS-V-CRED-005");
  Bytes out(static_cast<size_t>(len));
  unsigned char* p = out.data();
  if (i2d_X509_NAME(subject, &p) != len) return Error(Errc::invalid_credential, "MLS-V-CRED-005");
  return out;
}

Status CredentialVerifier::verify_successor(const Credential& previous,
                                            const Credential& next) const {
  if (previous.credential_type() != next.credential_type()) {
    return Error(Errc::invalid_credential, "MLS-V-CRED-009");
  }
  CV_TRY(Bytes before, presented_identity(previous));
  CV_TRY(Bytes after, presented_identity(next));
  if (before != after) return Error(Errc::invalid_credential, "MLS-V-CRED-009");
  return {};
}

// ------------------------------------------------------------------ basic

Status BasicCredentialVerifier::verify(const Credential& credential, BytesView /*signature_key*/,
                                       crypto::SignatureScheme /*scheme*/) const {
  const auto* basic = std::get_if<BasicCredential>(&credential.content);
  if (basic == nullptr) return Error(Errc::invalid_credential, "MLS-V-CRED-003");
  if (basic->identity.empty()) return Error(Errc::invalid_credential, "MLS-V-CRED-001");
  if (max_identity_size_ && basic->identity.size() > *max_identity_size_) {
    return Error(Errc::invalid_credential, "MLS-V-CRED-002");
  }
  return {};
}

// ------------------------------------------------------------------- x509

int64_t system_unix_time() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct X509CredentialVerifier::Anchors {
  explicit Anchors(X509_STORE* s) : store(s) {}
  ~Anchors() { X509_STORE_free(store); }
  Anchors(const Anchors&) = delete;
  Anchors& operator=(const Anchors&) = delete;
  X509_STORE* store;
};

X509CredentialVerifier::X509CredentialVerifier(std::shared_ptr<const Anchors> anchors,
                                               UnixTimeSource now)
    : anchors_(std::move(anchors)), now_(std::move(now)) {}

Result<X509CredentialVerifier> X509CredentialVerifier::create(
    const std::vector<Bytes>& trust_anchors, UnixTimeSource now) {
  if (trust_anchors.empty() || !now) return Error(Errc::invalid_argument, "trust anchors");
  X509_STORE* raw = X509_STORE_new();
  if (raw == nullptr) return Error(Errc::invalid_argument, "trust anchors");
  auto anchors = std::make_shared<const Anchors>(raw);
  for (const Bytes& der : trust_anchors) {
    X509Ptr cert = parse_der(der);
    // X509_STORE_add_cert takes its own reference.
    if (!cert || X509_STORE_add_cert(raw, cert.get()) != 1) {
      return Error(Errc::invalid_argument, "trust anchors");
    }
  }
  // Trust anchors may be intermediates: a chain ending at any of them is
  // complete.
  if (X509_STORE_set_flags(raw, X509_V_FLAG_PARTIAL_CHAIN) != 1) {
    return Error(Errc::invalid_argument, "trust anchors");
  }
  return X509CredentialVerifier(std::move(anchors), std::move(now));
}

Status X509CredentialVerifier::verify(const Credential& credential, BytesView signature_key,
                                      crypto::SignatureScheme scheme) const {
  const auto* x509 = std::get_if<X509Credential>(&credential.content);
  if (x509 == nullptr) return Error(Errc::invalid_credential, "MLS-V-CRED-003");
  const auto& certificates = x509->certificates;
  if (certificates.empty() || certificates.size() > kMaxChainLength) {
    return Error(Errc::invalid_credential, "MLS-V-CRED-004");
  }

  std::vector<X509Ptr> chain;
  chain.reserve(certificates.size());
  for (const Certificate& c : certificates) {
    X509Ptr cert = parse_der(c.cert_data);
    if (!cert) return Error(Errc::invalid_credential, "MLS-V-CRED-005");
    chain.push_back(std::move(cert));
  }
  // Section 5.3: certificates[0] is the end-entity certificate and each
  // following one issues the one before it. OpenSSL would find issuers in
  // any order; the RFC's order is checked here.
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    if (X509_check_issued(chain[i + 1].get(), chain[i].get()) != X509_V_OK) {
      return Error(Errc::invalid_credential, "MLS-V-CRED-006");
    }
  }

  X509StackPtr untrusted(sk_X509_new_null());
  if (!untrusted) return Error(Errc::invalid_credential, "MLS-V-CRED-007");
  for (size_t i = 1; i < chain.size(); ++i) {
    // The stack borrows: `chain` owns the certificates and outlives it.
    if (sk_X509_push(untrusted.get(), chain[i].get()) <= 0) {
      return Error(Errc::invalid_credential, "MLS-V-CRED-007");
    }
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), anchors_->store, chain[0].get(), untrusted.get()) != 1) {
    return Error(Errc::invalid_credential, "MLS-V-CRED-007");
  }
  const int64_t now = now_();
  if (now < static_cast<int64_t>(std::numeric_limits<time_t>::min()) ||
      now > static_cast<int64_t>(std::numeric_limits<time_t>::max())) {
    return Error(Errc::invalid_credential, "MLS-V-CRED-008");
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(now));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    if (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID ||
        err == X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD ||
        err == X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD) {
      return Error(Errc::invalid_credential, "MLS-V-CRED-008");
    }
    return Error(Errc::invalid_credential, "MLS-V-CRED-007");
  }

  const EVP_PKEY* key = X509_get0_pubkey(chain[0].get());
  if (key == nullptr || !key_matches_scheme(key, scheme) ||
      !public_key_identical(chain[0].get(), signature_key)) {
    return Error(Errc::invalid_credential, "MLS-V-CRED-010");
  }
  return {};
}

// -------------------------------------------------------------- composite

const CredentialVerifier* CompositeCredentialVerifier::for_type(CredentialType type) const {
  switch (type) {
    case CredentialType::basic:
      return basic_.get();
    case CredentialType::x509:
      return x509_.get();
    case CredentialType::reserved:
      break;
  }
  return nullptr;
}

Status CompositeCredentialVerifier::verify(const Credential& credential, BytesView signature_key,
                                           crypto::SignatureScheme scheme) const {
  const CredentialVerifier* v = for_type(credential.credential_type());
  if (v == nullptr) return Error(Errc::invalid_credential, "MLS-V-CRED-003");
  return v->verify(credential, signature_key, scheme);
}

Status CompositeCredentialVerifier::verify_successor(const Credential& previous,
                                                     const Credential& next) const {
  if (previous.credential_type() != next.credential_type()) {
    return Error(Errc::invalid_credential, "MLS-V-CRED-009");
  }
  const CredentialVerifier* v = for_type(next.credential_type());
  if (v == nullptr) return Error(Errc::invalid_credential, "MLS-V-CRED-003");
  return v->verify_successor(previous, next);
}

}  // namespace conclave::mls
