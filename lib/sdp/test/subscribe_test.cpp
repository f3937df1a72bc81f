// The subscribe transport: build_subscribe_offer and parse_subscribe_answer
// (SFU) with answer_subscribe_offer (native client) and a Chromium-style
// answer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conclave/sdp/negotiation.h"
#include "test_util.h"

namespace conclave::sdp {
namespace {

using test::replace_all;

std::vector<std::string> values(const MediaDescription& m, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& a : m.attributes) {
    if (a.name == name) out.push_back(a.value);
  }
  return out;
}

std::vector<SubscribeTrack> two_tracks() {
  SubscribeTrack audio;
  audio.mid = "a-1";
  audio.kind = MediaKind::audio;
  audio.ssrc = 50001;
  audio.cname = "alice";
  audio.stream_id = "alice-cam";
  audio.track_id = "alice-mic";
  SubscribeTrack video;
  video.mid = "v-1";
  video.kind = MediaKind::video;
  video.ssrc = 50002;
  video.cname = "alice";
  video.stream_id = "alice-cam";
  video.track_id = "alice-camera";
  return {audio, video};
}

SessionDescription reparse(const SessionDescription& d) {
  auto again = SessionDescription::parse(d.serialize());
  EXPECT_TRUE(again.ok()) << again.error().to_string() << "\n" << d.serialize();
  if (again.ok()) {
    EXPECT_EQ(*again, d);
  }
  return again.ok() ? *again : SessionDescription{};
}

Error subscribe_answer_error(const SessionDescription& offer, const std::string& answer_text) {
  auto answer = SessionDescription::parse(answer_text);
  EXPECT_TRUE(answer.ok()) << answer.error().to_string();
  if (!answer.ok()) return answer.error();
  auto info = parse_subscribe_answer(offer, *answer);
  EXPECT_FALSE(info.ok());
  return info.ok() ? Error(Errc::invalid_line, "test: accepted") : info.error();
}

TEST(SubscribeNegotiation, TheSfuOffer) {
  const auto tracks = two_tracks();
  const SessionDescription offer = build_subscribe_offer(test::server_params(), tracks, 1);
  reparse(offer);
  EXPECT_EQ(offer.origin.session_version, 1u);
  EXPECT_TRUE(offer.has("ice-lite"));
  EXPECT_TRUE(offer.has("extmap-allow-mixed"));
  EXPECT_EQ(offer.find("group")->value, "BUNDLE a-1 v-1");
  ASSERT_EQ(offer.media.size(), 2u);

  const MediaDescription& a = offer.media[0];
  EXPECT_EQ(a.media_line(), "audio 40000 UDP/TLS/RTP/SAVPF 111");
  EXPECT_EQ(a.direction(), Direction::sendonly);
  EXPECT_EQ(a.find("setup")->value, "actpass");
  EXPECT_TRUE(a.has("rtcp-mux"));
  EXPECT_TRUE(a.has("rtcp-rsize"));
  EXPECT_EQ(values(a, "rtcp-fb"), std::vector<std::string>{});  // no transport-cc downstream
  EXPECT_EQ(values(a, "fmtp"), (std::vector<std::string>{"111 minptime=10;useinbandfec=1"}));
  EXPECT_EQ(
      values(a, "extmap"),
      (std::vector<std::string>{"1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                                "2 urn:ietf:params:rtp-hdrext:sdes:mid",
                                "4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"}));
  EXPECT_EQ(values(a, "msid"), (std::vector<std::string>{"alice-cam alice-mic"}));
  EXPECT_EQ(values(a, "ssrc"),
            (std::vector<std::string>{"50001 cname:alice", "50001 msid:alice-cam alice-mic"}));

  const MediaDescription& v = offer.media[1];
  EXPECT_EQ(v.formats, (std::vector<std::string>{"96"}));
  EXPECT_EQ(values(v, "rtcp-fb"),
            (std::vector<std::string>{"96 goog-remb", "96 ccm fir", "96 nack", "96 nack pli"}));
  EXPECT_EQ(values(v, "extmap"), (std::vector<std::string>{
                                     "2 urn:ietf:params:rtp-hdrext:sdes:mid",
                                     "4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                                     "5 https://aomediacodec.github.io/av1-rtp-spec/"
                                     "#dependency-descriptor-rtp-header-extension"}));
  const std::string text = offer.serialize();
  EXPECT_EQ(text.find("transport-wide-cc"), std::string::npos);
  EXPECT_EQ(text.find("transport-cc"), std::string::npos);
}

TEST(SubscribeNegotiation, NativeAnswerRoundTrip) {
  const auto tracks = two_tracks();
  const SessionDescription offer = reparse(build_subscribe_offer(test::server_params(), tracks, 1));

  auto answer = answer_subscribe_offer(offer, test::client_params());
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_TRUE(answer->server.ice_lite);
  EXPECT_EQ(answer->server.setup, Setup::actpass);
  EXPECT_EQ(answer->server.ice_ufrag, "SfUu");
  ASSERT_EQ(answer->server.candidates.size(), 1u);
  EXPECT_EQ(answer->server.candidates[0].serialize(),
            "1 1 udp 2130706431 127.0.0.1 40000 typ host");
  EXPECT_TRUE(answer->extmap_allow_mixed);
  ASSERT_EQ(answer->tracks.size(), 2u);
  for (size_t i = 0; i < tracks.size(); ++i) {
    const NegotiatedTrack& t = answer->tracks[i];
    EXPECT_EQ(t.mid, tracks[i].mid);
    EXPECT_EQ(t.kind, tracks[i].kind);
    EXPECT_EQ(t.direction, Direction::recvonly);
    EXPECT_EQ(t.ssrcs, (std::vector<uint32_t>{tracks[i].ssrc}));
    EXPECT_EQ(t.cname, "alice");
    EXPECT_EQ(t.msid_stream, tracks[i].stream_id);
    EXPECT_EQ(t.msid_track, tracks[i].track_id);
  }
  EXPECT_EQ(answer->tracks[0].ext,
            (HeaderExtensionIds{.audio_level = 1, .mid = 2, .abs_send_time = 4}));
  EXPECT_EQ(answer->tracks[1].ext,
            (HeaderExtensionIds{.mid = 2, .abs_send_time = 4, .dependency_descriptor = 5}));
  EXPECT_TRUE(answer->tracks[1].remb);
  EXPECT_TRUE(answer->tracks[1].nack);
  EXPECT_FALSE(answer->tracks[1].transport_cc_fb);

  const SessionDescription& a = answer->answer;
  EXPECT_FALSE(a.has("ice-lite"));
  EXPECT_EQ(a.find("group")->value, "BUNDLE a-1 v-1");
  EXPECT_EQ(a.media[0].find("setup")->value, "active");
  EXPECT_EQ(a.media[1].direction(), Direction::recvonly);
  EXPECT_EQ(a.media[0].port, 9);  // the client announced no candidate
  EXPECT_EQ(a.origin.session_version, 1u);
  const SessionDescription answer_back = reparse(a);

  auto info = parse_subscribe_answer(offer, answer_back);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  TransportParams expected_client = test::client_params();
  expected_client.setup = Setup::active;
  EXPECT_EQ(info->client, expected_client);
  EXPECT_TRUE(info->extmap_allow_mixed);
  EXPECT_TRUE(info->rejected_mids.empty());
  ASSERT_EQ(info->tracks.size(), 2u);
  for (size_t i = 0; i < tracks.size(); ++i) {
    EXPECT_EQ(info->tracks[i].direction, Direction::sendonly);
    EXPECT_EQ(info->tracks[i].ext, answer->tracks[i].ext);
    EXPECT_EQ(info->tracks[i].ssrcs, (std::vector<uint32_t>{tracks[i].ssrc}));
    EXPECT_EQ(info->tracks[i].payload_type, answer->tracks[i].payload_type);
  }
}

TEST(SubscribeNegotiation, TracksComeAndGo) {
  auto tracks = two_tracks();
  // Alice's video leaves: its section stays, inactive, with no SSRC.
  tracks[1].active = false;
  const SessionDescription offer2 =
      reparse(build_subscribe_offer(test::server_params(), tracks, 2));
  EXPECT_EQ(offer2.origin.session_version, 2u);
  ASSERT_EQ(offer2.media.size(), 2u);
  EXPECT_EQ(offer2.media[1].direction(), Direction::inactive);
  EXPECT_FALSE(offer2.media[1].has("ssrc"));
  EXPECT_FALSE(offer2.media[1].has("msid"));
  EXPECT_EQ(offer2.find("group")->value, "BUNDLE a-1 v-1");  // still bundled

  auto answer2 = answer_subscribe_offer(offer2, test::client_params());
  ASSERT_TRUE(answer2.ok()) << answer2.error().to_string();
  EXPECT_EQ(answer2->tracks[1].direction, Direction::inactive);
  EXPECT_TRUE(answer2->tracks[1].ssrcs.empty());
  EXPECT_EQ(answer2->answer.media[1].direction(), Direction::inactive);
  auto info2 = parse_subscribe_answer(offer2, answer2->answer);
  ASSERT_TRUE(info2.ok()) << info2.error().to_string();
  EXPECT_EQ(info2->tracks[1].direction, Direction::inactive);

  // Bob's camera reuses the section.
  tracks[1].active = true;
  tracks[1].mid = "v-2";
  tracks[1].ssrc = 60002;
  tracks[1].cname = "bob";
  tracks[1].stream_id = "bob-cam";
  tracks[1].track_id = "bob-camera";
  const SessionDescription offer3 =
      reparse(build_subscribe_offer(test::server_params(), tracks, 3));
  auto answer3 = answer_subscribe_offer(offer3, test::client_params());
  ASSERT_TRUE(answer3.ok()) << answer3.error().to_string();
  EXPECT_EQ(answer3->tracks[1].mid, "v-2");
  EXPECT_EQ(answer3->tracks[1].ssrcs, (std::vector<uint32_t>{60002u}));
  EXPECT_EQ(answer3->tracks[1].cname, "bob");
  auto info3 = parse_subscribe_answer(offer3, answer3->answer);
  ASSERT_TRUE(info3.ok()) << info3.error().to_string();
  EXPECT_EQ(info3->tracks[1].direction, Direction::sendonly);
}

TEST(SubscribeNegotiation, PayloadTypesAndExtensionIds) {
  auto tracks = two_tracks();
  tracks[0].payload_type = 109;
  tracks[1].payload_type = 120;
  tracks[1].ext.transport_cc = 3;   // ignored downstream
  tracks[0].ext.abs_send_time = 0;  // left out
  tracks[1].ext.abs_send_time = 0;
  const SessionDescription offer = build_subscribe_offer(test::server_params(), tracks, 1);
  EXPECT_EQ(offer.media[0].formats, (std::vector<std::string>{"109"}));
  EXPECT_EQ(offer.media[1].find("rtpmap")->value, "120 VP8/90000");
  EXPECT_EQ(values(offer.media[1], "extmap").size(), 2u);
  EXPECT_EQ(offer.serialize().find("abs-send-time"), std::string::npos);
  auto answer = answer_subscribe_offer(offer, test::client_params());
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->tracks[0].payload_type, 109);
  EXPECT_EQ(answer->tracks[1].ext.abs_send_time, 0);
}

// A Chromium 120-style answer to the offer of two_tracks().
constexpr std::string_view kChromiumAnswer =
    "v=0\r\n"
    "o=- 6385217398823513010 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE a-1 v-1\r\n"
    "a=extmap-allow-mixed\r\n"
    "a=msid-semantic: WMS\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:Ch5x\r\n"
    "a=ice-pwd:q1w2e3r4t5y6u7i8o9p0a1s2\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 "
    "A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:3C:9D:"
    "5C\r\n"
    "a=setup:active\r\n"
    "a=mid:a-1\r\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
    "a=extmap:2 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
    "a=recvonly\r\n"
    "a=rtcp-mux\r\n"
    "a=rtcp-rsize\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:Ch5x\r\n"
    "a=ice-pwd:q1w2e3r4t5y6u7i8o9p0a1s2\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 "
    "A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:3C:9D:"
    "5C\r\n"
    "a=setup:active\r\n"
    "a=mid:v-1\r\n"
    "a=extmap:2 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
    "a=extmap:5 https://aomediacodec.github.io/av1-rtp-spec/"
    "#dependency-descriptor-rtp-header-extension\r\n"
    "a=recvonly\r\n"
    "a=rtcp-mux\r\n"
    "a=rtcp-rsize\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "a=rtcp-fb:96 goog-remb\r\n"
    "a=rtcp-fb:96 ccm fir\r\n"
    "a=rtcp-fb:96 nack\r\n"
    "a=rtcp-fb:96 nack pli\r\n";

TEST(SubscribeNegotiation, ReadsAChromiumAnswer) {
  const SessionDescription offer = build_subscribe_offer(test::server_params(), two_tracks(), 1);
  auto answer = SessionDescription::parse(kChromiumAnswer);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  auto info = parse_subscribe_answer(offer, *answer);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->client.ice_ufrag, "Ch5x");
  EXPECT_EQ(info->client.setup, Setup::active);
  EXPECT_FALSE(info->client.ice_lite);
  EXPECT_TRUE(info->extmap_allow_mixed);
  ASSERT_EQ(info->tracks.size(), 2u);
  EXPECT_EQ(info->tracks[1].ext.dependency_descriptor, 5);
  EXPECT_TRUE(info->tracks[1].pli);
  EXPECT_TRUE(info->tracks[1].fir);
  EXPECT_TRUE(info->tracks[1].remb);
  EXPECT_EQ(info->tracks[1].ssrcs, (std::vector<uint32_t>{50002u}));
}

// A real exchange of system.media_werift: the SFU's subscribe offer (one
// publisher's audio and video) and werift 0.24.4's answer to it
// (interop/werift/subscriber.mjs), as sent. werift writes o= with session
// version 0, c=/m= with 0.0.0.0:9, a=rtcp:9, a=ice-options:trickle,
// a=msid-semantic, candidates with generation/ufrag extensions, an a=ssrc
// cname of its own on recvonly sections, and only the header extensions it
// was configured with.
TEST(SubscribeNegotiation, ReadsAWeriftAnswer) {
  auto offer = SessionDescription::parse(test::load_sdp("sfu_subscribe_offer.sdp"));
  ASSERT_TRUE(offer.ok()) << offer.error().to_string();
  const std::string answer_text = test::load_sdp("werift_subscribe_answer.sdp");
  auto answer = SessionDescription::parse(answer_text);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  auto info = parse_subscribe_answer(*offer, *answer);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->client.ice_ufrag, "bc61");
  EXPECT_EQ(info->client.setup, Setup::active);
  EXPECT_TRUE(info->extmap_allow_mixed);
  EXPECT_TRUE(info->rejected_mids.empty());
  ASSERT_EQ(info->tracks.size(), 2u);
  const NegotiatedTrack& audio = info->tracks[0];
  EXPECT_EQ(audio.kind, MediaKind::audio);
  EXPECT_EQ(audio.direction, Direction::sendonly);
  EXPECT_EQ(audio.payload_type, 111);
  EXPECT_EQ(audio.ssrcs, (std::vector<uint32_t>{3285720239u}));
  EXPECT_EQ(audio.ext.audio_level, 1);
  EXPECT_EQ(audio.ext.abs_send_time, 4);
  const NegotiatedTrack& video = info->tracks[1];
  EXPECT_EQ(video.kind, MediaKind::video);
  EXPECT_EQ(video.payload_type, 96);
  EXPECT_EQ(video.ssrcs, (std::vector<uint32_t>{3383886171u}));
  EXPECT_EQ(video.ext.dependency_descriptor, 5);
  EXPECT_TRUE(video.nack);
  EXPECT_TRUE(video.pli);
  EXPECT_TRUE(video.fir);
  EXPECT_TRUE(video.remb);

  // werift's default configuration negotiates no header extension at all:
  // without the dependency descriptor the SFU refuses the answer.
  const std::string no_dd = test::remove_lines(answer_text, "a=extmap:5 ");
  EXPECT_TRUE(subscribe_answer_error(*offer, no_dd).is(Errc::missing_dependency_descriptor));
}

// The SFU's real subscribe offer in system.web_media (the native host's
// audio and video, and a second page's) and Debian's Chromium 156's real
// answer to it (web/src/media/subscribe.ts: the dependency descriptor
// switched on for the video transceivers before createAnswer).
TEST(SubscribeNegotiation, AcceptsChromium156sRealAnswer) {
  auto offer = SessionDescription::parse(test::load_sdp("sfu_subscribe_offer_4_tracks.sdp"));
  ASSERT_TRUE(offer.ok()) << offer.error().to_string();
  auto answer = SessionDescription::parse(test::load_sdp("chromium156_subscribe_answer.sdp"));
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  auto info = parse_subscribe_answer(*offer, *answer);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_TRUE(info->rejected_mids.empty());
  EXPECT_EQ(info->client.setup, Setup::active);
  ASSERT_EQ(info->tracks.size(), 4u);
  for (const auto& t : info->tracks) {
    EXPECT_EQ(t.direction, Direction::sendonly) << t.mid;
    if (t.kind == MediaKind::video) {
      EXPECT_EQ(t.codec, "VP8");
      EXPECT_EQ(t.ext.dependency_descriptor, 5) << t.mid;
      EXPECT_TRUE(t.nack && t.pli && t.remb) << t.mid;
    } else {
      EXPECT_EQ(t.codec, "opus");
      EXPECT_EQ(t.ext.audio_level, 1) << t.mid;
    }
  }
  // Chromium's answer without the descriptor (no setHeaderExtensionsToNegotiate) is refused.
  auto bare = SessionDescription::parse(test::remove_lines(
      test::load_sdp("chromium156_subscribe_answer.sdp"), "a=extmap:5 "));
  ASSERT_TRUE(bare.ok());
  auto refused = parse_subscribe_answer(*offer, *bare);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(Errc::missing_dependency_descriptor)) << refused.error().to_string();
}

TEST(SubscribeNegotiation, RefusesAnswersThatDoNotFit) {
  const SessionDescription offer = build_subscribe_offer(test::server_params(), two_tracks(), 1);
  const std::string good(kChromiumAnswer);
  EXPECT_TRUE(subscribe_answer_error(offer, replace_all(good, "a=setup:active", "a=setup:passive"))
                  .is(Errc::unacceptable_setup));
  EXPECT_TRUE(subscribe_answer_error(offer, replace_all(good, "a=recvonly", "a=sendrecv"))
                  .is(Errc::invalid_direction));
  EXPECT_TRUE(subscribe_answer_error(offer, replace_all(good, "a=mid:v-1", "a=mid:v-9"))
                  .is(Errc::answer_mismatch));
  EXPECT_TRUE(subscribe_answer_error(offer, replace_all(good, "m=video", "m=audio"))
                  .is(Errc::answer_mismatch));
  EXPECT_TRUE(subscribe_answer_error(offer, good + "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:x\r\n")
                  .is(Errc::answer_mismatch));
  EXPECT_TRUE(subscribe_answer_error(
                  offer, replace_all(replace_all(good, " 96\r\n", " 100\r\n"), ":96 ", ":100 "))
                  .is(Errc::answer_mismatch));
  EXPECT_TRUE(subscribe_answer_error(offer, replace_all(good, "96 VP8/90000", "96 VP9/90000"))
                  .is(Errc::answer_mismatch));
  EXPECT_TRUE(subscribe_answer_error(offer, replace_all(good, "a=extmap:4 ", "a=extmap:7 "))
                  .is(Errc::answer_mismatch));
  EXPECT_TRUE(subscribe_answer_error(offer, test::remove_lines(good, "a=extmap:5 "))
                  .is(Errc::missing_dependency_descriptor));
  EXPECT_TRUE(
      subscribe_answer_error(offer, test::remove_lines(good, "a=group")).is(Errc::missing_bundle));
  EXPECT_TRUE(subscribe_answer_error(offer, test::remove_lines(good, "a=rtcp-mux"))
                  .is(Errc::missing_rtcp_mux));
  EXPECT_TRUE(subscribe_answer_error(offer, test::remove_lines(good, "a=fingerprint"))
                  .is(Errc::missing_fingerprint));
  EXPECT_TRUE(subscribe_answer_error(offer, test::remove_lines(good, "a=ice-pwd"))
                  .is(Errc::missing_ice_credentials));
  // Both sections rejected.
  EXPECT_TRUE(subscribe_answer_error(offer, replace_all(good, " 9 UDP/TLS", " 0 UDP/TLS"))
                  .is(Errc::no_acceptable_media));

  // recvonly on a section the offer made inactive.
  auto tracks = two_tracks();
  tracks[1].active = false;
  const SessionDescription inactive = build_subscribe_offer(test::server_params(), tracks, 2);
  EXPECT_TRUE(subscribe_answer_error(inactive, good).is(Errc::invalid_direction));
}

TEST(SubscribeNegotiation, ARejectedSectionIsReported) {
  const SessionDescription offer = build_subscribe_offer(test::server_params(), two_tracks(), 1);
  // The browser rejects the video section (port 0) and bundles only audio.
  std::string text = replace_all(std::string(kChromiumAnswer), "m=video 9 ", "m=video 0 ");
  text = replace_all(text, "a=group:BUNDLE a-1 v-1", "a=group:BUNDLE a-1");
  auto answer = SessionDescription::parse(text);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  auto info = parse_subscribe_answer(offer, *answer);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->rejected_mids, (std::vector<std::string>{"v-1"}));
  ASSERT_EQ(info->tracks.size(), 1u);
  EXPECT_EQ(info->tracks[0].mid, "a-1");
}

TEST(SubscribeNegotiationDeathTest, PreconditionsAreChecked) {
  auto tracks = two_tracks();
  tracks[1].mid = tracks[0].mid;
  EXPECT_DEATH(build_subscribe_offer(test::server_params(), tracks, 1), "");
  auto bad_server = test::server_params();
  bad_server.ice_pwd = "x";
  EXPECT_DEATH(build_subscribe_offer(bad_server, two_tracks(), 1), "");
}

}  // namespace
}  // namespace conclave::sdp
