#include "conclave/server/rate_limiter.h"

#include <gtest/gtest.h>

namespace conclave::server {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, KeysAreIndependent) {
  FakeClock clock;
  RateLimiter r(clock, {2, 1});
  EXPECT_TRUE(r.try_acquire("a"));
  EXPECT_TRUE(r.try_acquire("a"));
  EXPECT_FALSE(r.try_acquire("a"));
  EXPECT_FALSE(r.allowed("a"));
  EXPECT_TRUE(r.allowed("b"));
  EXPECT_EQ(r.retry_after_ms("a"), 60000);
  clock.advance(60s);
  EXPECT_TRUE(r.allowed("a"));
}

TEST(RateLimiter, ChargeOnlyFailures) {
  FakeClock clock;
  RateLimiter r(clock, {3, 1});
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(r.allowed("x"));  // checking is free
  r.charge("x");
  r.charge("x");
  EXPECT_TRUE(r.allowed("x"));
  r.charge("x");
  EXPECT_FALSE(r.allowed("x"));
}

TEST(RateLimiter, BoundedMemoryForgetsFullBucketsThenFailsClosed) {
  FakeClock clock;
  RateLimiter r(clock, {1, 60}, 3);
  r.charge("a");
  r.charge("b");
  r.charge("c");
  EXPECT_EQ(r.tracked_keys(), 3U);
  // All three are empty: a fourth key cannot be tracked, so it is refused.
  EXPECT_FALSE(r.allowed("d"));
  EXPECT_FALSE(r.try_acquire("d"));
  EXPECT_GT(r.retry_after_ms("d"), 0);
  // Once they refill they are forgotten and new keys fit again.
  clock.advance(2s);
  EXPECT_TRUE(r.allowed("d"));
  EXPECT_LE(r.tracked_keys(), 3U);
}

}  // namespace
}  // namespace conclave::server
