#include "conclave/sdp/rtpmap.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(Rtpmap, ParsesAudioAndVideo) {
  auto opus = Rtpmap::parse("111 opus/48000/2");
  ASSERT_TRUE(opus.ok());
  EXPECT_EQ(opus->payload_type, 111);
  EXPECT_EQ(opus->encoding_name, "opus");
  EXPECT_EQ(opus->clock_rate, 48000u);
  EXPECT_EQ(opus->channels, 2);
  EXPECT_EQ(opus->serialize(), "111 opus/48000/2");

  auto vp8 = Rtpmap::parse("96 VP8/90000");
  ASSERT_TRUE(vp8.ok());
  EXPECT_FALSE(vp8->channels);
  EXPECT_EQ(vp8->serialize(), "96 VP8/90000");
  EXPECT_EQ(Rtpmap::parse(vp8->serialize()).value(), *vp8);
}

TEST(Rtpmap, SameCodec) {
  const Rtpmap a = Rtpmap::parse("96 VP8/90000").value();
  EXPECT_TRUE(a.same_codec(Rtpmap::parse("100 vp8/90000/1").value()));
  EXPECT_FALSE(a.same_codec(Rtpmap::parse("96 VP9/90000").value()));
  EXPECT_FALSE(Rtpmap::parse("111 opus/48000/2")
                   .value()
                   .same_codec(Rtpmap::parse("111 opus/48000").value()));
}

TEST(Rtpmap, RejectsMalformed) {
  for (const char* bad :
       {"", "111", "111 opus", "111 opus/", "128 opus/48000/2", "-1 opus/48000", "111 opus/0",
        "111 opus/48000/0", "111 opus/48000/x", "111 op us/48000", "111 opus/48000/2/1",
        "x VP8/90000", "111 opus/99999999999", "96 VP8/90000 extra"}) {
    auto r = Rtpmap::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_rtpmap)) << bad;
  }
}

}  // namespace
}  // namespace conclave::sdp
