#include "conclave/sframe/frame_cipher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "conclave/base/encoding.h"

namespace conclave::sframe {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

Bytes pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + 7 * i);
  return b;
}

const Bytes kNonce = hex("101112131415161718191a1b");
const Bytes kAad = hex("4945544620534672616d65205747");

FrameCipher make(const CipherSuite& s) {
  auto c = FrameCipher::create(s, pattern(s.nk, 1));
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

class FrameCipherSuites : public ::testing::TestWithParam<CipherSuiteId> {
 protected:
  const CipherSuite& suite() const { return CipherSuite::get(GetParam()); }
};

TEST_P(FrameCipherSuites, RoundTripsEveryLength) {
  const FrameCipher c = make(suite());
  EXPECT_EQ(c.tag_size(), suite().nt);
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 100u, 1200u, 10000u}) {
    const Bytes pt = pattern(n, 3);
    Bytes ct(n + suite().nt);
    auto sealed = c.seal(kNonce, crypto::Aad(kAad), pt, ct);
    ASSERT_TRUE(sealed.ok()) << n;
    EXPECT_EQ(*sealed, n + suite().nt);
    if (n > 0) {
      EXPECT_FALSE(equal(BytesView(ct).first(n), pt)) << n;
    }
    Bytes back(n);
    auto opened = c.open(kNonce, crypto::Aad(kAad), ct, back);
    ASSERT_TRUE(opened.ok()) << n << " " << opened.error().to_string();
    EXPECT_EQ(*opened, n);
    EXPECT_EQ(back, pt);
  }
}

TEST_P(FrameCipherSuites, SplitAadEqualsConcatenatedAad) {
  const FrameCipher c = make(suite());
  const Bytes pt = pattern(50, 9);
  Bytes whole(pt.size() + suite().nt);
  Bytes split(pt.size() + suite().nt);
  ASSERT_TRUE(c.seal(kNonce, crypto::Aad(kAad), pt, whole).ok());
  const BytesView a = BytesView(kAad).first(5);
  const BytesView b = BytesView(kAad).subspan(5);
  ASSERT_TRUE(c.seal(kNonce, crypto::Aad(a, b), pt, split).ok());
  EXPECT_EQ(whole, split);
}

TEST_P(FrameCipherSuites, InPlaceSealAndOpen) {
  const FrameCipher c = make(suite());
  const Bytes pt = pattern(300, 5);
  Bytes expected(pt.size() + suite().nt);
  ASSERT_TRUE(c.seal(kNonce, crypto::Aad(kAad), pt, expected).ok());

  Bytes buf(pt.size() + suite().nt);
  std::copy(pt.begin(), pt.end(), buf.begin());
  ASSERT_TRUE(c.seal(kNonce, crypto::Aad(kAad), BytesView(buf).first(pt.size()), buf).ok());
  EXPECT_EQ(buf, expected);
  auto n = c.open(kNonce, crypto::Aad(kAad), buf, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(Bytes(buf.begin(), buf.begin() + static_cast<long>(*n)), pt);
}

TEST_P(FrameCipherSuites, AnyAlteredByteFailsAndReleasesNoPlaintext) {
  const FrameCipher c = make(suite());
  const Bytes pt = pattern(40, 11);
  Bytes ct(pt.size() + suite().nt);
  ASSERT_TRUE(c.seal(kNonce, crypto::Aad(kAad), pt, ct).ok());
  for (size_t i = 0; i < ct.size(); ++i) {
    Bytes bad = ct;
    bad[i] ^= 0x01;
    Bytes out(pt.size(), 0xee);
    auto r = c.open(kNonce, crypto::Aad(kAad), bad, out);
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_TRUE(r.error().is(Errc::authentication_failed)) << i;
    EXPECT_EQ(std::count(out.begin(), out.end(), 0xee) + std::count(out.begin(), out.end(), 0),
              static_cast<long>(out.size()))
        << "plaintext leaked after a failed open, byte " << i;
  }
  Bytes out(pt.size());
  Bytes other_aad = kAad;
  other_aad.back() ^= 0x80;
  EXPECT_FALSE(c.open(kNonce, crypto::Aad(other_aad), ct, out).ok());
  Bytes other_nonce = kNonce;
  other_nonce[0] ^= 0x01;
  EXPECT_FALSE(c.open(other_nonce, crypto::Aad(kAad), ct, out).ok());
}

TEST_P(FrameCipherSuites, SizeErrors) {
  const FrameCipher c = make(suite());
  const Bytes pt = pattern(10, 1);
  Bytes small(pt.size() + suite().nt - 1);
  auto r = c.seal(kNonce, crypto::Aad(kAad), pt, small);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::buffer_too_small));

  Bytes ct(pt.size() + suite().nt);
  ASSERT_TRUE(c.seal(kNonce, crypto::Aad(kAad), pt, ct).ok());
  Bytes out(pt.size() - 1);
  r = c.open(kNonce, crypto::Aad(kAad), ct, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::buffer_too_small));

  Bytes tiny(suite().nt - 1);
  r = c.open(kNonce, crypto::Aad(kAad), tiny, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::ciphertext_too_short));

  r = c.seal(BytesView(kNonce).first(11), crypto::Aad(kAad), pt, ct);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::invalid_parameter));

  auto bad_key = FrameCipher::create(suite(), pattern(suite().nk - 1, 0));
  ASSERT_FALSE(bad_key.ok());
  EXPECT_TRUE(bad_key.error().is(Errc::invalid_key));
}

INSTANTIATE_TEST_SUITE_P(AllSuites, FrameCipherSuites,
                         ::testing::Values(CipherSuiteId::aes_128_ctr_hmac_sha256_80,
                                           CipherSuiteId::aes_128_ctr_hmac_sha256_64,
                                           CipherSuiteId::aes_128_ctr_hmac_sha256_32,
                                           CipherSuiteId::aes_128_gcm_sha256_128,
                                           CipherSuiteId::aes_256_gcm_sha512_128,
                                           CipherSuiteId::aes_256_ctr_hmac_sha512_80,
                                           CipherSuiteId::aes_256_ctr_hmac_sha512_64,
                                           CipherSuiteId::aes_256_ctr_hmac_sha512_32));

// Known answer: the RFC 9605 appendix C.3 case for suite 1.
TEST(FrameCipher, CtrHmacKnownAnswer) {
  const auto& suite = CipherSuite::get(CipherSuiteId::aes_128_ctr_hmac_sha256_80);
  auto c = FrameCipher::create(
      suite, hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                 "202122232425262728292a2b2c2d2e2f"));
  ASSERT_TRUE(c.ok());
  const Bytes pt = hex("64726166742d696574662d736672616d652d656e63");
  Bytes ct(pt.size() + suite.nt);
  ASSERT_TRUE(c->seal(kNonce, crypto::Aad(kAad), pt, ct).ok());
  EXPECT_EQ(to_hex(ct), "6339af04ada1d064688a442b8dc69d5b6bfa40f4bef0583e8081069cc60705");
}

// The tag covers the AAD length separately from the ciphertext, so moving a
// byte between the AAD and the ciphertext is detected.
TEST(FrameCipher, CtrHmacTagBindsTheSplitBetweenAadAndCiphertext) {
  const auto& suite = CipherSuite::get(CipherSuiteId::aes_128_ctr_hmac_sha256_64);
  const FrameCipher c = make(suite);
  const Bytes pt = pattern(20, 2);
  Bytes ct(pt.size() + suite.nt);
  ASSERT_TRUE(c.seal(kNonce, crypto::Aad(kAad), pt, ct).ok());
  Bytes longer_aad = kAad;
  longer_aad.push_back(ct[0]);
  Bytes out(pt.size());
  auto r = c.open(kNonce, crypto::Aad(longer_aad), BytesView(ct).subspan(1), out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::authentication_failed));
}

}  // namespace
}  // namespace conclave::sframe
