#include "conclave/sfu/transport_feedback_generator.h"

#include <gtest/gtest.h>

namespace conclave::sfu {
namespace {

using namespace std::chrono_literals;

TEST(TransportFeedbackGeneratorTest, ReportsArrivalsAndGaps) {
  TransportFeedbackGenerator gen(0xaaaa, 0xbbbb);
  Clock::TimePoint t0 = Clock::TimePoint{} + 10s;
  gen.on_packet(100, t0);
  gen.on_packet(101, t0 + 1ms);
  gen.on_packet(103, t0 + 5ms);  // 102 lost
  auto fbs = gen.build();
  ASSERT_EQ(fbs.size(), 1u);
  const auto& fb = fbs[0];
  EXPECT_EQ(fb.sender_ssrc, 0xaaaau);
  EXPECT_EQ(fb.media_ssrc, 0xbbbbu);
  EXPECT_EQ(fb.base_sequence_number, 100);
  ASSERT_EQ(fb.packets.size(), 4u);
  EXPECT_NE(fb.packets[0].status, rtp::PacketStatusSymbol::not_received);
  EXPECT_EQ(fb.packets[1].delta_ticks, 4);  // 1 ms in 250 us ticks
  EXPECT_EQ(fb.packets[2].status, rtp::PacketStatusSymbol::not_received);
  EXPECT_EQ(fb.packets[3].delta_ticks, 16);
  // Reference time plus the first delta gives the first arrival.
  int64_t first_us = int64_t{fb.reference_time} * rtp::TransportFeedback::kReferenceTimeUnitUs +
                     fb.packets[0].delta_ticks * rtp::TransportFeedback::kDeltaTickUs;
  EXPECT_NEAR(static_cast<double>(first_us), 10'000'000.0, 250.0);
  Bytes wire;
  EXPECT_TRUE(fb.serialize(wire));
  EXPECT_TRUE(gen.build().empty());
}

TEST(TransportFeedbackGeneratorTest, NextFeedbackStartsWhereTheLastEnded) {
  TransportFeedbackGenerator gen(1, 2);
  Clock::TimePoint t0 = Clock::TimePoint{} + 1s;
  gen.on_packet(65534, t0);
  gen.on_packet(65535, t0 + 1ms);
  auto first = gen.build();
  ASSERT_EQ(first.size(), 1u);
  gen.on_packet(1, t0 + 3ms);  // 0 lost across the wrap
  auto second = gen.build();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].base_sequence_number, 0);
  ASSERT_EQ(second[0].packets.size(), 2u);
  EXPECT_EQ(second[0].packets[0].status, rtp::PacketStatusSymbol::not_received);
  EXPECT_EQ(second[0].feedback_packet_count, first[0].feedback_packet_count + 1);
}

TEST(TransportFeedbackGeneratorTest, LargeGapsInTimeSplitTheFeedback) {
  TransportFeedbackGenerator gen(1, 2);
  Clock::TimePoint t0 = Clock::TimePoint{} + 1s;
  gen.on_packet(1, t0);
  gen.on_packet(2, t0 + 20s);  // beyond a two-byte delta
  auto fbs = gen.build();
  ASSERT_EQ(fbs.size(), 2u);
  EXPECT_EQ(fbs[0].base_sequence_number, 1);
  EXPECT_EQ(fbs[1].base_sequence_number, 2);
  for (const auto& fb : fbs) {
    Bytes wire;
    EXPECT_TRUE(fb.serialize(wire));
  }
}

}  // namespace
}  // namespace conclave::sfu
