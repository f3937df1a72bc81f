#include "conclave/sdp/extmap.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(Extmap, ParsesIdDirectionUriAndAttributes) {
  auto e = Extmap::parse("4 urn:ietf:params:rtp-hdrext:sdes:mid");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->id, 4);
  EXPECT_FALSE(e->direction);
  EXPECT_EQ(e->uri, "urn:ietf:params:rtp-hdrext:sdes:mid");
  EXPECT_TRUE(e->one_byte());
  EXPECT_EQ(e->serialize(), "4 urn:ietf:params:rtp-hdrext:sdes:mid");

  auto d = Extmap::parse("200/sendonly urn:x attr1 attr2");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->id, 200);
  EXPECT_EQ(d->direction, Direction::sendonly);
  EXPECT_EQ(d->attributes, "attr1 attr2");
  EXPECT_FALSE(d->one_byte());
  EXPECT_EQ(d->serialize(), "200/sendonly urn:x attr1 attr2");
  EXPECT_EQ(Extmap::parse(d->serialize()).value(), *d);
}

TEST(Extmap, IdRange) {
  EXPECT_TRUE(Extmap::parse("1 urn:x").ok());
  EXPECT_TRUE(Extmap::parse("14 urn:x")->one_byte());
  EXPECT_FALSE(Extmap::parse("15 urn:x")->one_byte());  // two-byte form only
  EXPECT_TRUE(Extmap::parse("255 urn:x").ok());
  EXPECT_TRUE(Extmap::parse("0 urn:x").error().is(Errc::invalid_extmap));
  EXPECT_TRUE(Extmap::parse("256 urn:x").error().is(Errc::invalid_extmap));
  EXPECT_TRUE(Extmap::parse("4096 urn:x").error().is(Errc::invalid_extmap));
}

TEST(Extmap, RejectsMalformed) {
  for (const char* bad :
       {"", "4", "x urn:x", "4/both urn:x", "4/ urn:x", "/sendonly urn:x", "-1 urn:x"}) {
    auto r = Extmap::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_extmap)) << bad;
  }
}

}  // namespace
}  // namespace conclave::sdp
