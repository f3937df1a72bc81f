#include "conclave/rtp/generic_nack.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

Result<GenericNack> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return GenericNack::parse(v.header, v.body);
}

// PID=100 (0x0064) BLP=0x0005: 100, 101, 103.
const char* kNack = "81cd0003" "00000001" "00000002" "00640005";

TEST(GenericNack, KnownBytes) {
  auto n = parse(hex(kNack));
  ASSERT_TRUE(n.ok()) << n.error().to_string();
  EXPECT_EQ(n->sender_ssrc, 1u);
  EXPECT_EQ(n->media_ssrc, 2u);
  EXPECT_EQ(n->lost, (std::vector<uint16_t>{100, 101, 103}));
  Bytes out;
  ASSERT_TRUE(n->serialize(out).ok());
  EXPECT_EQ(to_hex(out), kNack);
}

TEST(GenericNack, CompressesSortedListsAcrossTheWrap) {
  GenericNack n{1, 2, {65534, 65535, 0, 14, 15, 16}};
  // 65534 with bits for +1 (65535), +2 (0), +16 (14); then 15 with +1 (16).
  Bytes out;
  ASSERT_TRUE(n.serialize(out).ok());
  EXPECT_EQ(to_hex(out), "81cd0004" "00000001" "00000002" "fffe8003" "000f0001");
  EXPECT_EQ(parse(out).value(), n);
}

TEST(GenericNack, KeepsAnyOrderAndDuplicates) {
  for (const std::vector<uint16_t>& lost :
       {std::vector<uint16_t>{100, 50}, {100, 100}, {100, 105, 103}, {7}, {0, 17, 16, 1}}) {
    GenericNack n{3, 4, lost};
    Bytes out;
    ASSERT_TRUE(n.serialize(out).ok());
    EXPECT_EQ(parse(out)->lost, lost);
  }
}

TEST(GenericNack, RejectsBadLengths) {
  EXPECT_TRUE(parse(hex("81cd0002" "00000001" "00000002")).error().is(Errc::invalid_length));
  EXPECT_TRUE(parse(hex("81cd0001" "00000001")).error().is(Errc::truncated));
  // A partial FCI left after removing padding.
  EXPECT_TRUE(
      parse(hex("a1cd0003" "00000001" "00000002" "00640002")).error().is(Errc::invalid_length));
  Bytes out;
  EXPECT_TRUE(GenericNack{}.serialize(out).error().is(Errc::invalid_argument));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace conclave::rtp
