// The publish transport: answer_publish_offer (SFU) against a Chromium and
// a werift offer, and the native client's build_publish_offer /
// parse_publish_answer round trip.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conclave/sdp/extmap.h"
#include "conclave/sdp/fmtp.h"
#include "conclave/sdp/negotiation.h"
#include "conclave/sdp/rtcp_fb.h"
#include "conclave/sdp/rtpmap.h"
#include "test_util.h"

namespace conclave::sdp {
namespace {

using test::load_sdp;
using test::remove_lines;
using test::replace_all;

SessionDescription parse_ok(const std::string& text) {
  auto d = SessionDescription::parse(text);
  EXPECT_TRUE(d.ok()) << d.error().to_string();
  return d.ok() ? *d : SessionDescription{};
}

std::vector<std::string> values(const MediaDescription& m, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& a : m.attributes) {
    if (a.name == name) out.push_back(a.value);
  }
  return out;
}

// The offer Debian's Chromium 156 really made in system.web_media (the
// browser client's publish transport, web/src/media/publish.ts): VP8 only
// by setCodecPreferences, and the dependency descriptor switched on with
// setHeaderExtensionsToNegotiate, which Chromium then offers under ID 12.
// The SFU's answer keeps Chromium's IDs. Without that call Chromium does
// not offer the descriptor, and the offer is refused.
TEST(PublishNegotiation, AnswersChromium156sRealOfferWithTheDependencyDescriptor) {
  const std::string text = load_sdp("chromium156_publish_offer.sdp");
  const SessionDescription offer = parse_ok(text);
  auto r = answer_publish_offer(offer, test::server_params());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->rejected_mids.empty());
  ASSERT_EQ(r->tracks.size(), 2u);
  const NegotiatedTrack& audio = r->tracks[0];
  EXPECT_EQ(audio.codec, "opus");
  EXPECT_EQ(audio.ssrcs, (std::vector<uint32_t>{3240200583u}));
  EXPECT_EQ(audio.ext, (HeaderExtensionIds{.audio_level = 1,
                                           .mid = 4,
                                           .transport_cc = 3,
                                           .abs_send_time = 2,
                                           .dependency_descriptor = 0}));
  const NegotiatedTrack& video = r->tracks[1];
  EXPECT_EQ(video.codec, "VP8");
  EXPECT_EQ(video.payload_type, 96);
  EXPECT_EQ(video.ssrcs, (std::vector<uint32_t>{2789568128u}));
  EXPECT_EQ(video.ext, (HeaderExtensionIds{.audio_level = 0,
                                           .mid = 4,
                                           .transport_cc = 3,
                                           .abs_send_time = 2,
                                           .dependency_descriptor = 12}));
  EXPECT_TRUE(video.nack && video.pli && video.fir && video.remb && video.transport_cc_fb);
  // The answer names the descriptor on the video section under Chromium's ID.
  ASSERT_EQ(r->answer.media.size(), 2u);
  const auto exts = values(r->answer.media[1], "extmap");
  bool dd = false;
  for (const auto& e : exts) dd = dd || e.rfind("12 https://aomediacodec.github.io/av1-rtp-spec/", 0) == 0;
  EXPECT_TRUE(dd);

  // What Chromium offers when the page does not ask for the descriptor.
  auto without = SessionDescription::parse(remove_lines(text, "a=extmap:12 "));
  ASSERT_TRUE(without.ok());
  auto refused = answer_publish_offer(*without, test::server_params());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(Errc::missing_dependency_descriptor));
}

TEST(PublishNegotiation, AnswersTheChromiumOffer) {
  const SessionDescription offer = parse_ok(load_sdp("chromium_offer.sdp"));
  ASSERT_EQ(offer.media.size(), 3u);
  auto r = answer_publish_offer(offer, test::server_params());
  ASSERT_TRUE(r.ok()) << r.error().to_string();

  // The participant's transport.
  EXPECT_EQ(r->client.ice_ufrag, "Xr3n");
  EXPECT_EQ(r->client.ice_pwd, "k5TkE1lKx6aF2lWn5Qf0bXyZ");
  EXPECT_EQ(r->client.setup, Setup::actpass);
  EXPECT_EQ(r->client.fingerprint.substr(0, 5), "A5:4D");
  EXPECT_TRUE(r->extmap_allow_mixed);
  EXPECT_EQ(r->rejected_mids, (std::vector<std::string>{"2"}));  // the data channel

  ASSERT_EQ(r->tracks.size(), 2u);
  const NegotiatedTrack& audio = r->tracks[0];
  EXPECT_EQ(audio.mid, "0");
  EXPECT_EQ(audio.kind, MediaKind::audio);
  EXPECT_EQ(audio.direction, Direction::recvonly);
  EXPECT_EQ(audio.payload_type, 111);
  EXPECT_EQ(audio.codec, "opus");
  EXPECT_EQ(audio.clock_rate, 48000u);
  EXPECT_EQ(audio.channels, 2);
  EXPECT_EQ(audio.ssrcs, (std::vector<uint32_t>{3567183312u}));
  EXPECT_EQ(audio.cname, "kFq0vCBgQH9hqSvr");
  EXPECT_EQ(audio.msid_stream, "8d2b7f3e-5a41-4c4b-9d0e-3b1f6a7c2e90");
  EXPECT_EQ(audio.msid_track, "0b6e3c1a-7d2f-4e58-a9b4-1c3d5e7f9a20");
  EXPECT_EQ(audio.ext, (HeaderExtensionIds{.audio_level = 1,
                                           .mid = 4,
                                           .transport_cc = 3,
                                           .abs_send_time = 2,
                                           .dependency_descriptor = 0}));
  EXPECT_TRUE(audio.transport_cc_fb);
  EXPECT_FALSE(audio.nack);
  EXPECT_FALSE(audio.remb);

  const NegotiatedTrack& video = r->tracks[1];
  EXPECT_EQ(video.mid, "1");
  EXPECT_EQ(video.kind, MediaKind::video);
  EXPECT_EQ(video.payload_type, 96);
  EXPECT_EQ(video.codec, "VP8");
  EXPECT_EQ(video.clock_rate, 90000u);
  EXPECT_EQ(video.channels, 0);
  // The RTX SSRC of the FID group is not a media SSRC.
  EXPECT_EQ(video.ssrcs, (std::vector<uint32_t>{2231627014u}));
  EXPECT_EQ(video.cname, "kFq0vCBgQH9hqSvr");
  EXPECT_EQ(video.msid_track, "6f4a2d8c-3b1e-4a7f-8c5d-9e0b2a4c6d81");
  EXPECT_EQ(video.ext, (HeaderExtensionIds{.audio_level = 0,
                                           .mid = 4,
                                           .transport_cc = 3,
                                           .abs_send_time = 2,
                                           .dependency_descriptor = 9}));
  EXPECT_TRUE(video.nack);
  EXPECT_TRUE(video.pli);
  EXPECT_TRUE(video.fir);
  EXPECT_TRUE(video.remb);
  EXPECT_TRUE(video.transport_cc_fb);

  // The answer text.
  const std::string text = r->answer.serialize();
  auto reparsed = SessionDescription::parse(text);
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().to_string() << "\n" << text;
  EXPECT_EQ(*reparsed, r->answer);
  EXPECT_EQ(text.find("rtx"), std::string::npos) << text;
  EXPECT_EQ(text.find("H264"), std::string::npos);
  EXPECT_EQ(text.find("red/"), std::string::npos);
  EXPECT_EQ(text.find("ulpfec"), std::string::npos);
  EXPECT_EQ(text.find("toffset"), std::string::npos);
  EXPECT_EQ(text.find("a=ssrc"), std::string::npos);  // recvonly: nothing to announce

  const SessionDescription& a = r->answer;
  EXPECT_EQ(a.origin.session_version, 2u);  // the offer's
  EXPECT_NE(a.origin.session_id, 0u);
  EXPECT_TRUE(a.has("ice-lite"));
  EXPECT_TRUE(a.has("extmap-allow-mixed"));
  EXPECT_EQ(a.find("group")->value, "BUNDLE 0 1");
  ASSERT_EQ(a.media.size(), 3u);

  const MediaDescription& am = a.media[0];
  EXPECT_EQ(am.media_line(), "audio 40000 UDP/TLS/RTP/SAVPF 111");
  EXPECT_EQ(am.connection->serialize(), "IN IP4 127.0.0.1");
  EXPECT_EQ(am.mid(), "0");
  EXPECT_EQ(am.direction(), Direction::recvonly);
  EXPECT_EQ(am.find("setup")->value, "passive");
  EXPECT_EQ(am.find("ice-ufrag")->value, "SfUu");
  EXPECT_EQ(values(am, "candidate"),
            (std::vector<std::string>{"1 1 udp 2130706431 127.0.0.1 40000 typ host"}));
  EXPECT_TRUE(am.has("end-of-candidates"));
  EXPECT_TRUE(am.has("rtcp-mux"));
  EXPECT_FALSE(am.has("rtcp-rsize"));  // Chromium does not offer it on audio
  EXPECT_EQ(values(am, "rtpmap"), (std::vector<std::string>{"111 opus/48000/2"}));
  EXPECT_EQ(values(am, "fmtp"), (std::vector<std::string>{"111 minptime=10;useinbandfec=1"}));
  EXPECT_EQ(values(am, "rtcp-fb"), (std::vector<std::string>{"111 transport-cc"}));
  EXPECT_EQ(values(am, "extmap"),
            (std::vector<std::string>{
                "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid"}));

  const MediaDescription& vm = a.media[1];
  EXPECT_EQ(vm.formats, (std::vector<std::string>{"96"}));
  EXPECT_EQ(vm.direction(), Direction::recvonly);
  EXPECT_TRUE(vm.has("rtcp-rsize"));
  EXPECT_EQ(values(vm, "rtpmap"), (std::vector<std::string>{"96 VP8/90000"}));
  EXPECT_TRUE(values(vm, "fmtp").empty());
  EXPECT_EQ(values(vm, "rtcp-fb"),
            (std::vector<std::string>{"96 goog-remb", "96 transport-cc", "96 ccm fir", "96 nack",
                                      "96 nack pli"}));
  EXPECT_EQ(values(vm, "extmap"),
            (std::vector<std::string>{
                "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid",
                "9 https://aomediacodec.github.io/av1-rtp-spec/"
                "#dependency-descriptor-rtp-header-extension"}));

  const MediaDescription& dm = a.media[2];
  EXPECT_EQ(dm.media_line(), "application 0 UDP/DTLS/SCTP webrtc-datachannel");
  EXPECT_EQ(dm.mid(), "2");
  EXPECT_TRUE(dm.rejected());

  // The answer read back the way the native client reads it.
  auto info = parse_publish_answer(offer, *reparsed);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  TransportParams expected_server = test::server_params();
  expected_server.setup = Setup::passive;
  EXPECT_EQ(info->server, expected_server);
  ASSERT_EQ(info->tracks.size(), 2u);
  EXPECT_EQ(info->tracks[1].ext, video.ext);
  EXPECT_EQ(info->tracks[1].direction, Direction::sendonly);
  EXPECT_EQ(info->rejected_mids, (std::vector<std::string>{"2"}));

  // The same offer answers the same way twice (pure, stable session id).
  auto again = answer_publish_offer(offer, test::server_params());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->answer, r->answer);
}

TEST(PublishNegotiation, RefusesChromiumWithoutTheDependencyDescriptor) {
  // What Chromium offers unless the client enables the extension.
  const std::string text = remove_lines(load_sdp("chromium_offer.sdp"), "a=extmap:9 ");
  auto r = answer_publish_offer(parse_ok(text), test::server_params());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::missing_dependency_descriptor));
  EXPECT_EQ(r.error().to_string(), "sdp: video without the dependency descriptor extension");
}

TEST(PublishNegotiation, PicksTheOffersPayloadTypes) {
  // Firefox numbers Opus 109 and VP8 120; the answer follows the offer.
  std::string text = load_sdp("chromium_offer.sdp");
  text = replace_all(text, "UDP/TLS/RTP/SAVPF 111 63", "UDP/TLS/RTP/SAVPF 109 63");
  text = replace_all(text, ":111 ", ":109 ");
  text = replace_all(text, "UDP/TLS/RTP/SAVPF 96 97 ", "UDP/TLS/RTP/SAVPF 120 97 ");
  text = replace_all(text, ":96 ", ":120 ");
  text = replace_all(text, "apt=96", "apt=120");
  auto r = answer_publish_offer(parse_ok(text), test::server_params());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->tracks[0].payload_type, 109);
  EXPECT_EQ(r->tracks[1].payload_type, 120);
  EXPECT_EQ(r->answer.media[1].formats, (std::vector<std::string>{"120"}));
  EXPECT_EQ(r->answer.media[0].find("fmtp")->value, "109 minptime=10;useinbandfec=1");
}

TEST(PublishNegotiation, AnswersTheWeriftOffer) {
  const SessionDescription offer = parse_ok(load_sdp("werift_offer.sdp"));
  auto r = answer_publish_offer(offer, test::server_params(41000));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->client.ice_ufrag, "8f3a");
  EXPECT_EQ(r->client.fingerprint.substr(0, 8), "34:60:BE");
  ASSERT_EQ(r->client.candidates.size(), 2u);
  EXPECT_TRUE(r->rejected_mids.empty());
  ASSERT_EQ(r->tracks.size(), 2u);

  const NegotiatedTrack& audio = r->tracks[0];
  EXPECT_EQ(audio.direction, Direction::recvonly);  // sendrecv counts as sending
  EXPECT_EQ(audio.payload_type, 111);
  EXPECT_EQ(audio.ext, (HeaderExtensionIds{.audio_level = 0,
                                           .mid = 1,
                                           .transport_cc = 3,
                                           .abs_send_time = 2,
                                           .dependency_descriptor = 0}));
  EXPECT_EQ(audio.ssrcs, (std::vector<uint32_t>{1947302871u}));
  EXPECT_EQ(audio.cname, "8c0b5d2e-werift");
  EXPECT_EQ(audio.msid_stream, "werift-stream");

  const NegotiatedTrack& video = r->tracks[1];
  EXPECT_EQ(video.payload_type, 96);
  EXPECT_EQ(video.ssrcs, (std::vector<uint32_t>{3011557209u}));
  EXPECT_EQ(video.ext.dependency_descriptor, 5);
  EXPECT_TRUE(video.nack);
  EXPECT_TRUE(video.pli);
  EXPECT_TRUE(video.fir);
  EXPECT_TRUE(video.remb);
  EXPECT_FALSE(video.transport_cc_fb);  // werift does not offer it

  const std::string text = r->answer.serialize();
  EXPECT_NE(text.find("m=audio 41000 UDP/TLS/RTP/SAVPF 111\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("a=candidate:1 1 udp 2130706431 127.0.0.1 41000 typ host\r\n"),
            std::string::npos);
  EXPECT_EQ(text.find("rtx"), std::string::npos);
  EXPECT_EQ(text.find("rtcp-rsize"), std::string::npos);  // not offered
  auto reparsed = SessionDescription::parse(text);
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().to_string();
  EXPECT_EQ(*reparsed, r->answer);
}

TEST(PublishNegotiation, NativeClientRoundTrip) {
  const std::vector<PublishTrack> tracks = {
      {"a0", MediaKind::audio, 1111, "cn-1", "stream-1", "mic"},
      {"v0", MediaKind::video, 2222, "cn-1", "stream-1", "camera"},
      {"v1", MediaKind::video, 3333, "cn-1", "stream-2", "screen"},
  };
  const SessionDescription offer = build_publish_offer(test::client_params(), tracks, 4);
  const std::string offer_text = offer.serialize();
  auto offer_again = SessionDescription::parse(offer_text);
  ASSERT_TRUE(offer_again.ok()) << offer_again.error().to_string() << "\n" << offer_text;
  EXPECT_EQ(*offer_again, offer);
  EXPECT_EQ(offer.origin.session_version, 4u);
  EXPECT_FALSE(offer.has("ice-lite"));
  EXPECT_EQ(offer.find("group")->value, "BUNDLE a0 v0 v1");
  EXPECT_EQ(offer.media[0].find("setup")->value, "actpass");
  EXPECT_EQ(offer.media[0].direction(), Direction::sendonly);
  EXPECT_EQ(values(offer.media[0], "rtpmap"), (std::vector<std::string>{"111 opus/48000/2"}));
  EXPECT_EQ(values(offer.media[1], "rtpmap"), (std::vector<std::string>{"96 VP8/90000"}));
  EXPECT_EQ(values(offer.media[0], "extmap").size(), 4u);
  EXPECT_EQ(values(offer.media[1], "extmap").size(), 4u);
  EXPECT_EQ(values(offer.media[2], "ssrc"),
            (std::vector<std::string>{"3333 cname:cn-1", "3333 msid:stream-2 screen"}));
  EXPECT_EQ(offer.media[2].find("msid")->value, "stream-2 screen");

  // The SFU answers it ...
  auto answer = answer_publish_offer(*offer_again, test::server_params());
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->client.ice_ufrag, "ClNt");
  ASSERT_EQ(answer->tracks.size(), 3u);
  for (size_t i = 0; i < tracks.size(); ++i) {
    EXPECT_EQ(answer->tracks[i].mid, tracks[i].mid);
    EXPECT_EQ(answer->tracks[i].ssrcs, (std::vector<uint32_t>{tracks[i].ssrc}));
    EXPECT_EQ(answer->tracks[i].cname, tracks[i].cname);
    EXPECT_EQ(answer->tracks[i].msid_stream, tracks[i].stream_id);
    EXPECT_EQ(answer->tracks[i].msid_track, tracks[i].track_id);
  }
  EXPECT_EQ(answer->tracks[0].payload_type, kOpusPayloadType);
  EXPECT_EQ(answer->tracks[1].payload_type, kVp8PayloadType);
  EXPECT_EQ(
      answer->tracks[0].ext,
      (HeaderExtensionIds{.audio_level = 1, .mid = 2, .transport_cc = 3, .abs_send_time = 4}));
  EXPECT_EQ(answer->tracks[1].ext,
            (HeaderExtensionIds{
                .mid = 2, .transport_cc = 3, .abs_send_time = 4, .dependency_descriptor = 5}));

  // ... and the client reads the answer.
  auto answer_text = SessionDescription::parse(answer->answer.serialize());
  ASSERT_TRUE(answer_text.ok());
  auto info = parse_publish_answer(offer, *answer_text);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->server.ice_ufrag, "SfUu");
  EXPECT_TRUE(info->server.ice_lite);
  EXPECT_EQ(info->server.setup, Setup::passive);
  ASSERT_EQ(info->server.candidates.size(), 1u);
  EXPECT_EQ(info->server.candidates[0].port, 40000);
  EXPECT_TRUE(info->extmap_allow_mixed);
  ASSERT_EQ(info->tracks.size(), 3u);
  for (size_t i = 0; i < tracks.size(); ++i) {
    EXPECT_EQ(info->tracks[i].direction, Direction::sendonly);
    EXPECT_EQ(info->tracks[i].ext, answer->tracks[i].ext) << i;
    EXPECT_EQ(info->tracks[i].payload_type, answer->tracks[i].payload_type);
    EXPECT_EQ(info->tracks[i].nack, answer->tracks[i].nack);
    EXPECT_EQ(info->tracks[i].remb, answer->tracks[i].remb);
    EXPECT_EQ(info->tracks[i].transport_cc_fb, answer->tracks[i].transport_cc_fb);
    EXPECT_EQ(info->tracks[i].ssrcs, answer->tracks[i].ssrcs);
  }
  EXPECT_TRUE(info->tracks[1].pli);
}

TEST(PublishNegotiation, ParsePublishAnswerRefusesAnActiveServer) {
  const std::vector<PublishTrack> tracks = {{"a0", MediaKind::audio, 1, "c", "s", "t"}};
  const SessionDescription offer = build_publish_offer(test::client_params(), tracks);
  auto answer = answer_publish_offer(offer, test::server_params());
  ASSERT_TRUE(answer.ok());
  SessionDescription bad = answer->answer;
  for (auto& a : bad.media[0].attributes) {
    if (a.name == "setup") a.value = "active";
  }
  auto info = parse_publish_answer(offer, bad);
  ASSERT_FALSE(info.ok());
  EXPECT_TRUE(info.error().is(Errc::unacceptable_setup));
}

}  // namespace
}  // namespace conclave::sdp
