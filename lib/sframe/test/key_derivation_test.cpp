#include "conclave/sframe/key_derivation.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "conclave/base/encoding.h"
#include "conclave/crypto/hash.h"

namespace conclave::sframe {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }
const CipherSuite& suite(CipherSuiteId id) { return CipherSuite::get(id); }

TEST(KeyDerivation, LabelsAreTextKidAndSuite) {
  const auto& s = suite(CipherSuiteId::aes_128_gcm_sha256_128);
  EXPECT_EQ(to_hex(KeyDerivation::key_label(s, 0x123)),
            to_hex(to_bytes("SFrame 1.0 Secret key ")) + "0000000000000123" + "0004");
  EXPECT_EQ(to_hex(KeyDerivation::salt_label(s, 0xfedcba9876543210)),
            to_hex(to_bytes("SFrame 1.0 Secret salt ")) + "fedcba9876543210" + "0004");
}

// Known answer: RFC 9605 appendix C.4, suite 4 (kid 0x123).
TEST(KeyDerivation, KnownAnswerSuite4) {
  auto d = KeyDerivation::derive(suite(CipherSuiteId::aes_128_gcm_sha256_128), 0x123,
                                 hex("000102030405060708090a0b0c0d0e0f"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(to_hex(d->sframe_secret.view()),
            "d926952ca8b7ec4a95941d1ada3a5203ceff8cceee34f574d23909eb314c40c0");
  EXPECT_EQ(to_hex(d->sframe_key.view()), "d34f547f4ca4f9a7447006fe7fcbf768");
  EXPECT_EQ(to_hex(d->sframe_salt.view()), "75234edefe07819026751816");
}

TEST(KeyDerivation, SizesFollowTheSuite) {
  for (const CipherSuite& s : CipherSuite::all()) {
    auto d = KeyDerivation::derive(s, 7, hex("00112233"));
    ASSERT_TRUE(d.ok()) << s.name;
    EXPECT_EQ(d->sframe_secret.size(), s.nh) << s.name;
    EXPECT_EQ(d->sframe_key.size(), s.nk) << s.name;
    EXPECT_EQ(d->sframe_salt.size(), s.nn) << s.name;
  }
}

TEST(KeyDerivation, KidAndSuiteSeparateKeys) {
  const Bytes base = hex("000102030405060708090a0b0c0d0e0f");
  const auto& s4 = suite(CipherSuiteId::aes_128_gcm_sha256_128);
  auto a = KeyDerivation::derive(s4, 1, base);
  auto b = KeyDerivation::derive(s4, 2, base);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->sframe_secret, b->sframe_secret);  // the extract step ignores the KID
  EXPECT_FALSE(a->sframe_key == b->sframe_key);
  EXPECT_FALSE(a->sframe_salt == b->sframe_salt);
  // Suites 1 and 2 share hash and Nk but not the label.
  auto c1 = KeyDerivation::derive(suite(CipherSuiteId::aes_128_ctr_hmac_sha256_80), 1, base);
  auto c2 = KeyDerivation::derive(suite(CipherSuiteId::aes_128_ctr_hmac_sha256_64), 1, base);
  ASSERT_TRUE(c1.ok() && c2.ok());
  EXPECT_FALSE(c1->sframe_key == c2->sframe_key);
}

TEST(KeyDerivation, EmptyBaseKeyIsRejected) {
  auto d = KeyDerivation::derive(suite(CipherSuiteId::aes_128_gcm_sha256_128), 1, {});
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(d.error().is(Errc::invalid_key));
}

// Known answer from appendix C.4: salt XOR CTR 0x4567.
TEST(FormNonce, XorsTheCounterIntoTheLowBytes) {
  const Bytes salt = hex("75234edefe07819026751816");
  std::array<uint8_t, 12> nonce{};
  form_nonce(salt, 0x4567, nonce);
  EXPECT_EQ(to_hex(nonce), "75234edefe07819026755d71");
  form_nonce(salt, 0, nonce);
  EXPECT_EQ(to_hex(nonce), "75234edefe07819026751816");
  form_nonce(salt, 0xffffffffffffffff, nonce);
  EXPECT_EQ(to_hex(nonce), "75234ede01f87e6fd98ae7e9");
  // In place.
  Bytes buf = salt;
  form_nonce(buf, 0x4567, buf);
  EXPECT_EQ(to_hex(buf), "75234edefe07819026755d71");
}

TEST(RatchetBaseKey, FollowsSection51) {
  for (const CipherSuite& s : CipherSuite::all()) {
    const Bytes k0 = hex("000102030405060708090a0b0c0d0e0f");
    auto k1 = ratchet_base_key(s, k0);
    ASSERT_TRUE(k1.ok());
    ASSERT_EQ(k1->size(), s.nh);
    // base_key[i+1] = HKDF-Expand(HKDF-Extract("", base_key[i]), "SFrame 1.0 Ratchet", Nh)
    const SecretBytes prk = crypto::hkdf_extract(s.hash, {}, k0);
    auto want = crypto::hkdf_expand(s.hash, prk.view(), as_bytes("SFrame 1.0 Ratchet"), s.nh);
    ASSERT_TRUE(want.ok());
    EXPECT_EQ(*k1, *want) << s.name;
    auto k2 = ratchet_base_key(s, k1->view());
    ASSERT_TRUE(k2.ok());
    EXPECT_FALSE(*k2 == *k1);
  }
  EXPECT_FALSE(ratchet_base_key(CipherSuite::all()[0], {}).ok());
}

}  // namespace
}  // namespace conclave::sframe
