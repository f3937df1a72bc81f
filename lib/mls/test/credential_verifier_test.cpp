// CredentialVerifier: basic identities, X.509 chains built here with
// OpenSSL (root -> intermediate -> end entity, Ed25519 and P-256), every
// refusal rule MLS-V-CRED-001..010, successor checks and the composite.
#include "conclave/mls/credential_verifier.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "conclave/mls/cipher_suite.h"

namespace conclave::mls {
namespace {

using crypto::SignatureScheme;

constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kDay = 86'400;

void expect_rule(const Status& st, std::string_view rule) {
  ASSERT_FALSE(st.ok()) << "expected " << rule;
  EXPECT_TRUE(st.error().is(Errc::invalid_credential)) << st.error().to_string();
  EXPECT_EQ(st.error().detail(), rule);
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

// A key of the scheme under test ("ED25519" or P-256).
PkeyPtr make_key(SignatureScheme scheme) {
  if (scheme == SignatureScheme::ed25519) return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

// The key as MLS carries it in LeafNode.signature_key: the raw EdDSA key,
// or the uncompressed SEC1 point.
Bytes wire_key(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
    size_t len = 0;
    EXPECT_EQ(EVP_PKEY_get_raw_public_key(key, nullptr, &len), 1);
    Bytes out(len);
    EXPECT_EQ(EVP_PKEY_get_raw_public_key(key, out.data(), &len), 1);
    return out;
  }
  size_t len = 0;
  EXPECT_EQ(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0,
                                            &len),
            1);
  Bytes out(len);
  EXPECT_EQ(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.data(),
                                            out.size(), &len),
            1);
  return out;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  ASSERT_NE(ext, nullptr);
  ASSERT_EQ(X509_add_ext(cert, ext, -1), 1);
  X509_EXTENSION_free(ext);
}

struct CertSpec {
  std::string cn;
  bool ca = false;
  int64_t not_before = kNow - kDay;
  int64_t not_after = kNow + 365 * kDay;
};

// A certificate for `key`, signed by issuer_key (self-signed when issuer
// is null).
X509Ptr make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  static long serial = 1;
  X509Ptr cert(X509_new());
  EXPECT_TRUE(cert);
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(spec.not_after));
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(),
                       issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  add_extension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature");
  }
  EVP_PKEY* signer = issuer_key != nullptr ? issuer_key : key;
  const EVP_MD* md = EVP_PKEY_get_base_id(signer) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  EXPECT_GT(X509_sign(cert.get(), signer, md), 0);
  return cert;
}

Bytes der(X509* cert) {
  const int len = i2d_X509(cert, nullptr);
  EXPECT_GT(len, 0);
  Bytes out(static_cast<size_t>(len));
  unsigned char* p = out.data();
  EXPECT_EQ(i2d_X509(cert, &p), len);
  return out;
}

Credential x509_of(std::initializer_list<Bytes> chain) {
  X509Credential c;
  for (const Bytes& b : chain) c.certificates.push_back(Certificate{b});
  return Credential{c};
}

// root -> intermediate -> leaf, all keys of one scheme.
struct Pki {
  explicit Pki(SignatureScheme s, const CertSpec& leaf_spec = {"alice"}) : scheme(s) {
    root_key = make_key(s);
    intermediate_key = make_key(s);
    leaf_key = make_key(s);
    root = make_cert({"Root CA", true}, root_key.get(), nullptr, nullptr);
    intermediate = make_cert({"Intermediate CA", true}, intermediate_key.get(), root.get(),
                             root_key.get());
    leaf = make_cert(leaf_spec, leaf_key.get(), intermediate.get(), intermediate_key.get());
  }
  Credential credential() const { return x509_of({der(leaf.get()), der(intermediate.get())}); }
  Bytes signature_key() const { return wire_key(leaf_key.get()); }
  X509CredentialVerifier verifier(int64_t now = kNow) const {
    return X509CredentialVerifier::create({der(root.get())}, [now] { return now; }).value();
  }

  SignatureScheme scheme;
  PkeyPtr root_key, intermediate_key, leaf_key;
  X509Ptr root, intermediate, leaf;
};

// ------------------------------------------------------------------ basic

TEST(CredentialVerifierBasic, AcceptsANonEmptyIdentity) {
  const BasicCredentialVerifier v;
  EXPECT_TRUE(v.verify(Credential::basic(to_bytes("alice")), {}, SignatureScheme::ed25519).ok());
}

TEST(CredentialVerifierBasic, RefusesAnEmptyIdentity) {
  const BasicCredentialVerifier v;
  expect_rule(v.verify(Credential::basic({}), {}, SignatureScheme::ed25519), "MLS-V-CRED-001");
}

TEST(CredentialVerifierBasic, RefusesAnIdentityOverTheLimit) {
  const BasicCredentialVerifier v(5);
  EXPECT_TRUE(v.verify(Credential::basic(to_bytes("alice")), {}, SignatureScheme::ed25519).ok());
  expect_rule(v.verify(Credential::basic(to_bytes("alice!")), {}, SignatureScheme::ed25519),
              "MLS-V-CRED-002");
}

TEST(CredentialVerifierBasic, RefusesX509) {
  const Pki pki(SignatureScheme::ed25519);
  const BasicCredentialVerifier v;
  expect_rule(v.verify(pki.credential(), pki.signature_key(), pki.scheme), "MLS-V-CRED-003");
}

// ------------------------------------------------------------------- x509

class CredentialVerifierX509 : public ::testing::TestWithParam<SignatureScheme> {};

INSTANTIATE_TEST_SUITE_P(Schemes, CredentialVerifierX509,
                         ::testing::Values(SignatureScheme::ed25519,
                                           SignatureScheme::ecdsa_secp256r1_sha256),
                         [](const ::testing::TestParamInfo<SignatureScheme>& p) {
                           return p.param == SignatureScheme::ed25519 ? "Ed25519" : "P256";
                         });

TEST_P(CredentialVerifierX509, AcceptsAValidChain) {
  const Pki pki(GetParam());
  EXPECT_TRUE(pki.verifier().verify(pki.credential(), pki.signature_key(), pki.scheme).ok());
  // The chain may also carry the root itself.
  const Credential with_root =
      x509_of({der(pki.leaf.get()), der(pki.intermediate.get()), der(pki.root.get())});
  EXPECT_TRUE(pki.verifier().verify(with_root, pki.signature_key(), pki.scheme).ok());
}

TEST_P(CredentialVerifierX509, SignatureKeyIsTheMlsWireForm) {
  // The key compared is the one MLS uses: the suite's import accepts it.
  const Pki pki(GetParam());
  const auto suite =
      CipherSuite::create(GetParam() == SignatureScheme::ed25519
                              ? CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519
                              : CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256)
          .value();
  EXPECT_TRUE(suite.import_signature_public_key(pki.signature_key()).ok());
  EXPECT_TRUE(pki.verifier().verify(pki.credential(), pki.signature_key(), suite.signature_scheme())
                  .ok());
}

TEST_P(CredentialVerifierX509, IntermediateMayBeTheTrustAnchor) {
  const Pki pki(GetParam());
  auto v = X509CredentialVerifier::create({der(pki.intermediate.get())}, [] { return kNow; });
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v.value()
                  .verify(x509_of({der(pki.leaf.get())}), pki.signature_key(), pki.scheme)
                  .ok());
}

TEST_P(CredentialVerifierX509, RefusesAnUntrustedRoot) {
  const Pki pki(GetParam());
  const Pki other(GetParam());
  expect_rule(other.verifier().verify(pki.credential(), pki.signature_key(), pki.scheme),
              "MLS-V-CRED-007");
  // A self-signed root the verifier does not know, carried in the chain.
  const Credential with_root =
      x509_of({der(pki.leaf.get()), der(pki.intermediate.get()), der(pki.root.get())});
  expect_rule(other.verifier().verify(with_root, pki.signature_key(), pki.scheme),
              "MLS-V-CRED-007");
}

TEST_P(CredentialVerifierX509, RefusesAMissingIntermediate) {
  const Pki pki(GetParam());
  expect_rule(pki.verifier().verify(x509_of({der(pki.leaf.get())}), pki.signature_key(), pki.scheme),
              "MLS-V-CRED-007");
}

TEST_P(CredentialVerifierX509, RefusesAnIssuerThatIsNotACa) {
  const Pki pki(GetParam());
  // A leaf issued by the (non-CA) end-entity certificate: in the right
  // order, but its key usage does not allow it to issue.
  auto key = make_key(GetParam());
  X509Ptr sub = make_cert({"mallory"}, key.get(), pki.leaf.get(), pki.leaf_key.get());
  const Credential c =
      x509_of({der(sub.get()), der(pki.leaf.get()), der(pki.intermediate.get())});
  expect_rule(pki.verifier().verify(c, wire_key(key.get()), pki.scheme), "MLS-V-CRED-006");
}

TEST_P(CredentialVerifierX509, RefusesAnExpiredCertificate) {
  const Pki pki(GetParam(), {"alice", false, kNow - 2 * kDay, kNow - kDay});
  expect_rule(pki.verifier().verify(pki.credential(), pki.signature_key(), pki.scheme),
              "MLS-V-CRED-008");
}

TEST_P(CredentialVerifierX509, RefusesACertificateNotYetValid) {
  const Pki pki(GetParam(), {"alice", false, kNow + kDay, kNow + 2 * kDay});
  expect_rule(pki.verifier().verify(pki.credential(), pki.signature_key(), pki.scheme),
              "MLS-V-CRED-008");
}

TEST_P(CredentialVerifierX509, ChecksValidityAtTheTimeSourcesTime) {
  const Pki pki(GetParam());
  int64_t now = kNow;
  auto v = X509CredentialVerifier::create({der(pki.root.get())}, [&now] { return now; }).value();
  EXPECT_TRUE(v.verify(pki.credential(), pki.signature_key(), pki.scheme).ok());
  now = kNow + 400 * kDay;
  expect_rule(v.verify(pki.credential(), pki.signature_key(), pki.scheme), "MLS-V-CRED-008");
  now = kNow - 2 * kDay;
  expect_rule(v.verify(pki.credential(), pki.signature_key(), pki.scheme), "MLS-V-CRED-008");
}

TEST_P(CredentialVerifierX509, RefusesAnotherSignatureKey) {
  const Pki pki(GetParam());
  auto other = make_key(GetParam());
  expect_rule(pki.verifier().verify(pki.credential(), wire_key(other.get()), pki.scheme),
              "MLS-V-CRED-010");
  // The intermediate's key is in the chain, but is not the end entity's.
  expect_rule(
      pki.verifier().verify(pki.credential(), wire_key(pki.intermediate_key.get()), pki.scheme),
      "MLS-V-CRED-010");
  Bytes truncated = pki.signature_key();
  truncated.pop_back();
  expect_rule(pki.verifier().verify(pki.credential(), truncated, pki.scheme), "MLS-V-CRED-010");
  expect_rule(pki.verifier().verify(pki.credential(), {}, pki.scheme), "MLS-V-CRED-010");
}

TEST_P(CredentialVerifierX509, RefusesAKeyOfAnotherScheme) {
  const Pki pki(GetParam());
  const SignatureScheme other = GetParam() == SignatureScheme::ed25519
                                    ? SignatureScheme::ecdsa_secp256r1_sha256
                                    : SignatureScheme::ed25519;
  expect_rule(pki.verifier().verify(pki.credential(), pki.signature_key(), other),
              "MLS-V-CRED-010");
  if (GetParam() == SignatureScheme::ecdsa_secp256r1_sha256) {
    expect_rule(pki.verifier().verify(pki.credential(), pki.signature_key(),
                                      SignatureScheme::ecdsa_secp384r1_sha384),
                "MLS-V-CRED-010");
  }
}

TEST_P(CredentialVerifierX509, RefusesGarbageDer) {
  const Pki pki(GetParam());
  const auto v = pki.verifier();
  expect_rule(v.verify(x509_of({to_bytes("not a certificate")}), pki.signature_key(), pki.scheme),
              "MLS-V-CRED-005");
  expect_rule(v.verify(x509_of({Bytes{}}), pki.signature_key(), pki.scheme), "MLS-V-CRED-005");
  // A valid certificate with a trailing byte, and one cut short.
  Bytes trailing = der(pki.leaf.get());
  trailing.push_back(0);
  expect_rule(v.verify(x509_of({trailing, der(pki.intermediate.get())}), pki.signature_key(),
                       pki.scheme),
              "MLS-V-CRED-005");
  Bytes cut = der(pki.leaf.get());
  cut.resize(cut.size() / 2);
  expect_rule(v.verify(x509_of({cut, der(pki.intermediate.get())}), pki.signature_key(),
                       pki.scheme),
              "MLS-V-CRED-005");
  // A good end entity followed by garbage.
  expect_rule(v.verify(x509_of({der(pki.leaf.get()), Bytes{0x30, 0x00}}), pki.signature_key(),
                       pki.scheme),
              "MLS-V-CRED-005");
}

TEST_P(CredentialVerifierX509, RefusesAnEmptyOrOverlongChain) {
  const Pki pki(GetParam());
  expect_rule(pki.verifier().verify(Credential{X509Credential{}}, pki.signature_key(), pki.scheme),
              "MLS-V-CRED-004");
  X509Credential longer;
  for (int i = 0; i < 17; ++i) longer.certificates.push_back(Certificate{der(pki.leaf.get())});
  expect_rule(pki.verifier().verify(Credential{longer}, pki.signature_key(), pki.scheme),
              "MLS-V-CRED-004");
}

TEST_P(CredentialVerifierX509, RefusesAChainOutOfOrder) {
  const Pki pki(GetParam());
  // OpenSSL alone would find the issuer anyway; the RFC fixes the order.
  const Credential swapped = x509_of({der(pki.intermediate.get()), der(pki.leaf.get())});
  expect_rule(pki.verifier().verify(swapped, pki.signature_key(), pki.scheme), "MLS-V-CRED-006");
  const Credential root_in_middle =
      x509_of({der(pki.leaf.get()), der(pki.root.get()), der(pki.intermediate.get())});
  expect_rule(pki.verifier().verify(root_in_middle, pki.signature_key(), pki.scheme),
              "MLS-V-CRED-006");
}

TEST_P(CredentialVerifierX509, RefusesBasicCredentials) {
  const Pki pki(GetParam());
  expect_rule(pki.verifier().verify(Credential::basic(to_bytes("alice")), pki.signature_key(),
                                    pki.scheme),
              "MLS-V-CRED-003");
}

TEST_P(CredentialVerifierX509, RandomBytesNeverCrash) {
  const Pki pki(GetParam());
  const auto v = pki.verifier();
  const Bytes good = der(pki.leaf.get());
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    Bytes b = good;
    // Flip a few bytes of a real certificate, or use random bytes.
    if (i % 2 == 0) {
      for (int k = 0; k < 3; ++k) b[rng() % b.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    } else {
      b.resize(rng() % 64);
      for (auto& x : b) x = static_cast<uint8_t>(rng());
    }
    const Status st =
        v.verify(x509_of({b, der(pki.intermediate.get())}), pki.signature_key(), pki.scheme);
    if (b != good) {
      EXPECT_FALSE(st.ok()) << i;
    }
  }
}

TEST(CredentialVerifierX509Create, RefusesBadTrustAnchors) {
  EXPECT_FALSE(X509CredentialVerifier::create({}, [] { return kNow; }).ok());
  EXPECT_FALSE(X509CredentialVerifier::create({to_bytes("junk")}, [] { return kNow; }).ok());
  const Pki pki(SignatureScheme::ed25519);
  EXPECT_FALSE(X509CredentialVerifier::create({der(pki.root.get())}, nullptr).ok());
}

TEST(CredentialVerifierX509Create, SystemTimeIsNow) {
  // 2023-11-14 < now < 2200-01-01.
  EXPECT_GT(system_unix_time(), kNow);
  EXPECT_LT(system_unix_time(), int64_t{7'258'118'400});
}

// ------------------------------------------------------------- successors

TEST(CredentialVerifierSuccessor, BasicNeedsTheSameIdentity) {
  const BasicCredentialVerifier v;
  EXPECT_TRUE(
      v.verify_successor(Credential::basic(to_bytes("a")), Credential::basic(to_bytes("a"))).ok());
  expect_rule(
      v.verify_successor(Credential::basic(to_bytes("a")), Credential::basic(to_bytes("b"))),
      "MLS-V-CRED-009");
}

TEST(CredentialVerifierSuccessor, X509NeedsTheSameSubject) {
  const Pki pki(SignatureScheme::ed25519);
  const auto v = pki.verifier();
  // A new key certified for the same subject is a valid successor.
  auto key2 = make_key(SignatureScheme::ed25519);
  X509Ptr same = make_cert({"alice"}, key2.get(), pki.intermediate.get(), pki.intermediate_key.get());
  X509Ptr other = make_cert({"bob"}, key2.get(), pki.intermediate.get(), pki.intermediate_key.get());
  EXPECT_TRUE(v.verify_successor(pki.credential(),
                                 x509_of({der(same.get()), der(pki.intermediate.get())}))
                  .ok());
  expect_rule(
      v.verify_successor(pki.credential(), x509_of({der(other.get()), der(pki.intermediate.get())})),
      "MLS-V-CRED-009");
  expect_rule(v.verify_successor(pki.credential(), Credential::basic(to_bytes("alice"))),
              "MLS-V-CRED-009");
  expect_rule(v.verify_successor(pki.credential(), Credential{X509Credential{}}),
              "MLS-V-CRED-004");
  expect_rule(v.verify_successor(pki.credential(), x509_of({to_bytes("junk")})),
              "MLS-V-CRED-005");
}

TEST(CredentialVerifierSuccessor, PresentedIdentity) {
  const Pki pki(SignatureScheme::ed25519);
  EXPECT_EQ(presented_identity(Credential::basic(to_bytes("x"))).value(), to_bytes("x"));
  const Bytes subject = presented_identity(pki.credential()).value();
  EXPECT_FALSE(subject.empty());
  // The DER subject carries the CN.
  const std::string s(subject.begin(), subject.end());
  EXPECT_NE(s.find("alice"), std::string::npos);
}

// -------------------------------------------------------------- composite

TEST(CredentialVerifierComposite, DispatchesByType) {
  const Pki pki(SignatureScheme::ed25519);
  const CompositeCredentialVerifier v(std::make_shared<BasicCredentialVerifier>(),
                                      std::make_shared<X509CredentialVerifier>(pki.verifier()));
  EXPECT_TRUE(v.verify(Credential::basic(to_bytes("a")), {}, pki.scheme).ok());
  expect_rule(v.verify(Credential::basic({}), {}, pki.scheme), "MLS-V-CRED-001");
  EXPECT_TRUE(v.verify(pki.credential(), pki.signature_key(), pki.scheme).ok());
  expect_rule(v.verify(x509_of({der(pki.intermediate.get()), der(pki.leaf.get())}),
                       pki.signature_key(), pki.scheme),
              "MLS-V-CRED-006");
  EXPECT_TRUE(v.verify_successor(pki.credential(), pki.credential()).ok());
  expect_rule(v.verify_successor(Credential::basic(to_bytes("a")), pki.credential()),
              "MLS-V-CRED-009");
}

TEST(CredentialVerifierComposite, RefusesATypeWithoutVerifier) {
  const Pki pki(SignatureScheme::ed25519);
  const CompositeCredentialVerifier v(std::make_shared<BasicCredentialVerifier>(), nullptr);
  expect_rule(v.verify(pki.credential(), pki.signature_key(), pki.scheme), "MLS-V-CRED-003");
  expect_rule(v.verify_successor(pki.credential(), pki.credential()), "MLS-V-CRED-003");
}

}  // namespace
}  // namespace conclave::mls
