#include "conclave/sdp/fmtp.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(Fmtp, ParsesParameters) {
  auto f = Fmtp::parse("111 minptime=10;useinbandfec=1");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->format, "111");
  EXPECT_EQ(f->payload_type(), 111);
  EXPECT_EQ(f->parameter("minptime"), "10");
  EXPECT_EQ(f->parameter("UseInbandFec"), "1");
  EXPECT_FALSE(f->parameter("stereo"));
  EXPECT_EQ(f->serialize(), "111 minptime=10;useinbandfec=1");
}

TEST(Fmtp, KeepsOddParameterText) {
  auto red = Fmtp::parse("63 111/111");
  ASSERT_TRUE(red.ok());
  EXPECT_EQ(red->parameters, "111/111");
  EXPECT_FALSE(red->parameter("111/111"));
  auto spaced = Fmtp::parse("97  apt = 96 ; x");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->parameter("apt"), "96");
  auto named = Fmtp::parse("webrtc-datachannel max-message-size=1");
  ASSERT_TRUE(named.ok());
  EXPECT_FALSE(named->payload_type());
}

TEST(Fmtp, RejectsMalformed) {
  for (const char* bad : {"", "111", "111 ", "a:b x=1", " "}) {
    auto r = Fmtp::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_fmtp)) << bad;
  }
}

}  // namespace
}  // namespace conclave::sdp
