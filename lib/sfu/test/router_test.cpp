#include "conclave/sfu/router.h"

#include <gtest/gtest.h>

#include "conclave/rtp/audio_level.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/transport_sequence_number.h"

namespace conclave::sfu {
namespace {

using namespace std::chrono_literals;

struct Sent {
  TransportId to;
  Bytes bytes;
  bool rtcp;
};

class RecordingSink : public RouterSink {
 public:
  void send_rtp(TransportId to, BytesView packet) override {
    sent.push_back({to, Bytes(packet.begin(), packet.end()), false});
  }
  void send_rtcp(TransportId to, BytesView compound) override {
    sent.push_back({to, Bytes(compound.begin(), compound.end()), true});
  }
  void active_speaker(const std::string& meeting, const std::string& participant) override {
    speakers.emplace_back(meeting, participant);
  }
  std::vector<rtp::RtcpPacket> rtcp_to(TransportId to) const {
    std::vector<rtp::RtcpPacket> out;
    for (const auto& s : sent) {
      if (!s.rtcp || s.to != to) continue;
      auto parsed = rtp::parse_rtcp_compound(s.bytes);
      EXPECT_TRUE(parsed);
      if (parsed) out.insert(out.end(), parsed->begin(), parsed->end());
    }
    return out;
  }
  size_t rtp_to(TransportId to) const {
    size_t n = 0;
    for (const auto& s : sent) n += (!s.rtcp && s.to == to);
    return n;
  }
  std::vector<Sent> sent;
  std::vector<std::pair<std::string, std::string>> speakers;
};

// Publisher-side extension IDs, as Chromium numbers them.
constexpr ExtensionIds kPublisherIds{.audio_level = 1, .mid = 4, .transport_cc = 3,
                                     .abs_send_time = 2, .dependency_descriptor = 11};

constexpr TransportId kAlicePub = 1, kAliceSub = 2, kBobPub = 3, kBobSub = 4, kCarolSub = 5;
constexpr uint32_t kAliceAudio = 1111, kAliceVideo = 2222;

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router.add_transport(kAlicePub, "m", "alice", 91));
    ASSERT_TRUE(router.add_transport(kAliceSub, "m", "alice", 92));
    ASSERT_TRUE(router.add_transport(kBobPub, "m", "bob", 93));
    ASSERT_TRUE(router.add_transport(kBobSub, "m", "bob", 94));
    ASSERT_TRUE(router.add_transport(kCarolSub, "m", "carol", 95));
    ASSERT_TRUE(router.add_track(kAlicePub, {kAliceAudio, TrackKind::audio, 48000, 111, "0",
                                             kPublisherIds}));
    ASSERT_TRUE(router.add_track(kAlicePub, {kAliceVideo, TrackKind::video, 90000, 96, "1",
                                             kPublisherIds}));
    ASSERT_TRUE(router.subscribe(kBobSub, kAlicePub, kAliceAudio));
    ASSERT_TRUE(router.subscribe(kBobSub, kAlicePub, kAliceVideo));
    ASSERT_TRUE(router.subscribe(kCarolSub, kAlicePub, kAliceVideo));
  }

  Bytes packet(uint32_t ssrc, uint16_t seq, uint8_t level = 127, uint16_t tcc = 0) {
    rtp::RtpPacketBuilder b;
    b.set_ssrc(ssrc).set_sequence_number(seq).set_timestamp(seq * 960u);
    b.add_extension(kPublisherIds.mid, Bytes{'0'});
    b.add_extension(kPublisherIds.transport_cc, rtp::TransportSequenceNumber::serialize(tcc));
    if (ssrc == kAliceAudio) {
      b.add_extension(kPublisherIds.audio_level, *rtp::AudioLevel{true, level}.serialize());
    } else {
      b.add_extension(kPublisherIds.dependency_descriptor, Bytes{0x80, 0x00, 0x01});
    }
    b.set_payload(Bytes(200, static_cast<uint8_t>(seq)));
    return *b.build();
  }

  void send(TransportId from, Bytes p, Clock::TimePoint at = {}) {
    router.on_rtp(from, p, at, sink);
  }

  void rtcp(TransportId from, const rtp::RtcpPacket& p, Clock::TimePoint at = {}) {
    auto compound = rtp::build_rtcp_compound(std::span(&p, 1));
    ASSERT_TRUE(compound);
    router.on_rtcp(from, *compound, at, sink);
  }

  SfuStats stats;
  Router router{stats};
  RecordingSink sink;
};

TEST_F(RouterTest, ForwardsToSubscribersWithDownstreamExtensionIds) {
  send(kAlicePub, packet(kAliceVideo, 7));
  ASSERT_EQ(sink.sent.size(), 2u);
  EXPECT_EQ(sink.rtp_to(kBobSub), 1u);
  EXPECT_EQ(sink.rtp_to(kCarolSub), 1u);
  auto parsed = rtp::RtpPacket::parse(sink.sent[0].bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->ssrc(), kAliceVideo);
  EXPECT_EQ(parsed->sequence_number(), 7);
  EXPECT_EQ(parsed->payload().size(), 200u);
  auto exts = parsed->extensions();
  ASSERT_EQ(exts.size(), 1u);  // MID and transport-cc blanked
  EXPECT_EQ(exts[0].id, kDownstreamExtensionIds.dependency_descriptor);

  send(kAlicePub, packet(kAliceAudio, 8));
  EXPECT_EQ(sink.rtp_to(kBobSub), 2u);
  EXPECT_EQ(sink.rtp_to(kCarolSub), 1u);  // not subscribed to audio
  EXPECT_EQ(stats.rtp_in, 2u);
  EXPECT_EQ(stats.rtp_forwarded, 3u);
}

TEST_F(RouterTest, DropsWithNamedReasons) {
  send(kAlicePub, packet(0xdead, 1));
  EXPECT_EQ(stats.drops(DropReason::unknown_ssrc), 1u);
  send(kBobSub, packet(kAliceAudio, 1));
  EXPECT_EQ(stats.drops(DropReason::wrong_direction), 1u);
  Bytes junk{0x80, 0x60, 0x00};
  router.on_rtp(kAlicePub, junk, {}, sink);
  EXPECT_EQ(stats.drops(DropReason::rtp_malformed), 1u);
  router.on_rtp(77, junk, {}, sink);
  EXPECT_EQ(stats.drops(DropReason::unknown_source), 1u);
  Bytes bad_rtcp{0x81, 0xc9, 0x00, 0x09};
  router.on_rtcp(kBobSub, bad_rtcp, {}, sink);
  EXPECT_EQ(stats.drops(DropReason::rtcp_malformed), 1u);
  EXPECT_TRUE(sink.sent.empty());
}

TEST_F(RouterTest, NackIsAnsweredFromTheCacheAndMissesGoToThePublisher) {
  for (uint16_t s = 10; s < 20; ++s) send(kAlicePub, packet(kAliceVideo, s));
  sink.sent.clear();
  rtcp(kBobSub, rtp::GenericNack{94, kAliceVideo, {12, 15, 500}});
  ASSERT_EQ(sink.rtp_to(kBobSub), 2u);
  EXPECT_EQ(rtp::RtpPacket::parse(sink.sent[0].bytes)->sequence_number(), 12);
  EXPECT_EQ(rtp::RtpPacket::parse(sink.sent[1].bytes)->sequence_number(), 15);
  auto upstream = sink.rtcp_to(kAlicePub);
  ASSERT_EQ(upstream.size(), 1u);
  const auto& nack = std::get<rtp::GenericNack>(upstream[0]);
  EXPECT_EQ(nack.media_ssrc, kAliceVideo);
  EXPECT_EQ(nack.lost, std::vector<uint16_t>{500});
  EXPECT_EQ(stats.nacked_packets, 3u);
  EXPECT_EQ(stats.retransmitted, 2u);
  EXPECT_EQ(stats.nacks_forwarded, 1u);
  // A NACK for a track the subscriber does not receive is ignored.
  sink.sent.clear();
  rtcp(kCarolSub, rtp::GenericNack{95, kAliceAudio, {12}});
  EXPECT_TRUE(sink.sent.empty());
}

TEST_F(RouterTest, KeyFrameRequestsAreRelayedAndThrottled) {
  Clock::TimePoint t = Clock::TimePoint{} + 5s;
  rtcp(kBobSub, rtp::Pli{94, kAliceVideo}, t);
  rtcp(kCarolSub, rtp::Pli{95, kAliceVideo}, t + 10ms);
  auto up = sink.rtcp_to(kAlicePub);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(std::get<rtp::Pli>(up[0]).media_ssrc, kAliceVideo);
  EXPECT_EQ(std::get<rtp::Pli>(up[0]).sender_ssrc, 91u);
  rtcp(kCarolSub, rtp::Fir{95, 0, {{kAliceVideo, 3}}}, t + 400ms);
  up = sink.rtcp_to(kAlicePub);
  ASSERT_EQ(up.size(), 2u);
  EXPECT_EQ(std::get<rtp::Fir>(up[1]).entries.at(0).ssrc, kAliceVideo);
  EXPECT_EQ(stats.key_frame_requests_relayed, 2u);
}

TEST_F(RouterTest, ANewVideoSubscriptionAsksForAKeyFrame) {
  Clock::TimePoint t = Clock::TimePoint{} + 5s;
  router.on_tick(t, sink);
  auto up = sink.rtcp_to(kAlicePub);
  size_t plis = 0;
  for (const auto& p : up) plis += std::holds_alternative<rtp::Pli>(p);
  EXPECT_EQ(plis, 1u);  // one for both subscribers of the video track
  sink.sent.clear();
  router.on_tick(t + 2s, sink);
  for (const auto& p : sink.rtcp_to(kAlicePub)) EXPECT_FALSE(std::holds_alternative<rtp::Pli>(p));
  router.unsubscribe(kCarolSub, kAlicePub, kAliceVideo);
  ASSERT_TRUE(router.subscribe(kCarolSub, kAlicePub, kAliceVideo));
  sink.sent.clear();
  router.on_tick(t + 3s, sink);
  plis = 0;
  for (const auto& p : sink.rtcp_to(kAlicePub)) plis += std::holds_alternative<rtp::Pli>(p);
  EXPECT_EQ(plis, 1u);
}

TEST_F(RouterTest, SenderReportsReachSubscribers) {
  rtp::SenderReport sr;
  sr.sender_ssrc = kAliceVideo;
  sr.ntp_timestamp = 0x0102030405060708ull;
  sr.rtp_timestamp = 9000;
  rtcp(kAlicePub, sr);
  auto at_bob = sink.rtcp_to(kBobSub);
  ASSERT_EQ(at_bob.size(), 1u);
  EXPECT_EQ(std::get<rtp::SenderReport>(at_bob[0]).rtp_timestamp, 9000u);
  EXPECT_EQ(sink.rtcp_to(kCarolSub).size(), 1u);
  EXPECT_TRUE(sink.rtcp_to(kAliceSub).empty());
}

TEST_F(RouterTest, TickSendsFeedbackReportsAndRemb) {
  Clock::TimePoint t = Clock::TimePoint{} + 100s;
  for (uint16_t s = 0; s < 10; ++s) {
    if (s == 4) continue;
    send(kAlicePub, packet(kAliceVideo, s, 127, s), t + s * 1ms);
  }
  rtcp(kBobSub, rtp::Remb{94, 0, 800'000, {kAliceVideo}}, t);
  rtcp(kCarolSub, rtp::Remb{95, 0, 500'000, {kAliceVideo}}, t);
  sink.sent.clear();
  router.on_tick(t + 20ms, sink);
  auto up = sink.rtcp_to(kAlicePub);
  bool feedback = false, rr = false, remb = false;
  for (const auto& p : up) {
    if (const auto* fb = std::get_if<rtp::TransportFeedback>(&p)) {
      feedback = true;
      EXPECT_EQ(fb->base_sequence_number, 0);
      ASSERT_EQ(fb->packets.size(), 10u);
      EXPECT_EQ(fb->packets[4].status, rtp::PacketStatusSymbol::not_received);
    } else if (const auto* r = std::get_if<rtp::ReceiverReport>(&p)) {
      rr = true;
      EXPECT_EQ(r->sender_ssrc, 91u);
      ASSERT_EQ(r->report_blocks.size(), 1u);
      EXPECT_EQ(r->report_blocks[0].ssrc, kAliceVideo);
      EXPECT_EQ(r->report_blocks[0].cumulative_lost, 1);
      EXPECT_EQ(r->report_blocks[0].extended_highest_sequence, 9u);
    } else if (const auto* b = std::get_if<rtp::Remb>(&p)) {
      remb = true;
      EXPECT_EQ(b->bitrate_bps, 500'000u);
      EXPECT_EQ(b->ssrcs, std::vector<uint32_t>{kAliceVideo});
    }
  }
  EXPECT_TRUE(feedback);
  EXPECT_TRUE(rr);
  EXPECT_TRUE(remb);
  EXPECT_TRUE(sink.rtcp_to(kBobPub).empty());  // publishes nothing
}

TEST_F(RouterTest, ActiveSpeakerFollowsAudioLevel) {
  Clock::TimePoint t = Clock::TimePoint{} + 50s;
  for (int tick = 0; tick < 5; ++tick) {
    for (int i = 0; i < 15; ++i) {
      send(kAlicePub, packet(kAliceAudio, static_cast<uint16_t>(tick * 15 + i), 25));
    }
    router.on_tick(t + tick * Router::kSpeakerInterval, sink);
  }
  ASSERT_FALSE(sink.speakers.empty());
  EXPECT_EQ(sink.speakers.back(), (std::pair<std::string, std::string>{"m", "alice"}));
  EXPECT_EQ(router.active_speaker("m"), "alice");
}

TEST_F(RouterTest, SsrcsAreUniquePerMeetingAndSubscriptionsStayInside) {
  EXPECT_TRUE(router.add_track(kBobPub, {kAliceVideo, TrackKind::video, 90000, 96, "0", {}})
                  .error()
                  .is(Errc::duplicate_ssrc));
  ASSERT_TRUE(router.add_transport(10, "other", "dave", 99));
  ASSERT_TRUE(router.add_track(10, {kAliceVideo, TrackKind::video, 90000, 96, "0", {}}));
  EXPECT_FALSE(router.subscribe(kBobSub, 10, kAliceVideo));
  EXPECT_FALSE(router.subscribe(kAlicePub, kAlicePub, kAliceVideo));
  EXPECT_FALSE(router.add_transport(10, "m", "x", 1));
}

TEST_F(RouterTest, RemovingAPublisherEndsItsForwarding) {
  router.remove_transport(kAlicePub);
  send(kAlicePub, packet(kAliceVideo, 1));
  EXPECT_EQ(stats.drops(DropReason::unknown_source), 1u);
  rtcp(kBobSub, rtp::GenericNack{94, kAliceVideo, {1}});
  rtcp(kBobSub, rtp::Pli{94, kAliceVideo});
  EXPECT_TRUE(sink.sent.empty());
  // The SSRC is free again in the meeting.
  EXPECT_TRUE(router.add_track(kBobPub, {kAliceVideo, TrackKind::video, 90000, 96, "0", {}}));
  router.remove_transport(kBobSub);
  router.remove_transport(kBobSub);  // twice is harmless
}

}  // namespace
}  // namespace conclave::sfu
