#include "../src/syntax.h"

#include <gtest/gtest.h>

namespace conclave::sdp::detail {
namespace {

TEST(Syntax, Tokens) {
  EXPECT_TRUE(is_token("UDP"));
  EXPECT_TRUE(is_token("{8d2b-7f}"));
  EXPECT_TRUE(is_token("goog-remb"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("a b"));
  EXPECT_FALSE(is_token("a/b"));  // '/' separates proto tokens
  EXPECT_FALSE(is_token("a:b"));
  EXPECT_FALSE(is_token("a\"b"));
  EXPECT_FALSE(is_token("caf\xc3\xa9"));
}

TEST(Syntax, StringClasses) {
  EXPECT_TRUE(is_non_ws("fe80::1%eth0"));
  EXPECT_TRUE(is_non_ws("caf\xc3\xa9"));
  EXPECT_FALSE(is_non_ws("a b"));
  EXPECT_FALSE(is_non_ws("a\x7f"));
  EXPECT_TRUE(is_byte_string(" WMS *"));
  EXPECT_FALSE(is_byte_string(""));
  EXPECT_FALSE(is_byte_string(std::string_view("a\0b", 3)));
  EXPECT_FALSE(is_byte_string("a\rb"));
  EXPECT_TRUE(is_ice_chars("Ab+/09", 4, 256));
  EXPECT_FALSE(is_ice_chars("abc", 4, 256));
  EXPECT_FALSE(is_ice_chars("ab-c", 4, 256));
}

TEST(Syntax, Numbers) {
  EXPECT_EQ(parse_uint<uint16_t>("65535"), 65535);
  EXPECT_EQ(parse_uint<uint16_t>("0009"), 9);
  EXPECT_FALSE(parse_uint<uint16_t>("65536"));
  EXPECT_FALSE(parse_uint<uint16_t>(""));
  EXPECT_FALSE(parse_uint<uint16_t>("+1"));
  EXPECT_FALSE(parse_uint<uint16_t>("-1"));
  EXPECT_FALSE(parse_uint<uint16_t>("1 "));
  EXPECT_EQ(parse_uint<uint64_t>("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_uint<uint64_t>("18446744073709551616"));
  EXPECT_FALSE(parse_uint<uint64_t>("99999999999999999999"));
  EXPECT_FALSE(parse_uint<uint64_t>("000000000000000000001"));  // more than 20 digits
  EXPECT_EQ(parse_payload_type("127"), 127);
  EXPECT_FALSE(parse_payload_type("128"));
}

TEST(Syntax, SplitAndCase) {
  auto f = split_fields("  a \tb  c ", 3);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 3u);
  EXPECT_EQ((*f)[0], "a");
  EXPECT_EQ((*f)[2], "c");
  EXPECT_FALSE(split_fields("a b c d", 3));
  EXPECT_TRUE(split_fields("", 3)->empty());
  EXPECT_TRUE(iequals("SHA-256", "sha-256"));
  EXPECT_FALSE(iequals("sha-256", "sha-25"));
  EXPECT_EQ(to_lower("VP8"), "vp8");
  EXPECT_EQ(to_upper("ab:cd"), "AB:CD");
  EXPECT_EQ(trim(" \t x y \t"), "x y");
}

}  // namespace
}  // namespace conclave::sdp::detail
