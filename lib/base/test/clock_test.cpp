#include "conclave/base/clock.h"

#include <gtest/gtest.h>

namespace conclave {
namespace {

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock;
  auto t0 = clock.now();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.now() - t0, std::chrono::microseconds(1'500'000));
}

TEST(SteadyClock, IsMonotonic) {
  SteadyClock clock;
  auto a = clock.now();
  auto b = clock.now();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace conclave
