#include "conclave/rtp/frame_assembler.h"

#include <gtest/gtest.h>

namespace conclave::rtp {
namespace {

const Bytes kA{1, 2};
const Bytes kB{3};
const Bytes kC{4, 5, 6};

TEST(FrameAssembler, AssemblesAcrossTheSequenceWrap) {
  FrameAssembler a;
  EXPECT_FALSE(a.push(65534, 90, true, false, kA, true).frame.has_value());
  EXPECT_TRUE(a.in_progress());
  EXPECT_FALSE(a.push(65535, 90, false, false, kB, false).frame.has_value());
  auto r = a.push(0, 90, false, true, kC, false);
  ASSERT_TRUE(r.frame.has_value());
  EXPECT_FALSE(r.dropped.has_value());
  EXPECT_EQ(r.frame->data, (Bytes{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(r.frame->timestamp, 90u);
  EXPECT_EQ(r.frame->first_sequence_number, 65534);
  EXPECT_EQ(r.frame->last_sequence_number, 0);
  EXPECT_TRUE(r.frame->key_frame);
  EXPECT_FALSE(a.in_progress());
  // A single-packet frame.
  auto s = a.push(1, 180, true, true, kB, false);
  ASSERT_TRUE(s.frame.has_value());
  EXPECT_EQ(s.frame->data, kB);
  EXPECT_EQ(a.drops().total(), 0u);
}

TEST(FrameAssembler, DropsWithReasons) {
  FrameAssembler a;
  // Continuation without a start.
  EXPECT_EQ(a.push(10, 0, false, true, kA, false).dropped, DropReason::missing_start);
  // Gap inside a frame: 11 starts, 13 continues.
  EXPECT_FALSE(a.push(11, 1, true, false, kA, false).dropped.has_value());
  EXPECT_EQ(a.push(13, 1, false, true, kA, false).dropped, DropReason::sequence_gap);
  EXPECT_FALSE(a.in_progress());
  // Timestamp of another frame.
  a.push(14, 2, true, false, kA, false);
  EXPECT_EQ(a.push(15, 3, false, true, kA, false).dropped, DropReason::timestamp_mismatch);
  // A new frame before the current one ended: both reported in one result.
  a.push(16, 4, true, false, kA, false);
  auto r = a.push(17, 5, true, true, kB, false);
  EXPECT_EQ(r.dropped, DropReason::incomplete_frame);
  ASSERT_TRUE(r.frame.has_value());
  EXPECT_EQ(r.frame->data, kB);
  // Late and duplicate packets change nothing.
  a.push(18, 6, true, false, kA, false);
  EXPECT_EQ(a.push(18, 6, false, false, kA, false).dropped, DropReason::late_packet);
  EXPECT_EQ(a.push(3, 6, false, false, kA, false).dropped, DropReason::late_packet);
  auto done = a.push(19, 6, false, true, kC, false);
  ASSERT_TRUE(done.frame.has_value());
  EXPECT_EQ(done.frame->data, (Bytes{1, 2, 4, 5, 6}));
  // A rejected packet drops the frame in progress.
  a.push(20, 7, true, false, kA, false);
  EXPECT_EQ(a.reject(21, DropReason::malformed_payload).dropped, DropReason::malformed_payload);
  EXPECT_FALSE(a.in_progress());
  EXPECT_EQ(a.push(22, 7, false, true, kA, false).dropped, DropReason::missing_start);

  const auto& d = a.drops();
  EXPECT_EQ(d.count(DropReason::missing_start), 2u);
  EXPECT_EQ(d.count(DropReason::sequence_gap), 1u);
  EXPECT_EQ(d.count(DropReason::timestamp_mismatch), 1u);
  EXPECT_EQ(d.count(DropReason::incomplete_frame), 1u);
  EXPECT_EQ(d.count(DropReason::late_packet), 2u);
  EXPECT_EQ(d.count(DropReason::malformed_payload), 1u);
}

TEST(FrameAssembler, LimitsTheFrameSize) {
  FrameAssembler a(4);
  a.push(1, 0, true, false, kC, false);
  EXPECT_EQ(a.push(2, 0, false, true, kA, false).dropped, DropReason::frame_too_large);
  EXPECT_FALSE(a.in_progress());
  auto ok = a.push(3, 1, true, true, Bytes{1, 2, 3, 4}, false);
  EXPECT_TRUE(ok.frame.has_value());
  EXPECT_EQ(a.drops().count(DropReason::frame_too_large), 1u);
}

}  // namespace
}  // namespace conclave::rtp
