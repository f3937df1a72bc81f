#include "conclave/client/latency_window.h"

#include <gtest/gtest.h>

#include <chrono>

namespace conclave::client {
namespace {

using std::chrono::milliseconds;

TEST(LatencyWindow, EmptyIsZero) {
  LatencyWindow w;
  EXPECT_EQ(w.count(), 0u);
  EXPECT_EQ(w.mean(), Clock::Duration{0});
  EXPECT_EQ(w.max(), Clock::Duration{0});
  EXPECT_EQ(w.percentile(50), Clock::Duration{0});
}

TEST(LatencyWindow, MeanMaxAndNearestRankPercentiles) {
  LatencyWindow w;
  for (int i = 1; i <= 100; ++i) w.add(milliseconds(i));
  EXPECT_EQ(w.count(), 100u);
  EXPECT_EQ(w.mean(), std::chrono::microseconds(50500));
  EXPECT_EQ(w.max(), milliseconds(100));
  EXPECT_EQ(w.percentile(50), milliseconds(50));
  EXPECT_EQ(w.percentile(99), milliseconds(99));
  EXPECT_EQ(w.percentile(100), milliseconds(100));
  EXPECT_EQ(w.percentile(0), milliseconds(1));
}

TEST(LatencyWindow, PercentilesCoverOnlyTheWindowButMeanAndMaxEverything) {
  LatencyWindow w(4);
  w.add(milliseconds(1000));
  for (int i = 0; i < 4; ++i) w.add(milliseconds(10));
  EXPECT_EQ(w.count(), 5u);
  EXPECT_EQ(w.max(), milliseconds(1000));
  EXPECT_EQ(w.mean(), milliseconds(208));
  // The 1000 ms sample has left the window.
  EXPECT_EQ(w.percentile(100), milliseconds(10));
  w.add(milliseconds(20));
  EXPECT_EQ(w.percentile(100), milliseconds(20));
  EXPECT_EQ(w.percentile(50), milliseconds(10));
}

}  // namespace
}  // namespace conclave::client
