#include "conclave/sdp/rtcp_fb.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(RtcpFb, ParsesTypesAndParameters) {
  auto pli = RtcpFb::parse("96 nack pli");
  ASSERT_TRUE(pli.ok());
  EXPECT_EQ(pli->payload_type, 96);
  EXPECT_EQ(pli->type, "nack");
  EXPECT_EQ(pli->parameter, "pli");
  EXPECT_TRUE(pli->applies_to(96));
  EXPECT_FALSE(pli->applies_to(97));
  EXPECT_EQ(pli->serialize(), "96 nack pli");

  auto remb = RtcpFb::parse("96 goog-remb");
  ASSERT_TRUE(remb.ok());
  EXPECT_TRUE(remb->parameter.empty());
  EXPECT_EQ(remb->serialize(), "96 goog-remb");

  auto all = RtcpFb::parse("*  trr-int   100");
  ASSERT_TRUE(all.ok());
  EXPECT_FALSE(all->payload_type);
  EXPECT_TRUE(all->applies_to(5));
  EXPECT_EQ(all->serialize(), "* trr-int 100");
  EXPECT_EQ(RtcpFb::parse(all->serialize()).value(), *all);
}

TEST(RtcpFb, RejectsMalformed) {
  for (const char* bad : {"", "96", "200 nack", "x nack", "96 na:ck", "** nack"}) {
    auto r = RtcpFb::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_rtcp_fb)) << bad;
  }
  EXPECT_FALSE(RtcpFb::parse("96 a b c d e f g h i j k l m n o p q").ok());
}

}  // namespace
}  // namespace conclave::sdp
