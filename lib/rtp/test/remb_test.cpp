#include "conclave/rtp/remb.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

Result<Remb> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return Remb::parse(v.header, v.body);
}

// 1,000,000 bps needs 20 bits, so exp 2 and mantissa 250000 = 0x3d090:
// exp|mantissa = 0x0bd090.
const char* kRemb = "8fce0005" "00000001" "00000000" "52454d42" "010bd090" "0000abcd";

TEST(Remb, KnownBytes) {
  auto r = parse(hex(kRemb));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->bitrate_bps, 1'000'000u);
  EXPECT_EQ(r->ssrcs, std::vector<uint32_t>{0xabcd});
  Bytes out;
  ASSERT_TRUE(r->serialize(out).ok());
  EXPECT_EQ(to_hex(out), kRemb);
}

TEST(Remb, EncodesWithTheSmallestExponent) {
  for (uint64_t bps : {uint64_t{0}, uint64_t{1}, uint64_t{262143}, uint64_t{262144},
                       uint64_t{300} << 20, uint64_t{0x3ffff} << 46}) {
    Remb r{1, 0, bps, {}};
    Bytes out;
    ASSERT_TRUE(r.serialize(out).ok());
    auto back = parse(out);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->bitrate_bps, bps);  // all of these are exact
  }
  // Rounded down when the low bits do not fit.
  Remb r{1, 0, (uint64_t{1} << 20) + 1, {}};
  Bytes out;
  ASSERT_TRUE(r.serialize(out).ok());
  EXPECT_EQ(parse(out)->bitrate_bps, uint64_t{1} << 20);
}

TEST(Remb, RejectsHostileInput) {
  // Not the REMB identifier.
  EXPECT_TRUE(parse(hex("8fce0005" "00000001" "00000000" "58585858" "010bd090" "0000abcd"))
                  .error()
                  .is(Errc::invalid_value));
  // Num SSRC 2 with one present.
  EXPECT_TRUE(parse(hex("8fce0005" "00000001" "00000000" "52454d42" "020bd090" "0000abcd"))
                  .error()
                  .is(Errc::truncated));
  // exp 63 with a large mantissa overflows 64 bits.
  EXPECT_TRUE(parse(hex("8fce0004" "00000001" "00000000" "52454d42" "00ffffff"))
                  .error()
                  .is(Errc::invalid_value));
  EXPECT_TRUE(parse(hex("8fce0003" "00000001" "00000000" "52454d42")).error().is(Errc::truncated));
}

}  // namespace
}  // namespace conclave::rtp
