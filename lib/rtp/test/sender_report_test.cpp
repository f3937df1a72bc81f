#include "conclave/rtp/sender_report.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

// SR with one report block: RC=1, length 12 (13 words).
const char* kSr = "81c8000c" "00000001" "e0000000" "80000000" "00001000" "0000000a" "00000400"
                  "01020304" "40fffffe" "00010005" "00000010" "aabbccdd" "00008000";

Result<SenderReport> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return SenderReport::parse(v.header, v.body);
}

TEST(SenderReport, KnownBytes) {
  auto sr = parse(hex(kSr));
  ASSERT_TRUE(sr.ok()) << sr.error().to_string();
  EXPECT_EQ(sr->sender_ssrc, 1u);
  EXPECT_EQ(sr->ntp_timestamp, 0xe000000080000000u);
  EXPECT_EQ(sr->rtp_timestamp, 0x1000u);
  EXPECT_EQ(sr->packet_count, 10u);
  EXPECT_EQ(sr->octet_count, 1024u);
  ASSERT_EQ(sr->report_blocks.size(), 1u);
  EXPECT_EQ(sr->report_blocks[0].ssrc, 0x01020304u);
  Bytes out;
  ASSERT_TRUE(sr->serialize(out).ok());
  EXPECT_EQ(to_hex(out), kSr);
}

TEST(SenderReport, IgnoresProfileExtensions) {
  auto sr = parse(hex("80c80007" "00000001" "00000000" "00000000" "00000000" "00000000" "00000000"
                      "deadbeef"));
  ASSERT_TRUE(sr.ok());
  EXPECT_TRUE(sr->report_blocks.empty());
}

TEST(SenderReport, RejectsCountsBeyondTheBody) {
  // RC=2 but room for one block.
  Bytes b = hex(kSr);
  b[0] = 0x82;
  EXPECT_TRUE(parse(b).error().is(Errc::truncated));
  SenderReport sr;
  sr.report_blocks.resize(32);
  Bytes out;
  EXPECT_TRUE(sr.serialize(out).error().is(Errc::invalid_argument));
  EXPECT_TRUE(out.empty());
  sr.report_blocks.resize(1);
  sr.report_blocks[0].cumulative_lost = 1 << 24;
  EXPECT_FALSE(sr.serialize(out).ok());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace conclave::rtp
