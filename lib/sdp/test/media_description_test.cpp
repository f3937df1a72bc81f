#include "conclave/sdp/media_description.h"

#include <gtest/gtest.h>

#include <string>

#include "conclave/sdp/extmap.h"
#include "conclave/sdp/rtpmap.h"

namespace conclave::sdp {
namespace {

TEST(MediaDescription, ParsesMediaLines) {
  auto m = MediaDescription::parse_media_line("video 9 UDP/TLS/RTP/SAVPF 96 97");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind(), MediaKind::video);
  EXPECT_EQ(m->port, 9);
  EXPECT_FALSE(m->port_count);
  EXPECT_TRUE(m->is_rtp());
  EXPECT_EQ(m->payload_types().value(), (std::vector<uint8_t>{96, 97}));
  EXPECT_EQ(m->media_line(), "video 9 UDP/TLS/RTP/SAVPF 96 97");

  auto dc = MediaDescription::parse_media_line("application 0 UDP/DTLS/SCTP webrtc-datachannel");
  ASSERT_TRUE(dc.ok());
  EXPECT_EQ(dc->kind(), MediaKind::application);
  EXPECT_FALSE(dc->is_rtp());
  EXPECT_TRUE(dc->rejected());
  EXPECT_FALSE(dc->payload_types().ok());

  auto pair = MediaDescription::parse_media_line("audio 49170/2 RTP/AVP 0");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->port_count, 2);
  EXPECT_EQ(pair->media_line(), "audio 49170/2 RTP/AVP 0");
  EXPECT_EQ(MediaDescription::parse_media_line("text 9 RTP/AVP 98")->kind(), MediaKind::other);
}

TEST(MediaDescription, RejectsMalformedMediaLines) {
  for (const char* bad :
       {"", "audio 9 RTP/AVP", "audio x RTP/AVP 0", "audio 65536 RTP/AVP 0", "audio 9/0 RTP/AVP 0",
        "audio 9 RTP//AVP 0", "audio 9 /AVP 0", "audio 9 RTP/AVP 128", "audio 9 RTP/AVP x",
        "au:dio 9 RTP/AVP 0", "audio 9 RTP/AVP 0:1"}) {
    auto r = MediaDescription::parse_media_line(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_media_line)) << bad;
  }
  std::string many = "video 9 UDP/TLS/RTP/SAVPF";
  for (size_t i = 0; i <= MediaDescription::kMaxFormats; ++i) many += " 96";
  EXPECT_TRUE(MediaDescription::parse_media_line(many).error().is(Errc::too_many_values));
}

TEST(MediaDescription, AttributeHelpers) {
  MediaDescription m;
  m.formats = {"111"};
  EXPECT_FALSE(m.mid());
  EXPECT_FALSE(m.direction());
  m.add("mid", "a0");
  m.add("recvonly");
  m.add(Rtpmap{111, "opus", 48000, 2});
  m.add(Extmap{3, Direction::sendonly, "urn:x", {}});
  EXPECT_EQ(m.mid(), "a0");
  EXPECT_EQ(m.direction(), Direction::recvonly);
  EXPECT_TRUE(m.has("recvonly"));
  EXPECT_EQ(m.find("rtpmap")->value, "111 opus/48000/2");
  EXPECT_EQ(m.find("extmap")->value, "3/sendonly urn:x");
  auto maps = m.all<Rtpmap>();
  ASSERT_TRUE(maps.ok());
  ASSERT_EQ(maps->size(), 1u);
  EXPECT_EQ((*maps)[0].channels, 2);
  m.port = 0;
  EXPECT_TRUE(m.rejected());
  m.add("bundle-only");
  EXPECT_FALSE(m.rejected());
  EXPECT_EQ(to_string(MediaKind::audio), "audio");
  EXPECT_EQ(media_kind_from_name("video"), MediaKind::video);
}

}  // namespace
}  // namespace conclave::sdp
