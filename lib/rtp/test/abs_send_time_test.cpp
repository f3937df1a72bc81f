#include "conclave/rtp/abs_send_time.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace conclave::rtp {
namespace {

TEST(AbsSendTime, FixedPointConversion) {
  EXPECT_EQ(AbsSendTime::from_microseconds(0), 0u);
  EXPECT_EQ(AbsSendTime::from_microseconds(1'000'000), 1u << 18);  // 1 s
  EXPECT_EQ(AbsSendTime::from_microseconds(500'000), 1u << 17);
  EXPECT_EQ(AbsSendTime::from_microseconds(64'000'000), 0u);  // wraps every 64 s
  EXPECT_EQ(AbsSendTime::from_microseconds(65'000'000), 1u << 18);
  EXPECT_EQ(AbsSendTime::to_microseconds(1u << 18), 1'000'000u);
  for (uint64_t us : {1234u, 999'999u, 33'333'333u, 63'999'999u}) {
    // Compared modulo the 64-s period: 63.999999 s rounds up to the wrap.
    const uint64_t back = AbsSendTime::to_microseconds(AbsSendTime::from_microseconds(us));
    const uint64_t d = (back + 64'000'000 - us) % 64'000'000;
    EXPECT_LE(std::min(d, 64'000'000 - d), 4u) << us;
  }
}

TEST(AbsSendTime, Wire) {
  EXPECT_EQ(AbsSendTime::serialize(0x123456), (Bytes{0x12, 0x34, 0x56}));
  EXPECT_EQ(AbsSendTime::serialize(0xff123456), (Bytes{0x12, 0x34, 0x56}));
  EXPECT_EQ(AbsSendTime::parse(Bytes{0xab, 0xcd, 0xef}).value(), 0xabcdefu);
  EXPECT_TRUE(AbsSendTime::parse(Bytes{1, 2}).error().is(Errc::invalid_length));
  EXPECT_TRUE(AbsSendTime::parse(Bytes{1, 2, 3, 4}).error().is(Errc::invalid_length));
}

}  // namespace
}  // namespace conclave::rtp
