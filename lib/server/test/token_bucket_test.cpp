#include "conclave/server/token_bucket.h"

#include <gtest/gtest.h>

namespace conclave::server {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, BurstThenRefillAtTheRate) {
  FakeClock clock;
  TokenBucket b(3, 6, clock.now());  // 3 tokens, one every 10 s
  EXPECT_TRUE(b.try_take(clock.now()));
  EXPECT_TRUE(b.try_take(clock.now()));
  EXPECT_TRUE(b.try_take(clock.now()));
  EXPECT_FALSE(b.try_take(clock.now()));
  EXPECT_EQ(b.wait_ms(clock.now()), 10000);
  clock.advance(9s);
  EXPECT_FALSE(b.has_token(clock.now()));
  EXPECT_EQ(b.wait_ms(clock.now()), 1000);
  clock.advance(1s);
  EXPECT_TRUE(b.try_take(clock.now()));
  EXPECT_FALSE(b.try_take(clock.now()));
}

TEST(TokenBucket, NeverExceedsCapacity) {
  FakeClock clock;
  TokenBucket b(2, 60, clock.now());
  clock.advance(1h);
  EXPECT_TRUE(b.full(clock.now()));
  EXPECT_TRUE(b.try_take(clock.now()));
  EXPECT_TRUE(b.try_take(clock.now()));
  EXPECT_FALSE(b.try_take(clock.now()));
  EXPECT_FALSE(b.full(clock.now()));
}

}  // namespace
}  // namespace conclave::server
