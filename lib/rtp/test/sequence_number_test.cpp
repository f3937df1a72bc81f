#include "conclave/rtp/sequence_number.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace conclave::rtp {
namespace {

TEST(SequenceNumber, ForwardAndSignedDistanceWrap) {
  EXPECT_EQ(seq_forward(65535, 1), 2);
  EXPECT_EQ(seq_forward(1, 65535), 65534);
  EXPECT_EQ(seq_delta(65535, 1), 2);
  EXPECT_EQ(seq_delta(1, 65535), -2);
  EXPECT_EQ(seq_delta(100, 100), 0);
  EXPECT_EQ(seq_delta(0, 0x7fff), 0x7fff);
  EXPECT_EQ(seq_delta(0, 0x8000), -0x8000);
}

TEST(SequenceNumber, NewerAcrossTheWrap) {
  EXPECT_TRUE(seq_newer(1, 65535));
  EXPECT_FALSE(seq_newer(65535, 1));
  EXPECT_TRUE(seq_newer(101, 100));
  EXPECT_FALSE(seq_newer(100, 100));
  EXPECT_TRUE(seq_newer(0x7fff, 0));
  EXPECT_FALSE(seq_newer(0, 0x7fff));
}

TEST(SequenceNumber, NewerIsAStrictOrderAtHalfTheSpace) {
  // Exactly half apart: exactly one of the two is newer.
  for (uint32_t a : {0u, 1u, 0x7fffu, 0x8000u, 0xffffu}) {
    const auto x = static_cast<uint16_t>(a);
    const auto y = static_cast<uint16_t>(a + 0x8000u);
    EXPECT_NE(seq_newer(x, y), seq_newer(y, x)) << a;
  }
}

TEST(SequenceUnwrapper, CountsThroughWraps) {
  SequenceUnwrapper u;
  EXPECT_FALSE(u.last().has_value());
  EXPECT_EQ(u.unwrap(65534), 65534);
  EXPECT_EQ(u.unwrap(65535), 65535);
  EXPECT_EQ(u.unwrap(0), 65536);
  EXPECT_EQ(u.unwrap(5), 65541);
  // Reordered: an older packet from before the wrap.
  EXPECT_EQ(u.unwrap(65535), 65535);
  EXPECT_EQ(u.unwrap(6), 65542);
  // Many wraps in steps below half the space.
  int64_t expect = 65542;
  uint16_t s = 6;
  for (int i = 0; i < 20; ++i) {
    s = static_cast<uint16_t>(s + 30000);
    expect += 30000;
    EXPECT_EQ(u.unwrap(s), expect);
  }
  EXPECT_EQ(u.last(), expect);
}

TEST(SequenceUnwrapper, GoesNegativeBeforeTheFirstValue) {
  SequenceUnwrapper u;
  EXPECT_EQ(u.unwrap(2), 2);
  EXPECT_EQ(u.unwrap(65535), -1);
  u.reset();
  EXPECT_EQ(u.unwrap(65535), 65535);
}

TEST(TimestampUnwrapper, Unwraps32Bits) {
  TimestampUnwrapper u;
  EXPECT_EQ(u.unwrap(0xffffff00u), 0xffffff00);
  EXPECT_EQ(u.unwrap(0x00000100u), 0x100000100);
  EXPECT_EQ(u.unwrap(0xfffffff0u), 0xfffffff0);
}

}  // namespace
}  // namespace conclave::rtp
