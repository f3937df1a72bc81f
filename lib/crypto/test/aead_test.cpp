#include "conclave/crypto/aead.h"

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

Aead make(AeadId id, BytesView key) {
  auto r = Aead::create(id, key);
  CV_CHECK(r.ok());
  return std::move(r).value();
}

struct Kat {
  const char* name;
  AeadId id;
  std::string key, nonce, aad, pt, ct, tag;
};

const std::string kGcmPt =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const std::string kGcmCt =
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";

std::vector<Kat> kats() {
  return {
      // McGrew and Viega, "The Galois/Counter Mode of Operation", test cases
      // 2, 3, 4 (AES-128) and 14 (AES-256).
      {"gcm-2", AeadId::aes_128_gcm, "00000000000000000000000000000000",
       "000000000000000000000000", "", "00000000000000000000000000000000",
       "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"},
      {"gcm-3", AeadId::aes_128_gcm, "feffe9928665731c6d6a8f9467308308",
       "cafebabefacedbaddecaf888", "", kGcmPt, kGcmCt, "4d5c2af327cd64a62cf35abd2ba6fab4"},
      {"gcm-4", AeadId::aes_128_gcm, "feffe9928665731c6d6a8f9467308308",
       "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
       kGcmPt.substr(0, 120), kGcmCt.substr(0, 120), "5bc94fbc3221a5db94fae95ae7121a47"},
      {"gcm-14", AeadId::aes_256_gcm,
       "0000000000000000000000000000000000000000000000000000000000000000",
       "000000000000000000000000", "", "00000000000000000000000000000000",
       "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
      // RFC 8439 section 2.8.2.
      {"rfc8439-2.8.2", AeadId::chacha20_poly1305,
       "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
       "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
       to_hex(as_bytes("Ladies and Gentlemen of the class of '99: If I could offer you only "
                       "one tip for the future, sunscreen would be it.")),
       "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
       "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
       "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
       "3ff4def08e4b7a9de576d26586cec64b6116",
       "1ae10b594f09e26a7e902ecbd0600691"},
  };
}

TEST(Aead, Sizes) {
  EXPECT_EQ(aead_key_size(AeadId::aes_128_gcm), 16u);
  EXPECT_EQ(aead_key_size(AeadId::aes_256_gcm), 32u);
  EXPECT_EQ(aead_key_size(AeadId::chacha20_poly1305), 32u);
  for (AeadId id : {AeadId::aes_128_gcm, AeadId::aes_256_gcm, AeadId::chacha20_poly1305}) {
    EXPECT_EQ(aead_nonce_size(id), 12u);
    EXPECT_EQ(aead_tag_size(id), 16u);
  }
}

TEST(Aead, KnownAnswers) {
  for (const auto& k : kats()) {
    Aead aead = make(k.id, h(k.key));
    EXPECT_EQ(aead.id(), k.id);
    Bytes expected = concat({h(k.ct), h(k.tag)});
    auto sealed = aead.seal(h(k.nonce), h(k.aad), h(k.pt));
    ASSERT_TRUE(sealed.ok()) << k.name;
    EXPECT_EQ(*sealed, expected) << k.name;
    auto opened = aead.open(h(k.nonce), h(k.aad), expected);
    ASSERT_TRUE(opened.ok()) << k.name;
    EXPECT_EQ(*opened, h(k.pt)) << k.name;
  }
}

TEST(Aead, AadInTwoPiecesEqualsConcatenation) {
  for (const auto& k : kats()) {
    Bytes aad = h(k.aad);
    Aead aead = make(k.id, h(k.key));
    Bytes expected = concat({h(k.ct), h(k.tag)});
    for (size_t split = 0; split <= aad.size(); ++split) {
      Aad pieces(BytesView(aad).first(split), BytesView(aad).subspan(split));
      auto sealed = aead.seal(h(k.nonce), pieces, h(k.pt));
      ASSERT_TRUE(sealed.ok());
      EXPECT_EQ(*sealed, expected) << k.name << " split " << split;
      EXPECT_TRUE(aead.open(h(k.nonce), pieces, expected).ok()) << k.name;
    }
  }
}

TEST(Aead, InPlaceRoundTrip) {
  for (const auto& k : kats()) {
    Aead aead = make(k.id, h(k.key));
    Bytes pt = h(k.pt);
    Bytes buf = pt;
    buf.resize(pt.size() + 16);
    auto n = aead.seal(h(k.nonce), h(k.aad), BytesView(buf).first(pt.size()), buf);
    ASSERT_TRUE(n.ok()) << k.name;
    EXPECT_EQ(*n, pt.size() + 16);
    EXPECT_EQ(buf, concat({h(k.ct), h(k.tag)})) << k.name;
    auto m = aead.open(h(k.nonce), h(k.aad), buf, buf);
    ASSERT_TRUE(m.ok()) << k.name;
    EXPECT_EQ(*m, pt.size());
    EXPECT_TRUE(equal(BytesView(buf).first(*m), pt)) << k.name;
  }
}

TEST(Aead, EmptyPlaintextAndAad) {
  for (AeadId id : {AeadId::aes_128_gcm, AeadId::aes_256_gcm, AeadId::chacha20_poly1305}) {
    Aead aead = make(id, Bytes(aead_key_size(id), 7));
    Bytes nonce(12, 1);
    auto ct = aead.seal(nonce, {}, {});
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(ct->size(), 16u);
    auto pt = aead.open(nonce, {}, *ct);
    ASSERT_TRUE(pt.ok());
    EXPECT_TRUE(pt->empty());
    (*ct)[0] ^= 1;
    EXPECT_FALSE(aead.open(nonce, {}, *ct).ok());
  }
}

// A failed open must not leave unauthenticated plaintext in the caller's
// buffer: the plaintext area is wiped.
TEST(Aead, FailedOpenWipesOutput) {
  for (const auto& k : kats()) {
    if (h(k.pt).empty()) continue;
    Aead aead = make(k.id, h(k.key));
    Bytes ct = concat({h(k.ct), h(k.tag)});
    ct.back() ^= 1;  // a bad tag: decryption itself ran before the check
    Bytes out(ct.size() - 16, 0xAA);
    auto r = aead.open(h(k.nonce), h(k.aad), ct, out);
    ASSERT_FALSE(r.ok()) << k.name;
    EXPECT_EQ(out, Bytes(out.size(), 0)) << k.name;
    // In place too.
    auto r2 = aead.open(h(k.nonce), h(k.aad), ct, ct);
    ASSERT_FALSE(r2.ok()) << k.name;
    EXPECT_EQ(Bytes(ct.begin(), ct.end() - 16), Bytes(ct.size() - 16, 0)) << k.name;
  }
}

TEST(Aead, TamperingRejected) {
  for (const auto& k : kats()) {
    Aead aead = make(k.id, h(k.key));
    Bytes nonce = h(k.nonce);
    Bytes aad = h(k.aad);
    Bytes ct = concat({h(k.ct), h(k.tag)});
    auto expect_fail = [&](BytesView n, BytesView a, BytesView c, const char* what) {
      auto r = aead.open(n, a, c);
      ASSERT_FALSE(r.ok()) << k.name << " " << what;
      EXPECT_TRUE(r.error().is(Errc::decrypt_failed)) << k.name << " " << what;
    };
    for (size_t i : {size_t{0}, ct.size() - 17, ct.size() - 16, ct.size() - 1}) {
      Bytes bad = ct;
      bad[i] ^= 0x80;
      expect_fail(nonce, aad, bad, "ciphertext/tag byte");
    }
    Bytes bad_nonce = nonce;
    bad_nonce[11] ^= 1;
    expect_fail(bad_nonce, aad, ct, "nonce");
    Bytes bad_aad = aad;
    bad_aad.push_back(0);
    expect_fail(nonce, bad_aad, ct, "aad appended");
    if (!aad.empty()) {
      bad_aad = aad;
      bad_aad[0] ^= 1;
      expect_fail(nonce, bad_aad, ct, "aad changed");
    }
    // Dropping a ciphertext byte shifts the tag.
    Bytes shorter(ct.begin() + 1, ct.end());
    expect_fail(nonce, aad, shorter, "truncated");
    // The object still works after failures.
    EXPECT_TRUE(aead.open(nonce, aad, ct).ok()) << k.name;
  }
}

TEST(Aead, WrongSizesRejected) {
  EXPECT_TRUE(Aead::create(AeadId::aes_128_gcm, Bytes(32)).error().is(Errc::invalid_key));
  EXPECT_TRUE(Aead::create(AeadId::aes_256_gcm, Bytes(16)).error().is(Errc::invalid_key));
  EXPECT_TRUE(Aead::create(AeadId::chacha20_poly1305, Bytes(31)).error().is(Errc::invalid_key));
  EXPECT_TRUE(Aead::create(static_cast<AeadId>(0xffff), Bytes(16)).error().is(Errc::unsupported));
  EXPECT_EQ(aead_key_size(static_cast<AeadId>(0xffff)), 0u);

  Aead aead = make(AeadId::aes_128_gcm, Bytes(16, 3));
  Bytes pt(10, 5);
  Bytes out(pt.size() + 16);
  EXPECT_TRUE(aead.seal(Bytes(11), {}, pt, out).error().is(Errc::invalid_length));
  EXPECT_TRUE(aead.seal(Bytes(13), {}, pt, out).error().is(Errc::invalid_length));
  Bytes small(pt.size() + 15);
  EXPECT_TRUE(aead.seal(Bytes(12), {}, pt, small).error().is(Errc::invalid_length));

  auto ct = aead.seal(Bytes(12), {}, pt);
  ASSERT_TRUE(ct.ok());
  Bytes back(pt.size());
  EXPECT_TRUE(aead.open(Bytes(12), {}, *ct, back).ok());
  EXPECT_TRUE(aead.open(Bytes(11), {}, *ct, back).error().is(Errc::invalid_length));
  Bytes tiny(pt.size() - 1);
  EXPECT_TRUE(aead.open(Bytes(12), {}, *ct, tiny).error().is(Errc::invalid_length));
  EXPECT_TRUE(aead.open(Bytes(12), {}, Bytes(15), back).error().is(Errc::invalid_length));
  EXPECT_TRUE(aead.open(Bytes(12), {}, Bytes(), back).error().is(Errc::invalid_length));
  EXPECT_TRUE(aead.open(Bytes(12), {}, Bytes(15)).error().is(Errc::invalid_length));
}

// One object used for many messages under different nonces, with seal and
// open interleaved, gives exactly what fresh objects give.
TEST(Aead, ContextReuseMatchesFreshObjects) {
  for (AeadId id : {AeadId::aes_128_gcm, AeadId::aes_256_gcm, AeadId::chacha20_poly1305}) {
    Bytes key(aead_key_size(id));
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 7 + 1);
    Aead reused = make(id, key);
    for (uint32_t i = 0; i < 200; ++i) {
      Bytes nonce(12, 0);
      put_be(MutableBytesView(nonce).subspan(8), i);
      Bytes aad = be_bytes(i * 31u, 1 + i % 9);
      Bytes pt(i % 67, static_cast<uint8_t>(i));
      Aead fresh = make(id, key);
      auto a = reused.seal(nonce, aad, pt);
      auto b = fresh.seal(nonce, aad, pt);
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_EQ(*a, *b) << "message " << i;
      if (i % 5 == 0) {
        Bytes bad = *a;
        bad.back() ^= 1;
        ASSERT_FALSE(reused.open(nonce, aad, bad).ok());
      }
      auto back = reused.open(nonce, aad, *a);
      ASSERT_TRUE(back.ok()) << "message " << i;
      ASSERT_EQ(*back, pt);
    }
  }
}

TEST(Aead, MoveKeepsKey) {
  Aead a = make(AeadId::aes_256_gcm, Bytes(32, 9));
  auto ct = a.seal(Bytes(12), as_bytes("aad"), as_bytes("hello"));
  ASSERT_TRUE(ct.ok());
  Aead b = std::move(a);
  auto pt = b.open(Bytes(12), as_bytes("aad"), *ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(*pt, to_bytes("hello"));
}

// NIST SP 800-38A section F.5.1, CTR-AES128.Encrypt (and F.5.2 decrypt).
TEST(AesCtr, Sp800_38aF51) {
  auto ctr = AesCtr::create(h("2b7e151628aed2a6abf7158809cf4f3c"));
  ASSERT_TRUE(ctr.ok());
  Bytes iv = h("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  Bytes pt = h(
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
  Bytes ct = h(
      "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
      "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");
  Bytes out(pt.size());
  ASSERT_TRUE(ctr->apply(iv, pt, out).ok());
  EXPECT_EQ(out, ct);
  // Again on the same object (the counter restarts), then in place.
  Bytes buf = pt;
  ASSERT_TRUE(ctr->apply(iv, buf, buf).ok());
  EXPECT_EQ(buf, ct);
  ASSERT_TRUE(ctr->apply(iv, buf, buf).ok());
  EXPECT_EQ(buf, pt);
  // A partial block followed by a fresh call starts at the counter again.
  Bytes part(5);
  ASSERT_TRUE(ctr->apply(iv, BytesView(pt).first(5), part).ok());
  EXPECT_TRUE(equal(part, BytesView(ct).first(5)));
  ASSERT_TRUE(ctr->apply(iv, BytesView(pt).first(5), part).ok());
  EXPECT_TRUE(equal(part, BytesView(ct).first(5)));
}

TEST(AesCtr, Aes256AndSizes) {
  EXPECT_TRUE(AesCtr::create(Bytes(24)).error().is(Errc::invalid_key));
  EXPECT_TRUE(AesCtr::create(Bytes(0)).error().is(Errc::invalid_key));
  auto a = AesCtr::create(Bytes(32, 1));
  auto b = AesCtr::create(Bytes(16, 1));
  ASSERT_TRUE(a.ok() && b.ok());
  Bytes iv(16, 0);
  Bytes in(40, 0);
  Bytes oa(40), ob(40);
  ASSERT_TRUE(a->apply(iv, in, oa).ok());
  ASSERT_TRUE(b->apply(iv, in, ob).ok());
  EXPECT_NE(oa, ob);
  EXPECT_TRUE(a->apply(Bytes(15), in, oa).error().is(Errc::invalid_length));
  Bytes small(39);
  EXPECT_TRUE(a->apply(iv, in, small).error().is(Errc::invalid_length));
  EXPECT_TRUE(a->apply(iv, {}, {}).ok());
}

}  // namespace
}  // namespace conclave::crypto
