#include "conclave/rtp/sframe_packetizer.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

TEST(SFramePacketizer, SinglePacketHasBothBits) {
  SFramePacketizer p(1200);
  auto packets = p.packetize(Bytes{0x01, 0x02});
  ASSERT_TRUE(packets.ok());
  ASSERT_EQ(packets->size(), 1u);
  EXPECT_EQ(to_hex((*packets)[0].payload), "c00102");
  EXPECT_TRUE((*packets)[0].marker);
}

TEST(SFramePacketizer, FragmentsCarryStartAndEnd) {
  SFramePacketizer p(4, false);  // 3 bytes of ciphertext per packet
  auto packets = p.packetize(Bytes{1, 2, 3, 4, 5, 6, 7});
  ASSERT_TRUE(packets.ok());
  ASSERT_EQ(packets->size(), 3u);
  EXPECT_EQ(to_hex((*packets)[0].payload), "80010203");
  EXPECT_EQ(to_hex((*packets)[1].payload), "000405");
  EXPECT_EQ(to_hex((*packets)[2].payload), "400607");
  for (const auto& pk : *packets) EXPECT_FALSE(pk.marker);
}

TEST(SFramePacketizer, RejectsImpossibleInput) {
  EXPECT_FALSE(SFramePacketizer(1).packetize(Bytes{1}).ok());
  EXPECT_FALSE(SFramePacketizer(100).packetize({}).ok());
}

}  // namespace
}  // namespace conclave::rtp
