#include "conclave/crypto/signature.h"

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

const SignatureScheme kAll[] = {
    SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
    SignatureScheme::ecdsa_secp521r1_sha512, SignatureScheme::ed25519, SignatureScheme::ed448};
const SignatureScheme kEcdsa[] = {SignatureScheme::ecdsa_secp256r1_sha256,
                                  SignatureScheme::ecdsa_secp384r1_sha384,
                                  SignatureScheme::ecdsa_secp521r1_sha512};

struct EdCase {
  SignatureScheme s;
  std::string sk, pk, msg, sig;
};

// RFC 8032 section 7.1 TEST 1 and section 7.4 "-----Blank" (empty message).
TEST(Signature, Rfc8032) {
  std::vector<EdCase> cases = {
      {SignatureScheme::ed25519,
       "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
       "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {SignatureScheme::ed448,
       "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3"
       "528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
       "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778"
       "edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
       "",
       "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f"
       "2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a"
       "9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4db"
       "b61149f05a7363268c71d95808ff2e652600"},
  };
  for (const auto& c : cases) {
    auto sk = signature_private_key_from_bytes(c.s, h(c.sk));
    ASSERT_TRUE(sk.ok());
    EXPECT_EQ(sk->scheme(), c.s);
    EXPECT_EQ(sk->public_key().bytes(), h(c.pk));
    EXPECT_EQ(signature_private_key_to_bytes(*sk).reveal_copy(), h(c.sk));
    auto sig = sign(*sk, h(c.msg));
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(*sig, h(c.sig));  // EdDSA is deterministic
    auto pk = signature_public_key_from_bytes(c.s, h(c.pk));
    ASSERT_TRUE(pk.ok());
    EXPECT_TRUE(verify(*pk, h(c.msg), h(c.sig)).ok());
    auto bad = verify(*pk, as_bytes("x"), h(c.sig));
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().is(Errc::verify_failed));
  }
}

struct MlsCase {
  int suite;
  SignatureScheme s;
  std::string priv, pub, content, sig;
};

// SignWithLabel from RFC 9420 section 5.1.2: the signed bytes are the TLS
// encoding of SignContent { opaque label<V> = "MLS 1.0 " + label;
// opaque content<V>; } with MLS varint length prefixes.
Bytes sign_content(std::string_view label, BytesView content) {
  std::string full = "MLS 1.0 " + std::string(label);
  Bytes out;
  out.push_back(static_cast<uint8_t>(full.size()));  // < 64: one-byte varint
  out.insert(out.end(), full.begin(), full.end());
  if (content.size() < 64) {
    out.push_back(static_cast<uint8_t>(content.size()));
  } else {
    out.push_back(static_cast<uint8_t>(0x40 | (content.size() >> 8)));
    out.push_back(static_cast<uint8_t>(content.size() & 0xff));
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

// Key pairs and signatures copied from the MLS vectors
// (shared/vectors/mls/crypto-basics.json, sign_with_label, label
// "SignWithLabel"): private keys import in the format MLS hands them over,
// derive the published public key, and the published signatures verify.
TEST(Signature, MlsCryptoBasicsVectors) {
  std::vector<MlsCase> cases = {
      {1, SignatureScheme::ed25519,
       "a2f640dd5005fcad6adb8e9bd8b60d70946bb802e1e788307929fdac81e1ec74",
       "85600e54e5c2919ccbd0742126e5d837cf7a2ba50d75a69b3f35dcfe4a50ffe2",
       "cd289cc7ba2869f64f3c32ffd133f500d17abace919a5ffe7faa974200d81932",
       "996bd223ddb4d55a2b57d85cb2944f21facc95696053ddf66d590060fdc719f4"
       "a26c6212ce605414e0d5e66a55921dd99d11122218c35bc23408b0076e8bc40b"},
      {2, SignatureScheme::ecdsa_secp256r1_sha256,
       "207c472d3efaf6737a6f5ae14a3c33a139034865364a128bca5475c85cc02fe0",
       "04448971fc06de011d780cf68fd27e2570322d04079f529c3deb48a2015fdd8281"
       "62c570264e051b5856e8111171fb0341907173aefa665682c2549af982a31483",
       "a0dda617ce4685d764c762b11186b6d60ff8de85ff01eca2413bd4ecfd3b3a57",
       "304402206042e397e1bb78951709790e3446b13bf17f9c641aaed92fb1768b5bc9"
       "9dd98402202465153d91dd79e808286088768d8ed150381f3675498d6e150ae713be43387b"},
      {4, SignatureScheme::ed448,
       "e6e78b6be2d3a2ef0be99f62c2d3c57a3f392bf53084f276c9675ca1890e46db"
       "dd6922cafff540c7dae1af237ba8272659e1c64cfc8c141aad",
       "7ed080c31aa1c4ba05aea3bd75efe01825a5f219fb7e1ea67b1c171f01c19339"
       "873b7bc29614903888ba49f954c9f0c6f0b6051a1ed4ab5880",
       "0b1aee9793837d23fcdd58cdfd3bdd72666deb49dab282b2e1891ce4e7665d35"
       "44787a5eb9663bdbc4397bb111ad182dc5a305e9720687812fda4dc988461621",
       "0b363568911eb4c34d89a01007bab0585d06cc24937cea982d330429802d4d91"
       "fae03766f8f0cae6c3067a369ea9b9e87c8015e91a424dcd80377df71eaf4b5a"
       "d2b98cea049ba3e29faf66eee0a9289f8ad5f9b38d52ce9c653f2b86002803e1"
       "c918bb5ba511ee2784c5ced7df3e59bf0200"},
      {5, SignatureScheme::ecdsa_secp521r1_sha512,
       "0075aac2317c4cd22c101bee131cf4eae76960435356436c46ea76cc821f66e0c5"
       "9db66f8f6524cddc621019079b57ec5f105def6c08dcfaa0122480a088a5c44b5e",
       "040049f6755dc251dea75df263286c9617cb676434c1167e14bd48222a15e10daa"
       "02b9251c432f31c59511e9d9a6132dc2e3a5ee0d001925f4cbf6c9aff007e38c61"
       "f601501a72177aa3d8836ee7adbce0ad5fedd59d578b1eb5d85dfadcae518a8a3d"
       "1549c625f47db54040da9325ad5e1273d5df18e99c2a6d03d974f404862bf2102054",
       "3ccae9578cddec157c33b42712316cd2b360fa1020c21aa763bff71c6116cf93"
       "ce9db1ee95028f85c6711675f340f36e1382cfedf59e5b8ae6d85b659cda883d",
       "308186024160b6fe7407a52fb499a54e7a4b8a095c38c9f7f52dd18c3342692027"
       "592252fda87b3476d7f433a79c9426b05d66b1d58291e625912483e04581fba7cd"
       "64c63a920241760fe9615de08c694e7a443a33f2df2ee25f55527500616434ff5b"
       "a19778f3afac9d5b300a46cfb53cb317e7eb4f10679b09828edf62f529317a8c0d"
       "612103b1c5"},
      {7, SignatureScheme::ecdsa_secp384r1_sha384,
       "3fa2573fe417aba24c2bf0df290c6cd4425ad12cd95ce81871b15aee5ae34f1c"
       "49531b9ca392f3fc6443c7917381b77e",
       "04fe2469e05e1fae9874891e3c05907e16eba323ed97680187ab8321504b78c315"
       "9a6747fb6dcbc600e7e95cfaf1c623be2a4e4a4855d7bd9a3104c6238397f526de"
       "1e61b62e48cac51a5a413ee435b6d15158100649c69d0abbaa4200f806334c",
       "80e54bf4518194eb9034dade8753ed06b4763a2f7b1df80320b00d8e7c3d1f61"
       "81f56fbf663b272592ae6d90e30816fd",
       "3066023100c0847e70396150fdbe01fd2b192166ccfdfa398dd256855d6485c24323"
       "5b32276b40ca285a1aa8adf7257732e8f25f47023100b2aa141a67e034d333b29690"
       "d705668350c637220836c29042a146383a07b2438ffa732afc272351cb3bddaf6a26afcb"},
  };
  for (const auto& c : cases) {
    auto sk = signature_private_key_from_bytes(c.s, h(c.priv));
    ASSERT_TRUE(sk.ok()) << "suite " << c.suite;
    EXPECT_EQ(sk->public_key().bytes(), h(c.pub)) << "suite " << c.suite;
    auto pk = signature_public_key_from_bytes(c.s, h(c.pub));
    ASSERT_TRUE(pk.ok()) << "suite " << c.suite;
    Bytes tbs = sign_content("SignWithLabel", h(c.content));
    EXPECT_TRUE(verify(*pk, tbs, h(c.sig)).ok()) << "suite " << c.suite;
    EXPECT_FALSE(verify(*pk, h(c.content), h(c.sig)).ok()) << "suite " << c.suite;
    auto fresh = sign(*sk, tbs);
    ASSERT_TRUE(fresh.ok());
    EXPECT_TRUE(verify(*pk, tbs, *fresh).ok()) << "suite " << c.suite;
  }
}

// message-protection.json, suite 5: a P-521 signature key of 65 bytes (the
// leading zero byte dropped) must be left-padded to 66 and give the
// published public key.
TEST(Signature, P521ShortScalarLeftPadded) {
  Bytes priv = h(
      "0beee7d4e812a02538473225803aca13f8dea26718f188f2e1de8357a0037df621"
      "230cf4593885f282b858ac301e54c0643f5d07b6e85f237baa13b574000cd821");
  ASSERT_EQ(priv.size(), 65u);
  auto sk = signature_private_key_from_bytes(SignatureScheme::ecdsa_secp521r1_sha512, priv);
  ASSERT_TRUE(sk.ok());
  EXPECT_EQ(sk->public_key().bytes(),
            h("0400bd899c19f74c9200f2e7d1b88a681ad78df3bdec43bce09f08cafd7405b417"
              "09b618c9af3343d5adc2bd893be18b17825ca6ebe5deb647350274979dd8208cc8"
              "63016b2cc8a367596139b384252184771083881d66557ca469945ac8d0d3af08c0"
              "48ccffb51d44ed70efaf8cb8e238912a7751ed74a5e33bddc7cef0d6ec37422a9df2"));
  SecretBytes raw = signature_private_key_to_bytes(*sk);
  ASSERT_EQ(raw.size(), 66u);
  EXPECT_EQ(raw.data()[0], 0);
  EXPECT_TRUE(equal(raw.view().subspan(1), priv));
  // The padded form imports to the same key.
  auto padded = signature_private_key_from_bytes(SignatureScheme::ecdsa_secp521r1_sha512,
                                                 raw.view());
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(padded->public_key().bytes(), sk->public_key().bytes());
}

TEST(Signature, RoundTripsAllSchemes) {
  for (SignatureScheme s : kAll) {
    auto sk = signature_generate(s);
    ASSERT_TRUE(sk.ok());
    auto pk = signature_public_key_from_bytes(s, sk->public_key().bytes());
    ASSERT_TRUE(pk.ok());
    for (const Bytes& msg : {Bytes(), to_bytes("hello"), Bytes(5000, 'z')}) {
      auto sig = sign(*sk, msg);
      ASSERT_TRUE(sig.ok());
      EXPECT_TRUE(verify(*pk, msg, *sig).ok());
      EXPECT_TRUE(verify(sk->public_key(), msg, *sig).ok());
      Bytes tampered = msg;
      tampered.push_back(1);
      EXPECT_TRUE(verify(*pk, tampered, *sig).error().is(Errc::verify_failed));
    }
    // Re-import of the serialized private key gives the same public key.
    auto again = signature_private_key_from_bytes(s, signature_private_key_to_bytes(*sk).view());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->public_key().bytes(), sk->public_key().bytes());
    // Another key's signature does not verify.
    auto other = signature_generate(s);
    ASSERT_TRUE(other.ok());
    auto sig = sign(*other, as_bytes("m"));
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(verify(*pk, as_bytes("m"), *sig).error().is(Errc::verify_failed));
  }
}

TEST(Signature, EcdsaSignaturesAreDer) {
  for (SignatureScheme s : kEcdsa) {
    auto sk = signature_generate(s);
    ASSERT_TRUE(sk.ok());
    auto sig = sign(*sk, as_bytes("der"));
    ASSERT_TRUE(sig.ok());
    ASSERT_GE(sig->size(), 8u);
    EXPECT_EQ((*sig)[0], 0x30);  // SEQUENCE
  }
}

TEST(Signature, GarbageSignaturesRejected) {
  for (SignatureScheme s : kAll) {
    auto sk = signature_generate(s);
    ASSERT_TRUE(sk.ok());
    const SignaturePublicKey& pk = sk->public_key();
    Bytes msg = to_bytes("message");
    auto sig = sign(*sk, msg);
    ASSERT_TRUE(sig.ok());
    std::vector<Bytes> garbage = {
        Bytes(),
        Bytes(1, 0x30),
        Bytes(sig->size(), 0),
        Bytes(sig->size(), 0xff),
        Bytes(sig->begin(), sig->end() - 1),
        concat({*sig, Bytes(1, 0)}),
        h("3006020101020101"),  // r = s = 1
        h("3006020100020100"),  // r = s = 0
        h("30800201010201010000"),  // BER indefinite length
        h("308102020101"),          // truncated length
    };
    for (size_t i = 0; i < sig->size(); i += 7) {
      Bytes flipped = *sig;
      flipped[i] ^= 0x01;
      garbage.push_back(flipped);
    }
    for (size_t i = 0; i < garbage.size(); ++i) {
      auto r = verify(pk, msg, garbage[i]);
      ASSERT_FALSE(r.ok()) << static_cast<int>(s) << " garbage " << i;
      EXPECT_TRUE(r.error().is(Errc::verify_failed)) << static_cast<int>(s) << " garbage " << i;
    }
    // Still fine afterwards.
    EXPECT_TRUE(verify(pk, msg, *sig).ok());
  }
}

TEST(Signature, PrivateKeyChecks) {
  // EdDSA seeds have one size.
  EXPECT_TRUE(signature_private_key_from_bytes(SignatureScheme::ed25519, Bytes(31, 1))
                  .error()
                  .is(Errc::invalid_key));
  EXPECT_TRUE(signature_private_key_from_bytes(SignatureScheme::ed25519, Bytes(64, 1))
                  .error()
                  .is(Errc::invalid_key));
  EXPECT_TRUE(signature_private_key_from_bytes(SignatureScheme::ed448, Bytes(56, 1))
                  .error()
                  .is(Errc::invalid_key));
  // ECDSA: longer than the field, zero, or not below the order.
  const size_t sizes[] = {32, 48, 66};
  for (size_t i = 0; i < 3; ++i) {
    SignatureScheme s = kEcdsa[i];
    EXPECT_TRUE(signature_private_key_from_bytes(s, Bytes(sizes[i] + 1, 1))
                    .error()
                    .is(Errc::invalid_key));
    EXPECT_TRUE(
        signature_private_key_from_bytes(s, Bytes(sizes[i], 0)).error().is(Errc::invalid_key));
    EXPECT_TRUE(signature_private_key_from_bytes(s, Bytes()).error().is(Errc::invalid_key));
    EXPECT_TRUE(
        signature_private_key_from_bytes(s, Bytes(sizes[i], 0xff)).error().is(Errc::invalid_key));
    // A short scalar (here: 1) is accepted and padded.
    auto one = signature_private_key_from_bytes(s, Bytes(1, 1));
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(signature_private_key_to_bytes(*one).size(), sizes[i]);
  }
  EXPECT_TRUE(signature_generate(static_cast<SignatureScheme>(0x0401))
                  .error()
                  .is(Errc::unsupported));
}

TEST(Signature, PublicKeyChecks) {
  for (SignatureScheme s : kAll) {
    auto sk = signature_generate(s);
    ASSERT_TRUE(sk.ok());
    Bytes pk = sk->public_key().bytes();
    Bytes longer = concat({pk, Bytes(1, 0)});
    Bytes shorter(pk.begin(), pk.end() - 1);
    for (const Bytes& bad : {longer, shorter, Bytes()}) {
      EXPECT_TRUE(signature_public_key_from_bytes(s, bad).error().is(Errc::invalid_public_key));
    }
  }
  for (SignatureScheme s : kEcdsa) {
    auto sk = signature_generate(s);
    ASSERT_TRUE(sk.ok());
    Bytes off = sk->public_key().bytes();
    off.back() ^= 1;
    EXPECT_TRUE(signature_public_key_from_bytes(s, off).error().is(Errc::invalid_public_key));
    Bytes compressed = sk->public_key().bytes();
    compressed[0] = 0x03;
    EXPECT_FALSE(signature_public_key_from_bytes(s, compressed).ok());
  }
  // An EdDSA string that does not decode to a point fails at verify.
  Bytes bad_point(32, 0xff);
  auto pk = signature_public_key_from_bytes(SignatureScheme::ed25519, bad_point);
  if (pk.ok()) {
    EXPECT_TRUE(verify(*pk, as_bytes("m"), Bytes(64, 0)).error().is(Errc::verify_failed));
  }
}

}  // namespace
}  // namespace conclave::crypto
