#include "conclave/rtp/sframe_depacketizer.h"

#include <gtest/gtest.h>

#include <deque>

#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/sframe_packetizer.h"

namespace conclave::rtp {
namespace {

class Wire {
 public:
  RtpPacket packet(uint16_t seq, uint32_t ts, bool marker, const Bytes& payload) {
    RtpPacketBuilder b;
    b.set_sequence_number(seq).set_timestamp(ts).set_marker(marker).set_payload(payload);
    store_.push_back(b.build().value());
    return RtpPacket::parse(store_.back()).value();
  }

 private:
  std::deque<Bytes> store_;
};

TEST(SFrameDepacketizer, RoundTripsThePacketizer) {
  SFramePacketizer p(300);
  SFrameDepacketizer d;
  Wire w;
  Bytes ct(1000);
  for (size_t i = 0; i < ct.size(); ++i) ct[i] = static_cast<uint8_t>(i);
  auto packets = p.packetize(ct).value();
  ASSERT_EQ(packets.size(), 4u);
  std::optional<AssembledFrame> out;
  uint16_t seq = 100;
  for (const auto& pk : packets) {
    auto r = d.push(w.packet(seq++, 7, pk.marker, pk.payload));
    EXPECT_FALSE(r.dropped.has_value());
    if (r.frame) out = std::move(r.frame);
  }
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->data, ct);
  EXPECT_FALSE(out->key_frame);
}

TEST(SFrameDepacketizer, EndBitNotMarkerEndsTheFrame) {
  SFrameDepacketizer d;
  Wire w;
  // Marker set on the first fragment, E on the second: the E bit counts.
  EXPECT_FALSE(d.push(w.packet(1, 0, true, Bytes{0x80, 1})).frame.has_value());
  auto r = d.push(w.packet(2, 0, false, Bytes{0x7f, 2}));  // E plus reserved bits
  ASSERT_TRUE(r.frame.has_value());
  EXPECT_EQ(r.frame->data, (Bytes{1, 2}));
}

TEST(SFrameDepacketizer, DropsGapsAndMalformedPackets) {
  SFrameDepacketizer d;
  Wire w;
  EXPECT_EQ(d.push(w.packet(1, 0, false, Bytes{0x80})).dropped, DropReason::malformed_payload);
  d.push(w.packet(2, 0, false, Bytes{0x80, 1}));
  EXPECT_EQ(d.push(w.packet(4, 0, false, Bytes{0x40, 1})).dropped, DropReason::sequence_gap);
  EXPECT_EQ(d.push(w.packet(5, 0, false, Bytes{0x00, 1})).dropped, DropReason::missing_start);
  EXPECT_EQ(d.drops().total(), 3u);
}

}  // namespace
}  // namespace conclave::rtp
