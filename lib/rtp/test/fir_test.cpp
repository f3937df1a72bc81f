#include "conclave/rtp/fir.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Result<Fir> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return Fir::parse(v.header, v.body);
}

TEST(Fir, KnownBytes) {
  const Bytes b =
      from_hex("84ce0006" "00000001" "00000000" "0000abcd" "07000000" "0000abce" "08000000").value();
  auto f = parse(b);
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_EQ(f->sender_ssrc, 1u);
  ASSERT_EQ(f->entries.size(), 2u);
  EXPECT_EQ(f->entries[0], (FirEntry{0xabcd, 7}));
  EXPECT_EQ(f->entries[1], (FirEntry{0xabce, 8}));
  Bytes out;
  ASSERT_TRUE(f->serialize(out).ok());
  EXPECT_EQ(out, b);
}

TEST(Fir, RejectsBadLengths) {
  EXPECT_TRUE(parse(from_hex("84ce0002" "00000001" "00000000").value())
                  .error()
                  .is(Errc::invalid_length));
  EXPECT_TRUE(parse(from_hex("84ce0003" "00000001" "00000000" "0000abcd").value())
                  .error()
                  .is(Errc::invalid_length));
  Bytes out;
  EXPECT_TRUE(Fir{}.serialize(out).error().is(Errc::invalid_argument));
}

}  // namespace
}  // namespace conclave::rtp
