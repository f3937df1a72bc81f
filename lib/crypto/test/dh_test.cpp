#include "conclave/crypto/dh.h"

#include <gtest/gtest.h>

#include <string>

#include "conclave/base/encoding.h"

namespace conclave::crypto {
namespace {

Bytes h(std::string_view hex) {
  auto r = from_hex(hex);
  EXPECT_TRUE(r.ok()) << hex;
  return r.ok() ? *r : Bytes();
}

const DhGroup kAllGroups[] = {DhGroup::p256, DhGroup::p384, DhGroup::p521, DhGroup::x25519,
                              DhGroup::x448};
const DhGroup kNistGroups[] = {DhGroup::p256, DhGroup::p384, DhGroup::p521};

// The group orders n (SEC 2 / FIPS 186-4), as Nsk-byte big-endian strings.
std::string order_hex(DhGroup g) {
  switch (g) {
    case DhGroup::p256:
      return "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    case DhGroup::p384:
      return "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
             "581a0db248b0a77aecec196accc52973";
    case DhGroup::p521:
      return "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
             "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409";
    default:
      return "";
  }
}

struct XCase {
  DhGroup g;
  std::string a, a_pub, b, b_pub, shared;
};

// RFC 7748 sections 6.1 and 6.2.
TEST(Dh, Rfc7748) {
  std::vector<XCase> cases = {
      {DhGroup::x25519, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
       "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
       "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
       "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
       "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"},
      {DhGroup::x448,
       "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf5"
       "74a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
       "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
       "c836647241d953d40c5b12da88120d53177f80e532c41fa0",
       "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120"
       "bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
       "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972"
       "fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
       "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
       "fd2464c335543936521c24403085d59a449a5037514a879d"},
  };
  for (const auto& c : cases) {
    auto a = dh_private_key_from_bytes(c.g, h(c.a));
    auto b = dh_private_key_from_bytes(c.g, h(c.b));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->group(), c.g);
    EXPECT_EQ(a->public_key().bytes(), h(c.a_pub));
    EXPECT_EQ(b->public_key().bytes(), h(c.b_pub));
    EXPECT_EQ(dh_private_key_to_bytes(*a).reveal_copy(), h(c.a));
    auto b_pub = dh_public_key_from_bytes(c.g, h(c.b_pub));
    auto a_pub = dh_public_key_from_bytes(c.g, h(c.a_pub));
    ASSERT_TRUE(a_pub.ok() && b_pub.ok());
    auto s1 = dh(*a, *b_pub);
    auto s2 = dh(*b, *a_pub);
    ASSERT_TRUE(s1.ok() && s2.ok());
    EXPECT_EQ(s1->reveal_copy(), h(c.shared));
    EXPECT_EQ(s2->reveal_copy(), h(c.shared));
  }
}

TEST(Dh, XLowOrderPointGivesError) {
  // The all-zero u-coordinate is a point of small order: the result is zero.
  for (DhGroup g : {DhGroup::x25519, DhGroup::x448}) {
    auto sk = dh_generate(g);
    ASSERT_TRUE(sk.ok());
    auto pk = dh_public_key_from_bytes(g, Bytes(dh_public_key_size(g), 0));
    ASSERT_TRUE(pk.ok());
    auto s = dh(*sk, *pk);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().is(Errc::derive_failed));
  }
}

// RFC 5903 section 8.1 (256-bit random ECP group).
TEST(Dh, Rfc5903P256) {
  auto i = dh_private_key_from_bytes(
      DhGroup::p256, h("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433"));
  auto r = dh_private_key_from_bytes(
      DhGroup::p256, h("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53"));
  ASSERT_TRUE(i.ok() && r.ok());
  EXPECT_EQ(i->public_key().bytes(),
            h("04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
              "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3"));
  EXPECT_EQ(r->public_key().bytes(),
            h("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
              "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab"));
  auto s = dh(*i, r->public_key());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->reveal_copy(),
            h("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"));
}

// Key pairs from the RFC 9180 test vectors (DHKEM(P-256), DHKEM(P-521)):
// the public key derived from skRm must equal pkRm.
TEST(Dh, HpkeVectorKeyPairs) {
  auto p256 = dh_private_key_from_bytes(
      DhGroup::p256, h("438d8bcef33b89e0e9ae5eb0957c353c25a94584b0dd59c991372a75b43cb661"));
  ASSERT_TRUE(p256.ok());
  EXPECT_EQ(p256->public_key().bytes(),
            h("040d97419ae99f13007a93996648b2674e5260a8ebd2b822e84899cd52d87446ea"
              "394ca76223b76639eccdf00e1967db10ade37db4e7db476261fcc8df97c5ffd1"));
  auto p521 = dh_private_key_from_bytes(
      DhGroup::p521,
      h("009227b4b91cf1eb6eecb6c0c0bae93a272d24e11c63bd4c34a581c49f9c3ca01c16"
        "bbd32a0a1fac22784f2ae985c85f183baad103b2d02aee787179dfc1a94fea11"));
  ASSERT_TRUE(p521.ok());
  EXPECT_EQ(p521->public_key().bytes(),
            h("0400b81073b1612cf7fdb6db07b35cf4bc17bda5854f3d270ecd9ea99f6c07b467"
              "95b8014b66c523ceed6f4829c18bc3886c891b63fa902500ce3ddeb1fbec7e608a"
              "c70050b76a0a7fc081dbf1cb30b005981113e635eb501a973aba662d7f16fcc128"
              "97dd752d657d37774bb16197c0d9724eecc1ed65349fb6ac1f280749e7669766f8cd"));
}

TEST(Dh, Sizes) {
  const size_t npk[] = {65, 97, 133, 32, 56};
  const size_t nsk[] = {32, 48, 66, 32, 56};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(dh_public_key_size(kAllGroups[i]), npk[i]);
    EXPECT_EQ(dh_private_key_size(kAllGroups[i]), nsk[i]);
    EXPECT_EQ(dh_secret_size(kAllGroups[i]), nsk[i]);
  }
}

TEST(Dh, GeneratedRoundTrip) {
  for (DhGroup g : kAllGroups) {
    for (int rep = 0; rep < 4; ++rep) {
      auto a = dh_generate(g);
      auto b = dh_generate(g);
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ(a->public_key().bytes().size(), dh_public_key_size(g));
      EXPECT_NE(a->public_key().bytes(), b->public_key().bytes());
      // Both sides derive the same secret of Ndh bytes.
      auto b_pub = dh_public_key_from_bytes(g, b->public_key().bytes());
      ASSERT_TRUE(b_pub.ok());
      auto s1 = dh(*a, *b_pub);
      auto s2 = dh(*b, a->public_key());
      ASSERT_TRUE(s1.ok() && s2.ok());
      EXPECT_EQ(s1->size(), dh_secret_size(g));
      EXPECT_TRUE(*s1 == *s2);
      // Serialize and re-import: same key.
      SecretBytes raw = dh_private_key_to_bytes(*a);
      EXPECT_EQ(raw.size(), dh_private_key_size(g));
      auto again = dh_private_key_from_bytes(g, raw.view());
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(again->public_key().bytes(), a->public_key().bytes());
    }
  }
}

TEST(Dh, P521SecretIsLeftPadded) {
  // Over many exchanges some x-coordinates have a leading zero byte; the
  // secret is always 66 bytes and both sides agree.
  for (int rep = 0; rep < 20; ++rep) {
    auto a = dh_generate(DhGroup::p521);
    auto b = dh_generate(DhGroup::p521);
    ASSERT_TRUE(a.ok() && b.ok());
    auto s1 = dh(*a, b->public_key());
    auto s2 = dh(*b, a->public_key());
    ASSERT_TRUE(s1.ok() && s2.ok());
    ASSERT_EQ(s1->size(), 66u);
    EXPECT_LE(s1->data()[0], 1);  // the field has 521 bits
    EXPECT_TRUE(*s1 == *s2);
  }
}

TEST(Dh, ScalarRangeChecked) {
  for (DhGroup g : kNistGroups) {
    const size_t nsk = dh_private_key_size(g);
    Bytes order = h(order_hex(g));
    ASSERT_EQ(order.size(), nsk);
    auto zero = dh_private_key_from_bytes(g, Bytes(nsk, 0));
    ASSERT_FALSE(zero.ok());
    EXPECT_TRUE(zero.error().is(Errc::invalid_key));
    auto n = dh_private_key_from_bytes(g, order);
    ASSERT_FALSE(n.ok());
    EXPECT_TRUE(n.error().is(Errc::invalid_key));
    auto all_ones = dh_private_key_from_bytes(g, Bytes(nsk, 0xff));
    ASSERT_FALSE(all_ones.ok());
    EXPECT_TRUE(all_ones.error().is(Errc::invalid_key));
    Bytes n_minus_1 = order;
    n_minus_1.back() = static_cast<uint8_t>(n_minus_1.back() - 1);
    EXPECT_TRUE(dh_private_key_from_bytes(g, n_minus_1).ok());
    Bytes one(nsk, 0);
    one.back() = 1;
    EXPECT_TRUE(dh_private_key_from_bytes(g, one).ok());
  }
}

TEST(Dh, WrongSizesRejected) {
  for (DhGroup g : kAllGroups) {
    const size_t nsk = dh_private_key_size(g);
    const size_t npk = dh_public_key_size(g);
    Bytes sk(nsk, 1);
    EXPECT_TRUE(dh_private_key_from_bytes(g, sk).ok());
    for (size_t len : {nsk - 1, nsk + 1, size_t{0}}) {
      auto r = dh_private_key_from_bytes(g, Bytes(len, 1));
      ASSERT_FALSE(r.ok());
      EXPECT_TRUE(r.error().is(Errc::invalid_key));
    }
    auto kp = dh_generate(g);
    ASSERT_TRUE(kp.ok());
    Bytes pk = kp->public_key().bytes();
    Bytes longer = pk;
    longer.push_back(0);
    Bytes shorter(pk.begin(), pk.end() - 1);
    for (const Bytes& bad : {longer, shorter, Bytes()}) {
      auto r = dh_public_key_from_bytes(g, bad);
      ASSERT_FALSE(r.ok());
      EXPECT_TRUE(r.error().is(Errc::invalid_public_key));
    }
    EXPECT_EQ(pk.size(), npk);
  }
}

TEST(Dh, OffCurveAndBadEncodingRejected) {
  for (DhGroup g : kNistGroups) {
    auto kp = dh_generate(g);
    ASSERT_TRUE(kp.ok());
    const Bytes& pk = kp->public_key().bytes();
    ASSERT_TRUE(dh_public_key_from_bytes(g, pk).ok());
    Bytes off = pk;
    off.back() ^= 1;  // y changed: no longer on the curve
    auto r = dh_public_key_from_bytes(g, off);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(Errc::invalid_public_key));
    Bytes compressed_tag = pk;
    compressed_tag[0] = 0x02;
    EXPECT_FALSE(dh_public_key_from_bytes(g, compressed_tag).ok());
    Bytes hybrid_tag = pk;
    hybrid_tag[0] = 0x06;
    EXPECT_FALSE(dh_public_key_from_bytes(g, hybrid_tag).ok());
    Bytes zeros(pk.size(), 0);
    zeros[0] = 0x04;
    EXPECT_FALSE(dh_public_key_from_bytes(g, zeros).ok());
    Bytes ff(pk.size(), 0xff);
    ff[0] = 0x04;
    EXPECT_FALSE(dh_public_key_from_bytes(g, ff).ok());
  }
}

TEST(Dh, GroupMismatchRejected) {
  auto a = dh_generate(DhGroup::p256);
  auto b = dh_generate(DhGroup::p384);
  auto x = dh_generate(DhGroup::x25519);
  ASSERT_TRUE(a.ok() && b.ok() && x.ok());
  EXPECT_TRUE(dh(*a, b->public_key()).error().is(Errc::invalid_public_key));
  EXPECT_TRUE(dh(*x, a->public_key()).error().is(Errc::invalid_public_key));
  EXPECT_TRUE(dh_generate(static_cast<DhGroup>(99)).error().is(Errc::unsupported));
  EXPECT_TRUE(
      dh_public_key_from_bytes(static_cast<DhGroup>(99), Bytes(32)).error().is(Errc::unsupported));
}

}  // namespace
}  // namespace conclave::crypto
