#include "conclave/crypto/hash.h"

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

Bytes range(uint8_t first, size_t n) {
  Bytes out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(first + i);
  return out;
}

TEST(Hash, Sizes) {
  EXPECT_EQ(hash_size(HashId::sha256), 32u);
  EXPECT_EQ(hash_size(HashId::sha384), 48u);
  EXPECT_EQ(hash_size(HashId::sha512), 64u);
}

// FIPS 180-2 appendix examples: "abc" and the empty string.
TEST(Hash, KnownAnswers) {
  EXPECT_EQ(hash(HashId::sha256, as_bytes("abc")),
            h("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  EXPECT_EQ(hash(HashId::sha384, as_bytes("abc")),
            h("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
              "8086072ba1e7cc2358baeca134c825a7"));
  EXPECT_EQ(hash(HashId::sha512, as_bytes("abc")),
            h("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
              "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
  EXPECT_EQ(hash(HashId::sha256, {}),
            h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

struct HmacCase {
  HashId id;
  Bytes key;
  std::string data;
  std::string mac;
};

// RFC 4231 test cases 1 and 2.
std::vector<HmacCase> rfc4231() {
  Bytes key1(20, 0x0b);
  Bytes key2 = to_bytes("Jefe");
  std::string d1 = "Hi There";
  std::string d2 = "what do ya want for nothing?";
  return {
      {HashId::sha256, key1, d1,
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {HashId::sha384, key1, d1,
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
       "faea9ea9076ede7f4af152e8b2fa9cb6"},
      {HashId::sha512, key1, d1,
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
       "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {HashId::sha256, key2, d2,
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {HashId::sha384, key2, d2,
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
       "8e2240ca5e69e2c78b3239ecfab21649"},
      {HashId::sha512, key2, d2,
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
       "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
  };
}

TEST(Hmac, Rfc4231OneShot) {
  int i = 0;
  for (const auto& c : rfc4231()) {
    EXPECT_EQ(hmac(c.id, c.key, as_bytes(c.data)), h(c.mac)) << "case " << i;
    ++i;
  }
}

// The prepared context gives the same MAC on every call, also when the
// message is split into parts at arbitrary points.
TEST(Hmac, ReusedContextAndParts) {
  int i = 0;
  for (const auto& c : rfc4231()) {
    auto mac = Hmac::create(c.id, c.key);
    ASSERT_TRUE(mac.ok());
    ASSERT_EQ(mac->size(), hash_size(c.id));
    BytesView data = as_bytes(c.data);
    for (size_t split = 0; split <= data.size(); ++split) {
      Bytes out(mac->size());
      ASSERT_TRUE(mac->compute({data.first(split), {}, data.subspan(split)}, out).ok());
      EXPECT_EQ(out, h(c.mac)) << "case " << i << " split " << split;
    }
    ++i;
  }
}

TEST(Hmac, InterleavedObjectsDoNotShareState) {
  auto a = Hmac::create(HashId::sha256, Bytes(20, 0x0b));
  auto b = Hmac::create(HashId::sha256, to_bytes("Jefe"));
  ASSERT_TRUE(a.ok() && b.ok());
  Bytes out(32);
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(a->compute({as_bytes("Hi There")}, out).ok());
    EXPECT_EQ(out, h("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    ASSERT_TRUE(b->compute({as_bytes("what do ya want for nothing?")}, out).ok());
    EXPECT_EQ(out, h("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
  }
}

TEST(Hmac, EmptyKeyMatchesZeroLengthKey) {
  // HMAC pads the key with zeros to the block size, so an empty key and a
  // key of zero bytes give the same MAC; the empty key must be accepted.
  Bytes a = hmac(HashId::sha256, {}, as_bytes("msg"));
  Bytes b = hmac(HashId::sha256, Bytes(32, 0), as_bytes("msg"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, hmac(HashId::sha256, Bytes(32, 1), as_bytes("msg")));
}

TEST(Hmac, UnknownHashRejected) {
  auto mac = Hmac::create(static_cast<HashId>(7), to_bytes("k"));
  ASSERT_FALSE(mac.ok());
  EXPECT_TRUE(mac.error().is(Errc::unsupported));
}

TEST(Hmac, OutputTooSmall) {
  auto mac = Hmac::create(HashId::sha384, to_bytes("k"));
  ASSERT_TRUE(mac.ok());
  Bytes out(47);
  auto s = mac->compute({as_bytes("x")}, out);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::invalid_length));
}

struct HkdfCase {
  Bytes ikm, salt, info;
  size_t length;
  std::string prk, okm;
};

// RFC 5869 test cases 1-3 (SHA-256).
TEST(Hkdf, Rfc5869) {
  std::vector<HkdfCase> cases = {
      {Bytes(22, 0x0b), range(0x00, 13), range(0xf0, 10), 42,
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
       "34007208d5b887185865"},
      {range(0x00, 80), range(0x60, 80), range(0xb0, 80), 82,
       "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
       "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
       "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {Bytes(22, 0x0b), {}, {}, 42,
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
       "9d201395faa4b61a96c8"},
  };
  int i = 0;
  for (const auto& c : cases) {
    SecretBytes prk = hkdf_extract(HashId::sha256, c.salt, c.ikm);
    EXPECT_EQ(prk.reveal_copy(), h(c.prk)) << "case " << i + 1;
    auto okm = hkdf_expand(HashId::sha256, prk.view(), c.info, c.length);
    ASSERT_TRUE(okm.ok());
    EXPECT_EQ(okm->reveal_copy(), h(c.okm)) << "case " << i + 1;
    ++i;
  }
}

TEST(Hkdf, ExpandPrefixesAgree) {
  SecretBytes prk = hkdf_extract(HashId::sha512, as_bytes("salt"), as_bytes("ikm"));
  auto full = hkdf_expand(HashId::sha512, prk.view(), as_bytes("info"), 255 * 64);
  ASSERT_TRUE(full.ok());
  for (size_t len : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{200}}) {
    auto part = hkdf_expand(HashId::sha512, prk.view(), as_bytes("info"), len);
    ASSERT_TRUE(part.ok());
    EXPECT_TRUE(equal(part->view(), full->view().first(len))) << len;
  }
}

TEST(Hkdf, ExpandOverLength) {
  for (HashId id : {HashId::sha256, HashId::sha384, HashId::sha512}) {
    SecretBytes prk(hash_size(id));
    EXPECT_TRUE(hkdf_expand(id, prk.view(), {}, 255 * hash_size(id)).ok());
    auto r = hkdf_expand(id, prk.view(), {}, 255 * hash_size(id) + 1);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(Errc::invalid_length));
    EXPECT_EQ(r.error().domain(), "crypto");
  }
}

}  // namespace
}  // namespace conclave::crypto
