#include "conclave/client/video_sender.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "conclave/client/media_errc.h"
#include "conclave/media/quality.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/vp8_decoder.h"
#include "conclave/rtp/abs_send_time.h"
#include "conclave/rtp/dependency_descriptor.h"
#include "conclave/rtp/mid.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/transport_sequence_number.h"
#include "conclave/rtp/vp8_payload_descriptor.h"
#include "media_pipeline_test_util.h"

namespace conclave::client {
namespace {

using namespace pipeline_test;
using std::chrono::milliseconds;

constexpr uint32_t kWidth = 320;
constexpr uint32_t kHeight = 180;

class VideoSenderTest : public ::testing::Test {
 protected:
  VideoSenderTest()
      : secret_(random_epoch_secret()),
        sender_keys_(make_keys(clock_, 1, secret_)),
        receiver_keys_(make_keys(clock_, 1, secret_)),
        pattern_(media::TestPattern::create({kWidth, kHeight, 30}).value()) {}

  VideoSenderConfig config() {
    auto c = video_sender_config(tcc_, kWidth, kHeight);
    c.first_sequence_number = 65530;  // wraps within the test
    c.timestamp_offset = 0xfffff000;
    return c;
  }

  VideoSender make(const VideoSenderConfig& c) {
    auto s = VideoSender::create(c, sender_keys_, clock_);
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    return std::move(s).value();
  }

  std::vector<Bytes> send(VideoSender& s, uint64_t index) {
    auto packets = s.send(pattern_.frame(index));
    EXPECT_TRUE(packets.ok()) << packets.error().to_string();
    return packets.ok() ? *packets : std::vector<Bytes>{};
  }

  // The frame's SFrame ciphertext: the payloads after the VP8 descriptors.
  static Bytes ciphertext_of(const std::vector<Bytes>& packets) {
    Bytes out;
    for (const auto& bytes : packets) {
      auto p = rtp::RtpPacket::parse(bytes);
      EXPECT_TRUE(p.ok());
      auto d = rtp::Vp8PayloadDescriptor::parse(p->payload());
      EXPECT_TRUE(d.ok());
      auto data = p->payload().subspan(d->second);
      out.insert(out.end(), data.begin(), data.end());
    }
    return out;
  }

  FakeClock clock_;
  TransportSequenceCounter tcc_{100};
  Bytes secret_;
  sframe::MlsContext sender_keys_;
  sframe::MlsContext receiver_keys_;
  media::TestPattern pattern_;
};

TEST_F(VideoSenderTest, EveryPacketCarriesTheHeadersAndTheDependencyDescriptor) {
  auto c = config();
  auto sender = make(c);
  const auto structure = rtp::FrameDependencyStructure::single_layer();
  uint16_t expected_seq = 65530;
  uint16_t expected_tcc = 100;
  for (uint64_t i = 0; i < 3; ++i) {
    clock_.advance(milliseconds(33));
    const auto packets = send(sender, i);
    ASSERT_FALSE(packets.empty());
    for (size_t k = 0; k < packets.size(); ++k) {
      SCOPED_TRACE(::testing::Message() << "frame " << i << " packet " << k);
      EXPECT_LE(packets[k].size(), c.max_packet_size);
      auto p = rtp::RtpPacket::parse(packets[k]);
      ASSERT_TRUE(p.ok());
      EXPECT_EQ(p->payload_type(), 96);
      EXPECT_EQ(p->ssrc(), kVideoSsrc);
      EXPECT_EQ(p->sequence_number(), expected_seq++);
      EXPECT_EQ(p->timestamp(), static_cast<uint32_t>(0xfffff000u + i * 3000u));
      EXPECT_EQ(p->marker(), k + 1 == packets.size());

      auto raw_dd = p->extension(5);
      ASSERT_TRUE(raw_dd.has_value());
      auto dd = rtp::DependencyDescriptor::parse(*raw_dd, &structure);
      ASSERT_TRUE(dd.ok());
      EXPECT_EQ(dd->start_of_frame, k == 0);
      EXPECT_EQ(dd->end_of_frame, k + 1 == packets.size());
      EXPECT_EQ(dd->frame_number, i);
      // The first frame is a key frame: the structure on its first packet.
      EXPECT_EQ(dd->attached_structure.has_value(), i == 0 && k == 0);
      if (dd->attached_structure) {
        EXPECT_EQ(*dd->attached_structure, structure);
      }
      EXPECT_EQ(dd->frame_dependency_template_id, i == 0 ? 0 : 1);

      auto mid = p->extension(2);
      ASSERT_TRUE(mid.has_value());
      EXPECT_EQ(*rtp::Mid::parse(*mid), "1");
      auto tcc = p->extension(3);
      ASSERT_TRUE(tcc.has_value());
      EXPECT_EQ(*rtp::TransportSequenceNumber::parse(*tcc), expected_tcc++);
      auto ast = p->extension(4);
      ASSERT_TRUE(ast.has_value());
      EXPECT_EQ(*rtp::AbsSendTime::parse(*ast),
                rtp::AbsSendTime::from_microseconds(
                    static_cast<uint64_t>(clock_.now().time_since_epoch().count())));
      EXPECT_FALSE(p->extension(1).has_value());  // no audio level on video
    }
  }
  EXPECT_EQ(sender.stats().frames_encoded, 3u);
  EXPECT_EQ(sender.stats().frames_sent, 3u);
  EXPECT_EQ(sender.stats().key_frames_sent, 1u);
  EXPECT_EQ(sender.stats().packets_sent, static_cast<uint16_t>(expected_seq - 65530));
  EXPECT_EQ(sender.next_sequence_number(), expected_seq);
}

TEST_F(VideoSenderTest, ThePayloadIsTheSFrameProtectedEncodedFrame) {
  auto sender = make(config());
  auto decoder = media::Vp8Decoder::create().value();
  for (uint64_t i = 0; i < 3; ++i) {
    const auto packets = send(sender, i);
    const Bytes ciphertext = ciphertext_of(packets);
    // Not VP8 in the clear: a decoder refuses the payload as it is.
    auto plain_decoder = media::Vp8Decoder::create().value();
    EXPECT_FALSE(plain_decoder.decode(ciphertext).ok());

    Bytes plaintext(ciphertext.size());
    auto opened = receiver_keys_.unprotect({}, ciphertext, plaintext);
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    EXPECT_EQ(opened->sender_index, kSenderLeaf);
    EXPECT_EQ(opened->context_id, kVideoContextId);
    EXPECT_EQ(opened->epoch, 1u);
    plaintext.resize(opened->size);
    auto picture = decoder.decode(plaintext);
    ASSERT_TRUE(picture.ok()) << picture.error().to_string();
    ASSERT_TRUE(picture->has_value());
    EXPECT_EQ(media::frame_index_of(**picture), i);
    auto quality = media::psnr(pattern_.frame(i), **picture);
    ASSERT_TRUE(quality.ok());
    EXPECT_GE(quality->frame, 30.0);
  }
}

TEST_F(VideoSenderTest, WithoutAKeyNothingIsSentAndTheFirstFrameAfterIsAKeyFrame) {
  auto keyless = make_keys(clock_);
  auto s = VideoSender::create(config(), keyless, clock_);
  ASSERT_TRUE(s.ok());
  VideoSender& sender = *s;
  for (uint64_t i = 0; i < 3; ++i) {
    auto packets = sender.send(pattern_.frame(i));
    ASSERT_FALSE(packets.ok());
    EXPECT_TRUE(packets.error().is(MediaErrc::no_media_key));
  }
  media::EncodedFrame encoded{Bytes(100, 0x42), true, kWidth, kHeight, 0};
  EXPECT_FALSE(sender.send_encoded(encoded).ok());
  EXPECT_EQ(sender.stats().frames_dropped_no_key, 4u);
  EXPECT_EQ(sender.stats().frames_encoded, 0u);
  EXPECT_EQ(sender.stats().packets_sent, 0u);
  EXPECT_EQ(sender.next_sequence_number(), 65530);

  // The key arrives: frame 3 goes out as a key frame, frame 4 as a delta.
  ASSERT_TRUE(keyless.add_epoch(1, secret_).ok());
  for (uint64_t i = 3; i < 5; ++i) {
    auto packets = sender.send(pattern_.frame(i));
    ASSERT_TRUE(packets.ok());
    auto first = rtp::RtpPacket::parse(packets->front());
    ASSERT_TRUE(first.ok());
    auto dd = rtp::DependencyDescriptor::parse_mandatory(*first->extension(5));
    ASSERT_TRUE(dd.ok());
    EXPECT_EQ(dd->has_structure, i == 3);
  }
  EXPECT_EQ(sender.stats().key_frames_sent, 1u);
}

TEST_F(VideoSenderTest, AKeyFrameFollowsAFrameThatCouldNotBeSent) {
  auto keys = make_keys(clock_);
  ASSERT_TRUE(keys.add_epoch(1, secret_).ok());
  auto s = VideoSender::create(config(), keys, clock_);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->send(pattern_.frame(0)).ok());  // key
  ASSERT_TRUE(s->send(pattern_.frame(1)).ok());  // delta
  // Our leaf index does not fit the epoch's sender bits: protect fails.
  ASSERT_TRUE(keys.add_epoch(2, secret_, 1).ok());
  EXPECT_FALSE(s->send(pattern_.frame(2)).ok());
  EXPECT_EQ(s->stats().frames_dropped_error, 1u);
  ASSERT_TRUE(keys.add_epoch(3, secret_).ok());
  ASSERT_TRUE(s->send(pattern_.frame(3)).ok());
  EXPECT_EQ(s->stats().key_frames_sent, 2u);
}

TEST_F(VideoSenderTest, RetransmitsFromTheHistoryWithNewTransportNumbers) {
  auto c = config();
  c.history_size = 32;
  c.max_packet_size = 300;  // several packets per frame
  auto sender = make(c);
  const auto packets = send(sender, 0);
  ASSERT_GE(packets.size(), 2u);
  const auto first = rtp::RtpPacket::parse(packets[0]).value();

  clock_.advance(milliseconds(40));
  const uint16_t tcc_before = tcc_.peek();
  auto again = sender.retransmit(first.sequence_number());
  ASSERT_TRUE(again.has_value());
  auto p = rtp::RtpPacket::parse(*again);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->sequence_number(), first.sequence_number());
  EXPECT_TRUE(equal(p->payload(), first.payload()));
  EXPECT_TRUE(equal(*p->extension(5), *first.extension(5)));
  EXPECT_EQ(*rtp::TransportSequenceNumber::parse(*p->extension(3)), tcc_before);
  EXPECT_NE(*rtp::AbsSendTime::parse(*p->extension(4)),
            *rtp::AbsSendTime::parse(*first.extension(4)));
  EXPECT_EQ(tcc_.peek(), static_cast<uint16_t>(tcc_before + 1));

  // Never sent, or pushed out of the 32-packet history.
  EXPECT_FALSE(sender.retransmit(static_cast<uint16_t>(first.sequence_number() - 1)));
  for (uint64_t i = 1; sender.stats().packets_sent <= 32; ++i) send(sender, i);
  EXPECT_FALSE(sender.retransmit(first.sequence_number()));
  EXPECT_EQ(sender.stats().retransmissions, 1u);
  EXPECT_EQ(sender.stats().retransmit_misses, 2u);
}

TEST_F(VideoSenderTest, HandlesNackPliAndFirForItsSsrcOnly) {
  auto sender = make(config());
  const auto packets = send(sender, 0);
  const uint16_t seq = rtp::RtpPacket::parse(packets[0])->sequence_number();

  const auto never_sent = static_cast<uint16_t>(seq - 100);
  auto resent = sender.handle_rtcp(rtp::GenericNack{kReceiverSsrc, kVideoSsrc, {seq, never_sent}});
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(rtp::RtpPacket::parse(resent[0])->sequence_number(), seq);
  EXPECT_TRUE(sender.handle_rtcp(rtp::GenericNack{kReceiverSsrc, 999, {seq}}).empty());

  auto is_key = [](const std::vector<Bytes>& ps) {
    auto p = rtp::RtpPacket::parse(ps.front());
    return rtp::DependencyDescriptor::parse_mandatory(*p->extension(5))->has_structure;
  };
  EXPECT_FALSE(is_key(send(sender, 1)));
  EXPECT_TRUE(sender.handle_rtcp(rtp::Pli{kReceiverSsrc, 999}).empty());
  EXPECT_FALSE(is_key(send(sender, 2)));
  EXPECT_TRUE(sender.handle_rtcp(rtp::Pli{kReceiverSsrc, kVideoSsrc}).empty());
  EXPECT_TRUE(is_key(send(sender, 3)));
  EXPECT_TRUE(sender.handle_rtcp(rtp::Fir{kReceiverSsrc, 0, {{999, 1}, {kVideoSsrc, 1}}}).empty());
  EXPECT_TRUE(is_key(send(sender, 4)));
  EXPECT_EQ(sender.stats().key_frame_requests, 2u);
  EXPECT_EQ(sender.stats().key_frames_sent, 3u);
}

TEST_F(VideoSenderTest, ExtensionsWithIdZeroAreNotSent) {
  auto c = config();
  c.extensions.mid = 0;
  c.extensions.transport_cc = 0;
  c.extensions.abs_send_time = 0;
  c.transport_sequence = nullptr;
  auto sender = make(c);
  for (const auto& bytes : send(sender, 0)) {
    auto p = rtp::RtpPacket::parse(bytes);
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(p->extensions().size(), 1u);
    EXPECT_EQ(p->extensions()[0].id, 5);
  }
}

TEST_F(VideoSenderTest, RefusesConfigurationsItCannotHonour) {
  auto expect_invalid = [&](const VideoSenderConfig& c) {
    auto s = VideoSender::create(c, sender_keys_, clock_);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().is(MediaErrc::invalid_config)) << s.error().to_string();
  };
  auto c = config();
  c.extensions.dependency_descriptor = 0;
  expect_invalid(c);
  c = config();
  c.payload_type = 128;
  expect_invalid(c);
  c = config();
  c.transport_sequence = nullptr;
  expect_invalid(c);
  c = config();
  c.extensions.mid_value = "has space";
  expect_invalid(c);
  c = config();
  c.max_packet_size = 60;
  expect_invalid(c);
  c = config();
  c.history_size = 0;
  expect_invalid(c);
}

}  // namespace
}  // namespace conclave::client
