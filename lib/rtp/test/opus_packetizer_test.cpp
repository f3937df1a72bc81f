#include "conclave/rtp/opus_packetizer.h"

#include <gtest/gtest.h>

namespace conclave::rtp {
namespace {

TEST(OpusPacketizer, OneFramePerPacket) {
  OpusPacketizer p(1200);
  const Bytes frame{0xfc, 1, 2, 3};
  auto packets = p.packetize(frame);
  ASSERT_TRUE(packets.ok());
  ASSERT_EQ(packets->size(), 1u);
  EXPECT_EQ((*packets)[0].payload, frame);
  EXPECT_FALSE((*packets)[0].marker);
}

TEST(OpusPacketizer, NeverFragments) {
  OpusPacketizer p(3);
  EXPECT_TRUE(p.packetize(Bytes{1, 2, 3, 4}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(p.packetize({}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(p.packetize(Bytes{1, 2, 3}).ok());
}

}  // namespace
}  // namespace conclave::rtp
