// The rules shared by every answer (src/offer_answer.cpp), exercised
// through answer_publish_offer and answer_subscribe_offer: refusals of the
// whole offer, JSEP rejection of single sections, codec and extension
// choice.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conclave/sdp/negotiation.h"
#include "test_util.h"

namespace conclave::sdp {
namespace {

using test::remove_lines;
using test::replace_all;

constexpr std::string_view kFingerprint =
    "a=fingerprint:sha-256 A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:"
    "71:17:44:94:D6:49:3C:9D:5C\r\n";

std::string transport_lines() {
  return "c=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n" +
         std::string(kFingerprint) + "a=setup:actpass\r\n";
}

// A small publish offer: sendonly Opus (mid 0) and VP8 with the dependency
// descriptor (mid 1).
std::string base_offer() {
  return "v=0\r\no=- 1 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
         "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" +
         transport_lines() +
         "a=mid:0\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
         "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
         "a=ssrc:11 cname:c\r\n"
         "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" +
         transport_lines() +
         "a=mid:1\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n"
         "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
         "a=extmap:2 https://aomediacodec.github.io/av1-rtp-spec/"
         "#dependency-descriptor-rtp-header-extension\r\n"
         "a=ssrc:22 cname:c\r\n";
}

Result<PublishAnswer> answer(const std::string& text) {
  auto offer = SessionDescription::parse(text);
  EXPECT_TRUE(offer.ok()) << offer.error().to_string() << "\n" << text;
  if (!offer.ok()) return offer.error();
  auto r = answer_publish_offer(*offer, test::server_params());
  if (r.ok()) {
    // Every answer the SFU produces is itself valid SDP.
    auto again = SessionDescription::parse(r->answer.serialize());
    EXPECT_TRUE(again.ok()) << again.error().to_string();
    if (again.ok()) {
      EXPECT_EQ(*again, r->answer);
    }
  }
  return r;
}

Error refusal(const std::string& text) {
  auto r = answer(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? Error(Errc::invalid_line, "test: accepted") : r.error();
}

TEST(OfferAnswer, TheBaseOfferIsAccepted) {
  auto r = answer(base_offer());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->tracks.size(), 2u);
  EXPECT_EQ(r->tracks[0].ext.mid, 1);
  EXPECT_EQ(r->tracks[1].ext.dependency_descriptor, 2);
  EXPECT_EQ(r->tracks[1].ssrcs, (std::vector<uint32_t>{22}));
  EXPECT_FALSE(r->extmap_allow_mixed);
  EXPECT_FALSE(r->answer.has("extmap-allow-mixed"));
  EXPECT_EQ(r->answer.origin.session_version, 7u);
}

TEST(OfferAnswer, RefusesOffersMissingTransportRequirements) {
  const std::string base = base_offer();
  EXPECT_TRUE(refusal(remove_lines(base, "a=fingerprint")).is(Errc::missing_fingerprint));
  EXPECT_TRUE(refusal(replace_all(base,
                                  "a=fingerprint:sha-256 A5:4D:CA:18:25:30:BB:1D:6D:13:2C:"
                                  "DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:"
                                  "3C:9D:5C",
                                  "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:"
                                  "DD:EE:FF:00:11:22:33"))
                  .is(Errc::unsupported_fingerprint));
  EXPECT_TRUE(refusal(remove_lines(base, "a=ice-ufrag")).is(Errc::missing_ice_credentials));
  EXPECT_TRUE(refusal(remove_lines(base, "a=ice-pwd")).is(Errc::missing_ice_credentials));
  EXPECT_TRUE(refusal(remove_lines(base, "a=rtcp-mux")).is(Errc::missing_rtcp_mux));
  EXPECT_TRUE(refusal(remove_lines(base, "a=group")).is(Errc::missing_bundle));
  EXPECT_TRUE(refusal(replace_all(base, "a=group:BUNDLE 0 1", "a=group:BUNDLE 7"))
                  .is(Errc::missing_bundle));
  EXPECT_TRUE(
      refusal(replace_all(base, "a=group:BUNDLE 0 1", "a=group:LS 0 1")).is(Errc::missing_bundle));
  EXPECT_TRUE(refusal(remove_lines(base, "a=extmap:2 ")).is(Errc::missing_dependency_descriptor));
  EXPECT_TRUE(refusal(remove_lines(base, "a=mid:1")).is(Errc::missing_mid));
  EXPECT_TRUE(refusal(remove_lines(base, "a=setup")).is(Errc::unacceptable_setup));
  EXPECT_TRUE(refusal(replace_all(base, "a=setup:actpass", "a=setup:passive"))
                  .is(Errc::unacceptable_setup));
  EXPECT_TRUE(refusal(replace_all(base, "a=setup:actpass", "a=setup:holdconn"))
                  .is(Errc::unacceptable_setup));
  // rtcp-mux missing on one section only.
  const size_t video = base.find("m=video");
  EXPECT_TRUE(refusal(base.substr(0, video) + remove_lines(base.substr(video), "a=rtcp-mux"))
                  .is(Errc::missing_rtcp_mux));
}

TEST(OfferAnswer, TheSfuIsPassiveWhateverTheOfferSays) {
  auto r = answer(replace_all(base_offer(), "a=setup:actpass", "a=setup:active"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->client.setup, Setup::active);
  EXPECT_EQ(r->answer.media[0].find("setup")->value, "passive");
}

TEST(OfferAnswer, RefusesConflictsAcrossTheBundle) {
  const std::string base = base_offer();
  // The mid extension on ID 1 in audio, abs-send-time on ID 1 in video.
  const size_t video = base.find("m=video");
  EXPECT_TRUE(
      refusal(base.substr(0, video) +
              replace_all(base.substr(video), "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
                          "a=extmap:1 http://www.webrtc.org/experiments/rtp-hdrext/"
                          "abs-send-time"))
          .is(Errc::conflicting_extmap));
  // The mid extension on ID 1 in audio and ID 3 in video.
  EXPECT_TRUE(
      refusal(base.substr(0, video) + replace_all(base.substr(video), "a=extmap:1 ", "a=extmap:3 "))
          .is(Errc::conflicting_extmap));
  // One section binding two URIs to one ID.
  EXPECT_TRUE(refusal(base + "a=extmap:2 urn:ietf:params:rtp-hdrext:toffset\r\n")
                  .is(Errc::conflicting_extmap));
  // Two sections announcing one SSRC.
  EXPECT_TRUE(refusal(replace_all(base, "a=ssrc:22 ", "a=ssrc:11 ")).is(Errc::duplicate_ssrc));
}

TEST(OfferAnswer, RejectsUnusableSectionsTheJsepWay) {
  const std::string base = base_offer();
  // Video with H264 only.
  auto h264 = answer(replace_all(base, "a=rtpmap:96 VP8/90000", "a=rtpmap:96 H264/90000"));
  ASSERT_TRUE(h264.ok()) << h264.error().to_string();
  EXPECT_EQ(h264->rejected_mids, (std::vector<std::string>{"1"}));
  ASSERT_EQ(h264->tracks.size(), 1u);
  EXPECT_EQ(h264->answer.media[1].port, 0);
  EXPECT_EQ(h264->answer.media[1].formats, (std::vector<std::string>{"96"}));
  EXPECT_EQ(h264->answer.media[1].mid(), "1");
  EXPECT_EQ(h264->answer.find("group")->value, "BUNDLE 0");

  // Opus at the wrong rate or channel count is not Opus.
  auto mono = answer(replace_all(base, "opus/48000/2", "opus/48000"));
  ASSERT_TRUE(mono.ok());
  EXPECT_EQ(mono->rejected_mids, (std::vector<std::string>{"0"}));

  // A section the offerer rejected itself, a section outside the bundle,
  // another media type, another profile.
  auto port0 = answer(replace_all(base, "m=audio 9 ", "m=audio 0 "));
  ASSERT_TRUE(port0.ok());
  EXPECT_EQ(port0->rejected_mids, (std::vector<std::string>{"0"}));
  auto unbundled = answer(replace_all(base, "a=group:BUNDLE 0 1", "a=group:BUNDLE 1"));
  ASSERT_TRUE(unbundled.ok());
  EXPECT_EQ(unbundled->rejected_mids, (std::vector<std::string>{"0"}));
  auto text =
      answer(base + "m=text 9 UDP/TLS/RTP/SAVPF 98\r\na=mid:2\r\na=rtpmap:98 t140/1000\r\n");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->rejected_mids, (std::vector<std::string>{"2"}));
  auto msrp = answer(base + "m=audio 9 TCP/MSRP *\r\na=mid:2\r\n");
  ASSERT_TRUE(msrp.ok());
  EXPECT_EQ(msrp->rejected_mids, (std::vector<std::string>{"2"}));
  EXPECT_EQ(msrp->answer.media[2].formats, (std::vector<std::string>{"*"}));

  // bundle-only with port 0 is not a rejection (RFC 8843 section 6).
  auto bundle_only = answer(replace_all(replace_all(base, "m=video 9 ", "m=video 0 "),
                                        "a=mid:1\r\n", "a=mid:1\r\na=bundle-only\r\n"));
  ASSERT_TRUE(bundle_only.ok()) << bundle_only.error().to_string();
  EXPECT_TRUE(bundle_only->rejected_mids.empty());
  EXPECT_EQ(bundle_only->answer.media[1].port, 40000);

  // Nothing usable at all.
  EXPECT_TRUE(refusal(replace_all(replace_all(base, "opus/48000/2", "PCMU/8000"), "VP8/", "VP9/"))
                  .is(Errc::no_acceptable_media));
  EXPECT_TRUE(refusal("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\na=group:BUNDLE\r\n")
                  .is(Errc::no_acceptable_media));
}

TEST(OfferAnswer, FollowsTheOffersCodecPreference) {
  const std::string base = base_offer();
  auto r = answer(replace_all(base, "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n",
                              "m=video 9 UDP/TLS/RTP/SAVPF 98 100 96\r\n"
                              "a=rtpmap:98 VP9/90000\r\na=rtpmap:100 vp8/90000\r\n"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->tracks[1].payload_type, 100);
  EXPECT_EQ(r->tracks[1].codec, "VP8");
  EXPECT_EQ(r->answer.media[1].find("rtpmap")->value, "100 VP8/90000");
  // An rtpmap for a payload type the m= line does not list is ignored.
  auto unlisted =
      answer(replace_all(base, "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 9 UDP/TLS/RTP/SAVPF 97"));
  ASSERT_TRUE(unlisted.ok());
  EXPECT_EQ(unlisted->rejected_mids, (std::vector<std::string>{"1"}));
}

TEST(OfferAnswer, ExtensionIdsAboveFourteenNeedMixedHeaders) {
  const std::string high = replace_all(base_offer(), "a=extmap:2 https", "a=extmap:15 https");
  EXPECT_TRUE(refusal(high).is(Errc::missing_dependency_descriptor));
  const std::string mixed =
      replace_all(high, "a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\n");
  auto r = answer(mixed);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->extmap_allow_mixed);
  EXPECT_TRUE(r->answer.has("extmap-allow-mixed"));
  EXPECT_EQ(r->tracks[1].ext.dependency_descriptor, 15);
}

TEST(OfferAnswer, ExtensionDirections) {
  const std::string base = base_offer();
  auto send = answer(replace_all(base, "a=extmap:2 https", "a=extmap:2/sendonly https"));
  ASSERT_TRUE(send.ok()) << send.error().to_string();
  bool found = false;
  for (const auto& a : send->answer.media[1].attributes) {
    if (a.name == "extmap" && a.value.rfind("2/", 0) == 0) {
      EXPECT_EQ(a.value.substr(0, 11), "2/recvonly ");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(refusal(replace_all(base, "a=extmap:2 https", "a=extmap:2/recvonly https"))
                  .is(Errc::missing_dependency_descriptor));
  // Session-level extmaps apply to every section.
  auto session =
      answer(replace_all(base, "a=group:BUNDLE 0 1\r\n",
                         "a=group:BUNDLE 0 1\r\na=extmap:5 "
                         "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"));
  ASSERT_TRUE(session.ok()) << session.error().to_string();
  EXPECT_EQ(session->tracks[0].ext.abs_send_time, 5);
  EXPECT_EQ(session->tracks[1].ext.abs_send_time, 5);
}

TEST(OfferAnswer, DirectionsThatDoNotSend) {
  const std::string base = base_offer();
  // A recvonly video section: answered inactive, no DD needed.
  auto r = answer(remove_lines(replace_all(base, "a=mid:1\r\na=sendonly", "a=mid:1\r\na=recvonly"),
                               "a=extmap:2 "));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->tracks[1].direction, Direction::inactive);
  EXPECT_EQ(r->answer.media[1].direction(), Direction::inactive);
  EXPECT_EQ(r->tracks[0].direction, Direction::recvonly);
  // The session-level direction applies where a section has none.
  auto session = answer(replace_all(remove_lines(base, "a=sendonly"), "a=group:BUNDLE 0 1\r\n",
                                    "a=group:BUNDLE 0 1\r\na=inactive\r\n"));
  ASSERT_TRUE(session.ok()) << session.error().to_string();
  EXPECT_EQ(session->tracks[0].direction, Direction::inactive);
  // No direction at all is sendrecv, which sends.
  auto none = answer(remove_lines(base, "a=sendonly"));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->tracks[1].direction, Direction::recvonly);
}

TEST(OfferAnswer, TheClientAnswersActiveAndRefusesAnActiveOffer) {
  auto offer = SessionDescription::parse(base_offer());
  ASSERT_TRUE(offer.ok());
  auto r = answer_subscribe_offer(*offer, test::client_params());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->answer.media[0].find("setup")->value, "active");
  EXPECT_FALSE(r->answer.has("ice-lite"));

  auto passive =
      SessionDescription::parse(replace_all(base_offer(), "setup:actpass", "setup:passive"));
  ASSERT_TRUE(passive.ok());
  EXPECT_TRUE(answer_subscribe_offer(*passive, test::client_params()).ok());
  auto active =
      SessionDescription::parse(replace_all(base_offer(), "setup:actpass", "setup:active"));
  ASSERT_TRUE(active.ok());
  auto refused = answer_subscribe_offer(*active, test::client_params());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(Errc::unacceptable_setup));
}

TEST(OfferAnswer, RefusesInvalidLocalParameters) {
  auto offer = SessionDescription::parse(base_offer());
  ASSERT_TRUE(offer.ok());
  auto server = test::server_params();
  server.fingerprint = "00";
  auto r = answer_publish_offer(*offer, server);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::invalid_fingerprint));
}

TEST(OfferAnswer, WithoutCandidatesThePortIsNine) {
  auto offer = SessionDescription::parse(base_offer());
  ASSERT_TRUE(offer.ok());
  auto server = test::server_params();
  server.candidates.clear();
  auto r = answer_publish_offer(*offer, server);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->answer.media[0].port, 9);
  EXPECT_EQ(r->answer.media[0].connection->address, "0.0.0.0");
  EXPECT_FALSE(r->answer.media[0].has("end-of-candidates"));
  server.candidates = {Candidate::host_udp("::1", 5000)};
  auto v6 = answer_publish_offer(*offer, server);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->answer.media[0].connection->serialize(), "IN IP6 ::1");
}

}  // namespace
}  // namespace conclave::sdp
