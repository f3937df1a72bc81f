#include "conclave/rtp/report_block.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

const char* kBlock = "01020304" "40fffffe" "00010005" "00000010" "aabbccdd" "00008000";

TEST(ReportBlock, KnownBytes) {
  auto b = ReportBlock::parse(from_hex(kBlock).value());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->ssrc, 0x01020304u);
  EXPECT_EQ(b->fraction_lost, 0x40);  // 25%
  EXPECT_EQ(b->cumulative_lost, -2);
  EXPECT_EQ(b->extended_highest_sequence, 0x00010005u);  // one wrap, seq 5
  EXPECT_EQ(b->jitter, 16u);
  EXPECT_EQ(b->last_sr, 0xaabbccddu);
  EXPECT_EQ(b->delay_since_last_sr, 0x8000u);  // 0.5 s
  Bytes out;
  ASSERT_TRUE(b->serialize(out).ok());
  EXPECT_EQ(to_hex(out), kBlock);
}

TEST(ReportBlock, CumulativeLostRange) {
  for (int32_t lost : {0, 1, -1, ReportBlock::kMaxCumulativeLost, ReportBlock::kMinCumulativeLost}) {
    ReportBlock b;
    b.cumulative_lost = lost;
    Bytes out;
    ASSERT_TRUE(b.serialize(out).ok());
    EXPECT_EQ(ReportBlock::parse(out)->cumulative_lost, lost);
  }
  ReportBlock b;
  Bytes out;
  b.cumulative_lost = ReportBlock::kMaxCumulativeLost + 1;
  EXPECT_TRUE(b.serialize(out).error().is(Errc::invalid_argument));
  b.cumulative_lost = ReportBlock::kMinCumulativeLost - 1;
  EXPECT_TRUE(b.serialize(out).error().is(Errc::invalid_argument));
}

TEST(ReportBlock, Truncated) {
  const Bytes full = from_hex(kBlock).value();
  for (size_t n = 0; n < full.size(); ++n) {
    EXPECT_TRUE(ReportBlock::parse(BytesView(full).first(n)).error().is(Errc::truncated));
  }
}

}  // namespace
}  // namespace conclave::rtp
