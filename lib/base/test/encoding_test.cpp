#include "conclave/base/encoding.h"

#include <gtest/gtest.h>

namespace conclave {
namespace {

TEST(Hex, RoundTrip) {
  Bytes data{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(data), "0001abff");
  EXPECT_EQ(*from_hex("0001ABff"), data);
  EXPECT_EQ(*from_hex(""), Bytes{});
}

TEST(Hex, RejectsMalformed) {
  EXPECT_TRUE(from_hex("abc").error().is(EncodingErrc::odd_length));
  EXPECT_TRUE(from_hex("zz").error().is(EncodingErrc::bad_character));
  EXPECT_TRUE(from_hex("0g").error().is(EncodingErrc::bad_character));
}

// RFC 4648 section 10.
TEST(Base64, Rfc4648Vectors) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* b64[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(to_base64(as_bytes(plain[i])), b64[i]);
    EXPECT_EQ(*from_base64(b64[i]), to_bytes(plain[i]));
  }
}

TEST(Base64Url, NoPaddingAndUrlAlphabet) {
  Bytes data{0xfb, 0xff, 0xbf};
  EXPECT_EQ(to_base64(data), "+/+/");
  EXPECT_EQ(to_base64url(data), "-_-_");
  EXPECT_EQ(*from_base64url("-_-_"), data);
  EXPECT_EQ(to_base64url(as_bytes("f")), "Zg");
  EXPECT_EQ(*from_base64url("Zg"), to_bytes("f"));
}

TEST(Base64, RejectsMalformed) {
  EXPECT_FALSE(from_base64("Zg=").ok());   // not a multiple of 4
  EXPECT_FALSE(from_base64("Z===").ok());  // one symbol cannot make a byte
  EXPECT_FALSE(from_base64("Zh==").ok());  // non-zero leftover bits
  EXPECT_FALSE(from_base64("Zm9*").ok());
  EXPECT_FALSE(from_base64url("Zg==").ok());  // padding is not base64url
  EXPECT_FALSE(from_base64url("+/").ok());    // standard alphabet
  EXPECT_FALSE(from_base64url("Z").ok());
}

}  // namespace
}  // namespace conclave
