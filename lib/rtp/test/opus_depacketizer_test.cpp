#include "conclave/rtp/opus_depacketizer.h"

#include <gtest/gtest.h>

#include "conclave/rtp/rtp_packet_builder.h"

namespace conclave::rtp {
namespace {

Bytes packet_bytes(uint16_t seq, const Bytes& payload) {
  RtpPacketBuilder b;
  b.set_payload_type(111).set_sequence_number(seq).set_timestamp(960u * seq).set_payload(payload);
  return b.build().value();
}

TEST(OpusDepacketizer, EveryPacketIsAFrame) {
  OpusDepacketizer d;
  for (uint16_t seq : {uint16_t{65535}, uint16_t{0}, uint16_t{2}}) {  // 1 lost: still fine
    const Bytes b = packet_bytes(seq, Bytes{0xfc, static_cast<uint8_t>(seq)});
    auto r = d.push(RtpPacket::parse(b).value());
    ASSERT_TRUE(r.frame.has_value()) << seq;
    EXPECT_FALSE(r.dropped.has_value());
    EXPECT_EQ(r.frame->data, (Bytes{0xfc, static_cast<uint8_t>(seq)}));
    EXPECT_TRUE(r.frame->key_frame);
    EXPECT_EQ(r.frame->timestamp, 960u * seq);
  }
}

TEST(OpusDepacketizer, DropsEmptyAndLatePackets) {
  OpusDepacketizer d;
  const Bytes empty = packet_bytes(5, {});
  EXPECT_EQ(d.push(RtpPacket::parse(empty).value()).dropped, DropReason::malformed_payload);
  const Bytes a = packet_bytes(6, Bytes{1});
  EXPECT_TRUE(d.push(RtpPacket::parse(a).value()).frame.has_value());
  EXPECT_EQ(d.push(RtpPacket::parse(a).value()).dropped, DropReason::late_packet);
  EXPECT_EQ(d.drops().total(), 2u);
}

}  // namespace
}  // namespace conclave::rtp
