#include "conclave/net/srtp_replay_window.h"

#include <gtest/gtest.h>

namespace conclave::net {
namespace {

constexpr uint64_t kSize = SrtpReplayWindow::kSize;

TEST(SrtpReplayWindow, StartsAtZeroWithNothingSeen) {
  SrtpReplayWindow w;
  EXPECT_EQ(w.highest(), 0u);
  EXPECT_EQ(w.check(0), SrtpReplayVerdict::fresh);
  EXPECT_EQ(w.check(5), SrtpReplayVerdict::fresh);
  w.add(0);
  EXPECT_EQ(w.check(0), SrtpReplayVerdict::seen);
  EXPECT_EQ(w.highest(), 0u);
}

TEST(SrtpReplayWindow, RemembersEveryIndexInsideTheWindow) {
  SrtpReplayWindow w;
  for (uint64_t i = 100; i < 100 + kSize; i += 2) w.add(i);
  const uint64_t top = 100 + kSize - 2;
  EXPECT_EQ(w.highest(), top);
  for (uint64_t i = top - (kSize - 1); i <= top; ++i) {
    const bool even = i % 2 == 0;
    EXPECT_EQ(w.check(i), even && i >= 100 ? SrtpReplayVerdict::seen : SrtpReplayVerdict::fresh)
        << i;
  }
  EXPECT_EQ(w.check(top - kSize), SrtpReplayVerdict::too_old);
  EXPECT_EQ(w.check(top + 1), SrtpReplayVerdict::fresh);
}

TEST(SrtpReplayWindow, SlidingForwardForgetsWhatFallsOut) {
  SrtpReplayWindow w;
  w.add(10);
  w.add(11);
  w.add(10 + kSize);  // 10 falls out, 11 is the oldest inside
  EXPECT_EQ(w.check(10), SrtpReplayVerdict::too_old);
  EXPECT_EQ(w.check(11), SrtpReplayVerdict::seen);
  EXPECT_EQ(w.check(12), SrtpReplayVerdict::fresh);
  // The ring slots the window slid over are clear again: 12 + kSize reuses
  // the slot of 12 (fresh), 11 + kSize the slot of 11, which was seen.
  w.add(11 + kSize);
  EXPECT_EQ(w.check(11), SrtpReplayVerdict::too_old);
  EXPECT_EQ(w.check(11 + kSize), SrtpReplayVerdict::seen);
  EXPECT_EQ(w.check(12 + kSize), SrtpReplayVerdict::fresh);
  // A jump of more than the window forgets everything.
  w.add(10 * kSize);
  EXPECT_EQ(w.highest(), 10 * kSize);
  for (uint64_t i = 9 * kSize + 1; i < 10 * kSize; ++i) {
    ASSERT_EQ(w.check(i), SrtpReplayVerdict::fresh) << i;
  }
  EXPECT_EQ(w.check(10 * kSize), SrtpReplayVerdict::seen);
}

TEST(SrtpReplayWindow, TooOldIndicesAreIgnoredByAdd) {
  SrtpReplayWindow w;
  w.add(5000);
  w.add(5000 - kSize);
  EXPECT_EQ(w.highest(), 5000u);
  // The ring slot of 5000 - kSize is the slot of 5000; it stays as it was.
  EXPECT_EQ(w.check(5000 - kSize + kSize), SrtpReplayVerdict::seen);
  EXPECT_EQ(w.check(4999), SrtpReplayVerdict::fresh);
}

TEST(SrtpEstimateIndex, FollowsRfc3711AppendixA) {
  // ROC 0, early in the stream: the index is the sequence number.
  EXPECT_EQ(srtp_estimate_index(0, 7), 7u);
  EXPECT_EQ(srtp_estimate_index(0, 0xfff0), 0xfff0u);  // never ROC -1
  EXPECT_EQ(srtp_estimate_index(10, 0xfff0), 0xfff0u);
  // Near the top of ROC 0 a small sequence number has wrapped to ROC 1.
  EXPECT_EQ(srtp_estimate_index(0xfffe, 2), 0x10002u);
  EXPECT_EQ(srtp_estimate_index(0xfffe, 0xfffd), 0xfffdu);
  EXPECT_EQ(srtp_estimate_index(0x9000, 0x0fff), 0x10fffu);
  EXPECT_EQ(srtp_estimate_index(0x9000, 0x1001), 0x1001u);
  // After the wrap a late packet from before it keeps ROC 0.
  EXPECT_EQ(srtp_estimate_index(0x10002, 0xffff), 0xffffu);
  EXPECT_EQ(srtp_estimate_index(0x10002, 3), 0x10003u);
  EXPECT_EQ(srtp_estimate_index(0x50004, 0x8005), 0x48005u);
  EXPECT_EQ(srtp_estimate_index(0x50004, 0x8004), 0x58004u);
  // The ROC is 32 bits: past it the estimate leaves 48 bits.
  EXPECT_EQ(srtp_estimate_index(0xffff'ffff'fff0, 1) >> 48, 1u);
}

}  // namespace
}  // namespace conclave::net
