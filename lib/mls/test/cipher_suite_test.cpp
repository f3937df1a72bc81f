// CipherSuite: suite parameters, the labelled helpers of RFC 9420 sections
// 5 and 8, and key import. The known-answer values of the helpers are in
// crypto-basics.json (lib/vectors/test/crypto_basics_test.cpp); these tests
// cover the properties and error paths the vectors do not.
#include "conclave/mls/cipher_suite.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conclave/crypto/errc.h"

namespace conclave::mls {
namespace {

constexpr CipherSuiteId kAllSuites[] = {
    CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519,
    CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256,
    CipherSuiteId::mls_128_dhkemx25519_chacha20poly1305_sha256_ed25519,
    CipherSuiteId::mls_256_dhkemx448_aes256gcm_sha512_ed448,
    CipherSuiteId::mls_256_dhkemp521_aes256gcm_sha512_p521,
    CipherSuiteId::mls_256_dhkemx448_chacha20poly1305_sha512_ed448,
    CipherSuiteId::mls_256_dhkemp384_aes256gcm_sha384_p384,
};

CipherSuite make(CipherSuiteId id) {
  auto suite = CipherSuite::create(id);
  EXPECT_TRUE(suite.ok());
  return std::move(suite).value();
}

Bytes filled(size_t n, uint8_t v) {
  return Bytes(n, v);
}

class AllSuites : public ::testing::TestWithParam<CipherSuiteId> {
 protected:
  CipherSuite suite_ = make(GetParam());
};

INSTANTIATE_TEST_SUITE_P(CipherSuite, AllSuites, ::testing::ValuesIn(kAllSuites),
                         [](const ::testing::TestParamInfo<CipherSuiteId>& param_info) {
                           return "suite" + std::to_string(static_cast<int>(param_info.param));
                         });

// The parameters of RFC 9420 section 17.1.
TEST(CipherSuite, ParametersFollowTheRegistry) {
  struct Want {
    CipherSuiteId id;
    size_t nh, nk, nn;
    crypto::SignatureScheme scheme;
    crypto::KemId kem;
  };
  using S = crypto::SignatureScheme;
  using K = crypto::KemId;
  const Want want[] = {
      {kAllSuites[0], 32, 16, 12, S::ed25519, K::dhkem_x25519_sha256},
      {kAllSuites[1], 32, 16, 12, S::ecdsa_secp256r1_sha256, K::dhkem_p256_sha256},
      {kAllSuites[2], 32, 32, 12, S::ed25519, K::dhkem_x25519_sha256},
      {kAllSuites[3], 64, 32, 12, S::ed448, K::dhkem_x448_sha512},
      {kAllSuites[4], 64, 32, 12, S::ecdsa_secp521r1_sha512, K::dhkem_p521_sha512},
      {kAllSuites[5], 64, 32, 12, S::ed448, K::dhkem_x448_sha512},
      {kAllSuites[6], 48, 32, 12, S::ecdsa_secp384r1_sha384, K::dhkem_p384_sha384},
  };
  for (const auto& w : want) {
    const CipherSuite s = make(w.id);
    EXPECT_EQ(s.id(), w.id);
    EXPECT_EQ(s.hash_size(), w.nh);
    EXPECT_EQ(s.key_size(), w.nk);
    EXPECT_EQ(s.nonce_size(), w.nn);
    EXPECT_EQ(s.signature_scheme(), w.scheme);
    EXPECT_EQ(s.hpke().suite().kem, w.kem);
    EXPECT_TRUE(CipherSuite::is_supported(w.id));
  }
}

TEST(CipherSuite, UnknownSuitesAreRejected) {
  for (const uint16_t raw : std::vector<uint16_t>{0x0000, 0x0008, 0x0A0A, 0xF000, 0xFFFF}) {
    const auto id = static_cast<CipherSuiteId>(raw);
    EXPECT_FALSE(CipherSuite::is_supported(id));
    auto suite = CipherSuite::create(id);
    ASSERT_FALSE(suite.ok());
    EXPECT_TRUE(suite.error().is(Errc::unsupported_cipher_suite));
  }
}

TEST(CipherSuite, RefHashIsTheHashOfRefHashInput) {
  const CipherSuite s = make(kAllSuites[0]);
  const Bytes value = {1, 2, 3};
  // struct { opaque label<V>; opaque value<V>; } with one-byte varints.
  const std::string label = "some label";
  Bytes input = {static_cast<uint8_t>(label.size())};
  input.insert(input.end(), label.begin(), label.end());
  input.push_back(3);
  input.insert(input.end(), value.begin(), value.end());
  EXPECT_EQ(s.ref_hash(label, value), s.hash(input));
  EXPECT_EQ(s.make_key_package_ref(value), s.ref_hash("MLS 1.0 KeyPackage Reference", value));
  EXPECT_EQ(s.make_proposal_ref(value), s.ref_hash("MLS 1.0 Proposal Reference", value));
  EXPECT_NE(s.make_key_package_ref(value), s.make_proposal_ref(value));
}

TEST(CipherSuite, ExpandWithLabelEncodesKdfLabel) {
  const CipherSuite s = make(kAllSuites[0]);
  const Bytes secret = filled(32, 7);
  const Bytes context = {0xAA, 0xBB};
  // KDFLabel { uint16 length = 20; opaque label<V> = "MLS 1.0 test"; opaque context<V>; }
  Bytes info = {0x00, 20, 12};
  const std::string full = "MLS 1.0 test";
  info.insert(info.end(), full.begin(), full.end());
  info.push_back(2);
  info.insert(info.end(), context.begin(), context.end());
  auto want = s.expand(secret, info, 20);
  auto got = s.expand_with_label(secret, "test", context, 20);
  ASSERT_TRUE(want.ok() && got.ok());
  EXPECT_EQ(got->reveal_copy(), want->reveal_copy());
  EXPECT_EQ(got->size(), 20u);
}

TEST(CipherSuite, DeriveSecretAndDeriveTreeSecretAreExpandWithLabel) {
  const CipherSuite s = make(kAllSuites[6]);
  const Bytes secret = filled(48, 1);
  auto a = s.derive_secret(secret, "label");
  auto b = s.expand_with_label(secret, "label", {}, 48);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->reveal_copy(), b->reveal_copy());

  const Bytes generation = {0x01, 0x02, 0x03, 0x04};
  auto c = s.derive_tree_secret(secret, "key", 0x01020304, 32);
  auto d = s.expand_with_label(secret, "key", generation, 32);
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_EQ(c->reveal_copy(), d->reveal_copy());
}

TEST(CipherSuite, LabelsAndContextsSeparateOutputs) {
  const CipherSuite s = make(kAllSuites[0]);
  const Bytes secret = filled(32, 3);
  auto a = s.expand_with_label(secret, "a", {}, 32);
  auto b = s.expand_with_label(secret, "b", {}, 32);
  auto a_ctx = s.expand_with_label(secret, "a", Bytes{0}, 32);
  auto a_again = s.expand_with_label(secret, "a", {}, 32);
  ASSERT_TRUE(a.ok() && b.ok() && a_ctx.ok() && a_again.ok());
  EXPECT_NE(a->reveal_copy(), b->reveal_copy());
  EXPECT_NE(a->reveal_copy(), a_ctx->reveal_copy());
  EXPECT_EQ(a->reveal_copy(), a_again->reveal_copy());
}

TEST(CipherSuite, ExpandRefusesLengthsTheKdfCannotGive) {
  const CipherSuite s = make(kAllSuites[0]);  // Nh = 32: at most 8160 bytes
  const Bytes secret = filled(32, 3);
  auto ok = s.expand_with_label(secret, "x", {}, 255 * 32);
  EXPECT_TRUE(ok.ok());
  auto too_long = s.expand_with_label(secret, "x", {}, 255 * 32 + 1);
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(too_long.error().is(Errc::invalid_length));
  // KDFLabel.length is a uint16.
  const CipherSuite big = make(kAllSuites[3]);  // Nh = 64: 16320 bytes
  auto over_u16 = big.expand_with_label(filled(64, 1), "x", {}, 70000);
  ASSERT_FALSE(over_u16.ok());
  EXPECT_TRUE(over_u16.error().is(Errc::invalid_length));
}

TEST(CipherSuite, MacVerification) {
  const CipherSuite s = make(kAllSuites[0]);
  const Bytes key = filled(32, 9);
  const Bytes data = {1, 2, 3};
  Bytes tag = s.mac(key, data);
  EXPECT_EQ(tag.size(), 32u);
  EXPECT_TRUE(s.verify_mac(key, data, tag).ok());
  tag[5] ^= 1;
  auto st = s.verify_mac(key, data, tag);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(Errc::mac_mismatch));
  tag.pop_back();
  EXPECT_FALSE(s.verify_mac(key, data, tag).ok());
}

TEST_P(AllSuites, SignWithLabelRoundTrip) {
  auto sk = suite_.generate_signature_key();
  ASSERT_TRUE(sk.ok());
  const Bytes content = {0xC0, 0xFF, 0xEE};
  auto sig = suite_.sign_with_label(*sk, "FramedContentTBS", content);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(suite_.verify_with_label(sk->public_key(), "FramedContentTBS", content, *sig).ok());
  EXPECT_TRUE(
      suite_.verify_with_label(sk->public_key().bytes(), "FramedContentTBS", content, *sig).ok());

  // Another label, other content or a changed signature do not verify.
  auto wrong_label = suite_.verify_with_label(sk->public_key(), "LeafNodeTBS", content, *sig);
  ASSERT_FALSE(wrong_label.ok());
  EXPECT_TRUE(wrong_label.error().is(crypto::Errc::verify_failed));
  EXPECT_FALSE(
      suite_.verify_with_label(sk->public_key(), "FramedContentTBS", Bytes{0xC0}, *sig).ok());
  Bytes bad = *sig;
  bad[bad.size() / 2] ^= 0x01;
  EXPECT_FALSE(suite_.verify_with_label(sk->public_key(), "FramedContentTBS", content, bad).ok());
  EXPECT_FALSE(suite_.verify_with_label(sk->public_key(), "FramedContentTBS", content, {}).ok());
}

TEST_P(AllSuites, SignaturePrivateKeyImportGivesTheSameKey) {
  auto sk = suite_.generate_signature_key();
  ASSERT_TRUE(sk.ok());
  const SecretBytes raw = crypto::signature_private_key_to_bytes(*sk);
  auto again = suite_.import_signature_private_key(raw.view());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key().bytes(), sk->public_key().bytes());
}

TEST_P(AllSuites, GarbageSignatureKeysAreRejected) {
  EXPECT_FALSE(suite_.import_signature_public_key(Bytes{1, 2, 3}).ok());
  EXPECT_FALSE(suite_.import_signature_public_key({}).ok());
  auto st = suite_.verify_with_label(Bytes{4, 5}, "x", Bytes{}, Bytes{1});
  EXPECT_FALSE(st.ok());
}

TEST(CipherSuite, SignatureKeyOfAnotherSchemeIsRefused) {
  const CipherSuite ed25519 = make(kAllSuites[0]);
  const CipherSuite p256 = make(kAllSuites[1]);
  auto sk = p256.generate_signature_key();
  ASSERT_TRUE(sk.ok());
  auto sig = ed25519.sign_with_label(*sk, "x", Bytes{1});
  ASSERT_FALSE(sig.ok());
  EXPECT_TRUE(sig.error().is(Errc::key_mismatch));
  auto good = p256.sign_with_label(*sk, "x", Bytes{1});
  ASSERT_TRUE(good.ok());
  auto st = ed25519.verify_with_label(sk->public_key(), "x", Bytes{1}, *good);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(Errc::key_mismatch));
}

TEST_P(AllSuites, EncryptWithLabelRoundTrip) {
  auto sk = suite_.generate_hpke_key_pair();
  ASSERT_TRUE(sk.ok());
  const Bytes context = {9, 8, 7};
  const Bytes pt = {1, 2, 3, 4, 5};
  auto sealed = suite_.encrypt_with_label(sk->public_key(), "UpdatePathNode", context, pt);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->enc.size(), suite_.hpke().enc_size());
  auto back = suite_.decrypt_with_label(*sk, "UpdatePathNode", context, sealed->enc, sealed->ct);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, pt);

  // The label and the context are bound to the ciphertext.
  EXPECT_FALSE(suite_.decrypt_with_label(*sk, "Welcome", context, sealed->enc, sealed->ct).ok());
  EXPECT_FALSE(
      suite_.decrypt_with_label(*sk, "UpdatePathNode", Bytes{}, sealed->enc, sealed->ct).ok());
  Bytes ct = sealed->ct;
  ct[0] ^= 1;
  EXPECT_FALSE(suite_.decrypt_with_label(*sk, "UpdatePathNode", context, sealed->enc, ct).ok());
  EXPECT_FALSE(suite_.decrypt_with_label(*sk, "UpdatePathNode", context, Bytes{1}, ct).ok());

  // The same through the wire form of the public key.
  auto sealed2 = suite_.encrypt_with_label(BytesView(sk->public_key().bytes()), "L", {}, pt);
  ASSERT_TRUE(sealed2.ok());
  auto back2 = suite_.decrypt_with_label(*sk, "L", {}, sealed2->enc, sealed2->ct);
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(*back2, pt);
  EXPECT_FALSE(suite_.encrypt_with_label(Bytes{1, 2, 3}, "L", {}, pt).ok());
}

TEST_P(AllSuites, DeriveHpkeKeyPairIsDeterministic) {
  const Bytes ikm = filled(suite_.hash_size(), 0x42);
  auto a = suite_.derive_hpke_key_pair(ikm);
  auto b = suite_.derive_hpke_key_pair(ikm);
  auto c = suite_.derive_hpke_key_pair(filled(suite_.hash_size(), 0x43));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->public_key().bytes(), b->public_key().bytes());
  EXPECT_NE(a->public_key().bytes(), c->public_key().bytes());

  // Private key serialisation round trip.
  const SecretBytes raw = crypto::dh_private_key_to_bytes(*a);
  auto imported = suite_.import_hpke_private_key(raw.view());
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ(imported->public_key().bytes(), a->public_key().bytes());
  auto pub = suite_.import_hpke_public_key(a->public_key().bytes());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->bytes(), a->public_key().bytes());
}

TEST(CipherSuite, HpkeKeyOfAnotherGroupIsRefused) {
  const CipherSuite x25519 = make(kAllSuites[0]);
  const CipherSuite p256 = make(kAllSuites[1]);
  auto sk = p256.generate_hpke_key_pair();
  ASSERT_TRUE(sk.ok());
  auto sealed = x25519.encrypt_with_label(sk->public_key(), "L", {}, Bytes{1});
  ASSERT_FALSE(sealed.ok());
  EXPECT_TRUE(sealed.error().is(Errc::key_mismatch));
  auto opened = x25519.decrypt_with_label(*sk, "L", {}, Bytes(32, 1), Bytes(17, 1));
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.error().is(Errc::key_mismatch));
}

// Quirk 1 of the vectors: a P-521 scalar whose leading zero byte was dropped.
TEST(CipherSuite, ShortP521PrivateKeyIsLeftPadded) {
  const CipherSuite p521 = make(kAllSuites[4]);
  Bytes full(66);
  for (size_t i = 1; i < full.size(); ++i) full[i] = static_cast<uint8_t>(i);
  const Bytes short_form(full.begin() + 1, full.end());
  auto a = p521.import_hpke_private_key(full);
  auto b = p521.import_hpke_private_key(short_form);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->public_key().bytes(), b->public_key().bytes());
  auto sa = p521.import_signature_private_key(full);
  auto sb = p521.import_signature_private_key(short_form);
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(sa->public_key().bytes(), sb->public_key().bytes());
  // X25519 keys have a fixed length: no padding there.
  const CipherSuite x25519 = make(kAllSuites[0]);
  EXPECT_FALSE(x25519.import_hpke_private_key(Bytes(31, 5)).ok());
  EXPECT_FALSE(p521.import_hpke_private_key({}).ok());
  EXPECT_FALSE(p521.import_hpke_private_key(Bytes(67, 1)).ok());
}

}  // namespace
}  // namespace conclave::mls
