#include "conclave/net/srtp_key_derivation.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"
#include "conclave/net/srtp_session.h"

namespace conclave::net {
namespace {

Bytes unhex(std::string_view hex) {
  auto b = from_hex(hex);
  CV_CHECK(b.ok());
  return std::move(b).value();
}

// RFC 3711 appendix B.3 (key derivation test vectors).
constexpr std::string_view kMasterKey = "E1F97A0D3E018BE0D64FA32C06DE4139";
constexpr std::string_view kMasterSalt = "0EC675AD498AFEEBB6960B3AABE6";

TEST(SrtpKeyDerivation, MatchesRfc3711AppendixB3) {
  const Bytes key = unhex(kMasterKey);
  const Bytes salt = unhex(kMasterSalt);
  auto cipher_key = SrtpKeyDerivation::derive_key(key, salt, 0, 16);
  auto cipher_salt = SrtpKeyDerivation::derive_key(key, salt, 2, 14);
  auto auth_key = SrtpKeyDerivation::derive_key(key, salt, 1, 20);
  ASSERT_TRUE(cipher_key.ok() && cipher_salt.ok() && auth_key.ok());
  EXPECT_EQ(cipher_key->reveal_copy(), unhex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(cipher_salt->reveal_copy(), unhex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(auth_key->reveal_copy(), unhex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

TEST(SrtpKeyDerivation, DeriveGivesEveryLabelOfTheProfile) {
  const Bytes master = concat({unhex(kMasterKey), unhex(kMasterSalt)});
  auto keys = SrtpKeyDerivation::derive(SrtpProfile::aes128_cm_sha1_80, SecretBytes(master));
  ASSERT_TRUE(keys.ok()) << keys.error().to_string();
  EXPECT_EQ(keys->rtp_encryption.reveal_copy(), unhex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(keys->rtp_salt.reveal_copy(), unhex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(keys->rtp_auth.reveal_copy(), unhex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
  // SRTCP keys use labels 3..5: same sizes, different keys.
  const Bytes key = unhex(kMasterKey);
  const Bytes salt = unhex(kMasterSalt);
  EXPECT_EQ(keys->rtcp_encryption.reveal_copy(),
            SrtpKeyDerivation::derive_key(key, salt, 3, 16)->reveal_copy());
  EXPECT_EQ(keys->rtcp_auth.reveal_copy(),
            SrtpKeyDerivation::derive_key(key, salt, 4, 20)->reveal_copy());
  EXPECT_EQ(keys->rtcp_salt.reveal_copy(),
            SrtpKeyDerivation::derive_key(key, salt, 5, 14)->reveal_copy());
  EXPECT_NE(keys->rtcp_encryption.reveal_copy(), keys->rtp_encryption.reveal_copy());
}

TEST(SrtpKeyDerivation, GcmPadsTheTwelveByteSaltAndHasNoAuthKeys) {
  const Bytes key = unhex(kMasterKey);
  const Bytes salt12 = unhex("0EC675AD498AFEEBB6960B3A");
  const Bytes salt14 = unhex("0EC675AD498AFEEBB6960B3A0000");
  auto keys =
      SrtpKeyDerivation::derive(SrtpProfile::aead_aes_128_gcm, SecretBytes(concat({key, salt12})));
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->rtp_encryption.reveal_copy(),
            SrtpKeyDerivation::derive_key(key, salt14, 0, 16)->reveal_copy());
  EXPECT_EQ(keys->rtp_salt.size(), 12u);
  EXPECT_EQ(keys->rtp_salt.reveal_copy(),
            SrtpKeyDerivation::derive_key(key, salt14, 2, 12)->reveal_copy());
  EXPECT_EQ(keys->rtcp_salt.reveal_copy(),
            SrtpKeyDerivation::derive_key(key, salt14, 5, 12)->reveal_copy());
  EXPECT_TRUE(keys->rtp_auth.empty());
  EXPECT_TRUE(keys->rtcp_auth.empty());
}

TEST(SrtpKeyDerivation, WrongSizesAreErrors) {
  const Bytes key = unhex(kMasterKey);
  EXPECT_TRUE(SrtpKeyDerivation::derive_key(BytesView(key).first(15), unhex(kMasterSalt), 0, 16)
                  .error()
                  .is(SrtpErrc::invalid_key));
  EXPECT_TRUE(
      SrtpKeyDerivation::derive_key(key, unhex("0EC675"), 0, 16).error().is(SrtpErrc::invalid_key));
  EXPECT_FALSE(SrtpKeyDerivation::derive_key(key, unhex(kMasterSalt), 0, 33).ok());
  EXPECT_TRUE(SrtpKeyDerivation::derive(SrtpProfile::aead_aes_128_gcm, SecretBytes(Bytes(30, 1)))
                  .error()
                  .is(SrtpErrc::invalid_key));
  EXPECT_FALSE(
      SrtpKeyDerivation::derive(static_cast<SrtpProfile>(2), SecretBytes(Bytes(30, 1))).ok());
}

}  // namespace
}  // namespace conclave::net
