#include "conclave/rtp/mid.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::rtp {
namespace {

TEST(Mid, ParsesAndSerializes) {
  auto m = Mid::parse(as_bytes("video-1"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, "video-1");
  EXPECT_EQ(Mid::serialize("0").value(), Bytes{'0'});
  const std::string longest(255, 'a');
  EXPECT_EQ(Mid::parse(Mid::serialize(longest).value()).value(), longest);
}

TEST(Mid, RejectsNonTokens) {
  EXPECT_TRUE(Mid::parse(BytesView{}).error().is(Errc::invalid_length));
  EXPECT_TRUE(Mid::parse(as_bytes("a b")).error().is(Errc::invalid_value));
  EXPECT_TRUE(Mid::parse(Bytes{'a', 0}).error().is(Errc::invalid_value));
  EXPECT_TRUE(Mid::parse(Bytes{0x80}).error().is(Errc::invalid_value));
  EXPECT_FALSE(Mid::serialize("").ok());
  EXPECT_FALSE(Mid::serialize(std::string(256, 'a')).ok());
  EXPECT_FALSE(Mid::serialize("tab\t").ok());
}

}  // namespace
}  // namespace conclave::rtp
