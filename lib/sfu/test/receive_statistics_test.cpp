#include "conclave/sfu/receive_statistics.h"

#include <gtest/gtest.h>

namespace conclave::sfu {
namespace {

using namespace std::chrono_literals;

TEST(ReceiveStatisticsTest, CountsLossAndHighestSequence) {
  ReceiveStatistics stats(0x1234, 90000);
  Clock::TimePoint t{};
  EXPECT_FALSE(stats.report_block(t));
  for (uint16_t s = 65530; s != 10; ++s) {
    if (s == 65534 || s == 2 || s == 3) continue;  // three lost
    stats.on_packet(s, 1000, t);
  }
  auto block = stats.report_block(t);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ssrc, 0x1234u);
  EXPECT_EQ(block->cumulative_lost, 3);
  EXPECT_EQ(block->extended_highest_sequence, 65536u + 9u);
  // 3 of 16 expected: 3 * 256 / 16 = 48.
  EXPECT_EQ(block->fraction_lost, 48);
  // Next interval: no loss.
  for (uint16_t s = 10; s < 20; ++s) stats.on_packet(s, 1000, t);
  block = stats.report_block(t);
  EXPECT_EQ(block->fraction_lost, 0);
  EXPECT_EQ(block->cumulative_lost, 3);
}

TEST(ReceiveStatisticsTest, JitterFollowsArrivalVariation) {
  ReceiveStatistics steady(1, 90000), shaky(2, 90000);
  Clock::TimePoint t{};
  for (uint32_t i = 0; i < 200; ++i) {
    uint32_t ts = i * 3000;  // 30 fps
    steady.on_packet(static_cast<uint16_t>(i), ts, t + i * 33333us);
    shaky.on_packet(static_cast<uint16_t>(i), ts, t + i * 33333us + (i % 2 ? 10ms : 0ms));
  }
  EXPECT_LT(steady.jitter(), 5u);
  // 10 ms of alternating delay is 900 ticks of D each packet: J tends to 900.
  EXPECT_GT(shaky.jitter(), 800u);
  EXPECT_LT(shaky.jitter(), 1000u);
}

TEST(ReceiveStatisticsTest, ReportsLastSenderReportAndDelay) {
  ReceiveStatistics stats(1, 48000);
  Clock::TimePoint t{};
  stats.on_packet(1, 0, t);
  stats.on_sender_report(0x0011223344556677ull, t);
  auto block = stats.report_block(t + 500ms);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->last_sr, 0x22334455u);
  EXPECT_EQ(block->delay_since_last_sr, 32768u);  // 0.5 s in 1/65536 s
}

}  // namespace
}  // namespace conclave::sfu
