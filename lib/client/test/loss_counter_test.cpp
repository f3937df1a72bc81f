#include "conclave/client/loss_counter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

namespace conclave::client {
namespace {

void add_all(LossCounter& c, std::initializer_list<uint16_t> sequence_numbers) {
  for (uint16_t s : sequence_numbers) c.add(s);
}

TEST(LossCounter, EmptyExpectsNothing) {
  LossCounter c;
  EXPECT_EQ(c.expected(), 0u);
  EXPECT_EQ(c.received(), 0u);
  EXPECT_EQ(c.lost(), 0u);
}

TEST(LossCounter, GapsAreLostFromFirstToHighest) {
  LossCounter c;
  add_all(c, {100, 101, 103, 106, 107});
  EXPECT_EQ(c.expected(), 8u);  // 100..107
  EXPECT_EQ(c.received(), 5u);
  EXPECT_EQ(c.lost(), 3u);
}

TEST(LossCounter, DuplicatesCountOnceAndAreReportedApart) {
  LossCounter c;
  add_all(c, {1, 2, 2, 3, 1, 3});
  EXPECT_EQ(c.received(), 3u);
  EXPECT_EQ(c.duplicates(), 3u);
  EXPECT_EQ(c.lost(), 0u);
}

TEST(LossCounter, ReorderedPacketFillsItsGapAndOneBeforeTheFirstWidensTheRange) {
  LossCounter c;
  add_all(c, {10, 12, 11, 9});
  EXPECT_EQ(c.expected(), 4u);  // 9..12
  EXPECT_EQ(c.received(), 4u);
  EXPECT_EQ(c.lost(), 0u);
}

TEST(LossCounter, WrapsAroundSixteenBits) {
  LossCounter c;
  add_all(c, {65533, 65534, 0, 1});  // 65535 lost
  EXPECT_EQ(c.expected(), 5u);
  EXPECT_EQ(c.received(), 4u);
  EXPECT_EQ(c.lost(), 1u);
}

TEST(LossCounter, PacketsBehindTheWindowAreStaleNotReceived) {
  LossCounter c;
  c.add(0);
  c.add(static_cast<uint16_t>(LossCounter::kWindow + 10));
  c.add(5);  // further behind than the window: cannot be checked for duplicates
  EXPECT_EQ(c.stale(), 1u);
  EXPECT_EQ(c.received(), 2u);
  EXPECT_EQ(c.expected(), static_cast<uint64_t>(LossCounter::kWindow) + 11u);
}

TEST(LossCounter, AfterTheWindowMovesOldSlotsDoNotLookSeen) {
  LossCounter c;
  // Every number once, over several windows: no duplicate may be reported.
  for (uint32_t s = 0; s < 3 * LossCounter::kWindow; ++s) c.add(static_cast<uint16_t>(s));
  EXPECT_EQ(c.duplicates(), 0u);
  EXPECT_EQ(c.received(), 3u * LossCounter::kWindow);
  EXPECT_EQ(c.lost(), 0u);
  // A jump past the whole window, then a number just behind it.
  c.add(static_cast<uint16_t>(3 * LossCounter::kWindow + 2 * LossCounter::kWindow));
  c.add(static_cast<uint16_t>(3 * LossCounter::kWindow + 2 * LossCounter::kWindow - 1));
  EXPECT_EQ(c.duplicates(), 0u);
  EXPECT_EQ(c.received(), 3u * LossCounter::kWindow + 2);
}

}  // namespace
}  // namespace conclave::client
