#include "conclave/rtp/rtcp_header.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

TEST(RtcpHeader, ReadsOnePacketOfACompound) {
  // A PLI (PSFB FMT 1, length 2) followed by another packet.
  const Bytes b = hex("81ce0002" "00000001" "00000002" "80c80000");
  auto v = read_rtcp_packet(b);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->header.padding);
  EXPECT_EQ(v->header.count, 1);
  EXPECT_EQ(v->header.packet_type, 206);
  EXPECT_EQ(v->header.length, 2);
  EXPECT_EQ(v->raw.size(), 12u);
  EXPECT_EQ(to_hex(v->body), "0000000100000002");
}

TEST(RtcpHeader, RemovesPadding) {
  const Bytes b = hex("a0cc0002" "11223344" "aa000002");
  auto v = read_rtcp_packet(b);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->header.padding);
  EXPECT_EQ(to_hex(v->body), "11223344aa00");
  EXPECT_TRUE(read_rtcp_packet(hex("a0cc0001" "11223300")).error().is(Errc::invalid_padding));
  EXPECT_TRUE(read_rtcp_packet(hex("a0cc0001" "11223309")).error().is(Errc::invalid_padding));
  EXPECT_TRUE(read_rtcp_packet(hex("a0cc0000")).error().is(Errc::invalid_padding));
}

TEST(RtcpHeader, RejectsBadInput) {
  EXPECT_TRUE(read_rtcp_packet(hex("80c8")).error().is(Errc::truncated));
  EXPECT_TRUE(read_rtcp_packet(hex("40c80000")).error().is(Errc::invalid_version));
  EXPECT_TRUE(read_rtcp_packet(hex("80c8ffff00000000")).error().is(Errc::truncated));
}

TEST(RtcpHeader, Demultiplexing) {
  EXPECT_TRUE(looks_like_rtcp(hex("80c80006")));
  EXPECT_TRUE(looks_like_rtcp(hex("81cd0003")));
  EXPECT_FALSE(looks_like_rtcp(hex("80600001")));  // RTP PT 96
  EXPECT_FALSE(looks_like_rtcp(hex("80e00001")));  // RTP PT 96 with marker
  EXPECT_FALSE(looks_like_rtcp(hex("00c80006")));
  EXPECT_FALSE(looks_like_rtcp(hex("80c8")));
}

TEST(RtcpHeader, WritesLengthAndPadding) {
  Bytes out;
  size_t s = begin_rtcp_packet(out, 3, RtcpPacketType::bye);
  out.insert(out.end(), {1, 2, 3, 4, 5});
  ASSERT_TRUE(finish_rtcp_packet(out, s).ok());
  EXPECT_EQ(to_hex(out), "a3cb0002" "01020304" "05000003");
  auto v = read_rtcp_packet(out);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(to_hex(v->body), "0102030405");

  Bytes strict = hex("ff");
  s = begin_rtcp_packet(strict, 0, RtcpPacketType::app);
  strict.push_back(1);
  EXPECT_TRUE(finish_rtcp_packet(strict, s, false).error().is(Errc::invalid_argument));
  EXPECT_EQ(strict, hex("ff"));  // cut back

  Bytes big;
  s = begin_rtcp_packet(big, 0, RtcpPacketType::app);
  big.resize(big.size() + 4 * 0x10000);
  EXPECT_TRUE(finish_rtcp_packet(big, s).error().is(Errc::invalid_argument));
  EXPECT_TRUE(big.empty());
}

}  // namespace
}  // namespace conclave::rtp
