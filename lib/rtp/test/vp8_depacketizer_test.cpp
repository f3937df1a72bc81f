#include "conclave/rtp/vp8_depacketizer.h"

#include <gtest/gtest.h>

#include <deque>

#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/vp8_packetizer.h"

namespace conclave::rtp {
namespace {

// Owns the packet bytes the RtpPacket views point into.
class Wire {
 public:
  RtpPacket packet(uint16_t seq, uint32_t ts, bool marker, const Bytes& payload) {
    RtpPacketBuilder b;
    b.set_payload_type(96).set_sequence_number(seq).set_timestamp(ts).set_ssrc(1).set_marker(marker);
    b.set_payload(payload);
    store_.push_back(b.build().value());
    return RtpPacket::parse(store_.back()).value();
  }

 private:
  std::deque<Bytes> store_;
};

Bytes key_frame(size_t n) {
  Bytes f(n, 0xab);
  f[0] = 0x50;  // P = 0
  return f;
}

Bytes delta_frame(size_t n) {
  Bytes f(n, 0xcd);
  f[0] = 0x31;  // P = 1
  return f;
}

TEST(Vp8Depacketizer, RebuildsPacketizedFrames) {
  Vp8Packetizer p(500);
  Vp8Depacketizer d;
  Wire w;
  uint16_t seq = 65530;  // wraps during the test
  for (int f = 0; f < 4; ++f) {
    const Bytes frame = f == 0 ? key_frame(1700) : delta_frame(300 + 400 * static_cast<size_t>(f));
    auto packets = p.packetize(frame).value();
    std::optional<AssembledFrame> out;
    for (const auto& pk : packets) {
      auto r = d.push(w.packet(seq++, 3000u * static_cast<uint32_t>(f), pk.marker, pk.payload));
      EXPECT_FALSE(r.dropped.has_value());
      if (r.frame) out = std::move(r.frame);
    }
    ASSERT_TRUE(out.has_value()) << f;
    EXPECT_EQ(out->data, frame);
    EXPECT_EQ(out->key_frame, f == 0);
    EXPECT_EQ(out->timestamp, 3000u * static_cast<uint32_t>(f));
  }
  EXPECT_EQ(d.drops().total(), 0u);
}

TEST(Vp8Depacketizer, DropsAFrameWithAGap) {
  Vp8Packetizer p(100);
  Vp8Depacketizer d;
  Wire w;
  auto packets = p.packetize(delta_frame(300)).value();
  ASSERT_GE(packets.size(), 3u);
  EXPECT_FALSE(d.push(w.packet(1, 0, false, packets[0].payload)).dropped.has_value());
  auto r = d.push(w.packet(3, 0, false, packets[2].payload));  // 2 lost
  EXPECT_EQ(r.dropped, DropReason::sequence_gap);
  EXPECT_FALSE(r.frame.has_value());
  EXPECT_EQ(d.drops().count(DropReason::sequence_gap), 1u);
  // The rest of that frame has no start any more.
  EXPECT_EQ(d.push(w.packet(4, 0, true, packets[3].payload)).dropped, DropReason::missing_start);
  // The next frame assembles again.
  auto next = p.packetize(delta_frame(50)).value();
  ASSERT_EQ(next.size(), 1u);
  auto ok = d.push(w.packet(5, 90, true, next[0].payload));
  ASSERT_TRUE(ok.frame.has_value());
  EXPECT_EQ(ok.frame->data, delta_frame(50));
}

TEST(Vp8Depacketizer, DropsMalformedPayloads) {
  Vp8Depacketizer d;
  Wire w;
  EXPECT_EQ(d.push(w.packet(1, 0, true, {})).dropped, DropReason::malformed_payload);
  EXPECT_EQ(d.push(w.packet(2, 0, true, Bytes{0x90})).dropped, DropReason::malformed_payload);
  EXPECT_EQ(d.push(w.packet(3, 0, true, Bytes{0x10})).dropped, DropReason::malformed_payload);
  // A descriptor with S=1 but PID=1 continues a frame, it does not start one.
  EXPECT_EQ(d.push(w.packet(4, 0, true, Bytes{0x11, 0x00})).dropped, DropReason::missing_start);
  EXPECT_EQ(d.drops().count(DropReason::malformed_payload), 3u);
}

}  // namespace
}  // namespace conclave::rtp
