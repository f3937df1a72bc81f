#include "conclave/rtp/receiver_report.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

Result<ReceiverReport> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return ReceiverReport::parse(v.header, v.body);
}

TEST(ReceiverReport, KnownBytesEmptyAndWithBlocks) {
  auto empty = parse(hex("80c90001" "00000007"));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->sender_ssrc, 7u);
  EXPECT_TRUE(empty->report_blocks.empty());

  ReceiverReport rr;
  rr.sender_ssrc = 0x11;
  for (uint32_t i = 0; i < 31; ++i) {
    ReportBlock b;
    b.ssrc = i;
    b.cumulative_lost = -static_cast<int32_t>(i);
    b.jitter = i * 3;
    rr.report_blocks.push_back(b);
  }
  Bytes out;
  ASSERT_TRUE(rr.serialize(out).ok());
  EXPECT_EQ(out[0], 0x80 | 31);
  EXPECT_EQ(out.size(), 8u + 31 * 24);
  EXPECT_EQ(parse(out).value(), rr);
  Bytes one;
  rr.report_blocks.resize(1);
  ASSERT_TRUE(rr.serialize(one).ok());
  EXPECT_EQ(to_hex(one), "81c90007" "00000011" "00000000" "00000000" "00000000" "00000000"
                         "00000000" "00000000");
}

TEST(ReceiverReport, TruncatedBodies) {
  EXPECT_TRUE(parse(hex("80c90000")).error().is(Errc::truncated));
  EXPECT_TRUE(parse(hex("81c90001" "00000007")).error().is(Errc::truncated));
}

}  // namespace
}  // namespace conclave::rtp
