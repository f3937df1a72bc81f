#include "conclave/sframe/replay_window.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace conclave::sframe {
namespace {

void accept(ReplayWindow& w, uint64_t ctr) {
  ASSERT_TRUE(w.check(ctr)) << ctr;
  w.update(ctr);
  EXPECT_FALSE(w.check(ctr)) << "duplicate " << ctr;
}

TEST(ReplayWindow, FreshWindowAcceptsAnyCounter) {
  ReplayWindow w;
  EXPECT_FALSE(w.highest());
  EXPECT_TRUE(w.check(0));
  EXPECT_TRUE(w.check(std::numeric_limits<uint64_t>::max()));
}

TEST(ReplayWindow, InOrderAndDuplicates) {
  ReplayWindow w;
  for (uint64_t i = 0; i < 300; ++i) accept(w, i);
  EXPECT_EQ(w.highest(), 299u);
  for (uint64_t i = 0; i < 300; ++i) EXPECT_FALSE(w.check(i)) << i;
  EXPECT_TRUE(w.check(300));
}

TEST(ReplayWindow, OutOfOrderInsideTheWindow) {
  ReplayWindow w;
  accept(w, 200);
  // 200 - 127 is the oldest counter still inside the window.
  for (uint64_t i = 199; i >= 73; --i) accept(w, i);
  EXPECT_FALSE(w.check(72));  // offset 128: too old
  EXPECT_FALSE(w.check(0));
  EXPECT_EQ(w.highest(), 200u);
}

TEST(ReplayWindow, EdgesAfterAJump) {
  ReplayWindow w;
  accept(w, 10);
  accept(w, 10 + 127);  // 10 is now at the oldest slot
  EXPECT_FALSE(w.check(10));
  EXPECT_TRUE(w.check(11));
  accept(w, 10 + 128);  // 10 falls out; 11 is the oldest, unseen
  EXPECT_TRUE(w.check(11));
  EXPECT_FALSE(w.check(10));
  EXPECT_FALSE(w.check(137));
}

TEST(ReplayWindow, ShiftsAcrossTheWordBoundary) {
  ReplayWindow w;
  accept(w, 1000);
  accept(w, 990);
  accept(w, 1000 + 70);  // shift by 70: 1000 -> bit 70, 990 -> bit 80
  EXPECT_FALSE(w.check(1000));
  EXPECT_FALSE(w.check(990));
  EXPECT_TRUE(w.check(995));
  accept(w, 1000 + 70 + 64);  // shift by exactly 64
  EXPECT_FALSE(w.check(1000));
  EXPECT_FALSE(w.check(1070));
  EXPECT_TRUE(w.check(1069));
  EXPECT_FALSE(w.check(990));  // offset 144: too old
}

TEST(ReplayWindow, LargeJumpForgetsEverything) {
  ReplayWindow w;
  for (uint64_t i = 0; i < 10; ++i) accept(w, i);
  accept(w, uint64_t{1} << 63);
  for (uint64_t i = 0; i < 10; ++i) EXPECT_FALSE(w.check(i));
  EXPECT_TRUE(w.check((uint64_t{1} << 63) - 1));
}

TEST(ReplayWindow, TopOfTheCounterSpace) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  ReplayWindow w;
  accept(w, kMax);
  EXPECT_TRUE(w.check(kMax - 127));
  EXPECT_FALSE(w.check(kMax - 128));
  accept(w, kMax - 127);
}

}  // namespace
}  // namespace conclave::sframe
