#include "conclave/rtp/bye.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

Result<Bye> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return Bye::parse(v.header, v.body);
}

TEST(Bye, KnownBytes) {
  // Two sources and the reason "bye" (03 62 79 65).
  const char* k = "82cb0003" "00000001" "00000002" "03627965";
  auto b = parse(hex(k));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->ssrcs, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(b->reason, "bye");
  Bytes out;
  ASSERT_TRUE(b->serialize(out).ok());
  EXPECT_EQ(to_hex(out), k);
}

TEST(Bye, RoundTrips) {
  for (const Bye& bye : {Bye{{}, std::nullopt}, Bye{{5}, std::nullopt}, Bye{{5, 6, 7}, ""},
                         Bye{{9}, std::string(255, 'r')}, Bye{{9}, "ab"}}) {
    Bytes out;
    ASSERT_TRUE(bye.serialize(out).ok());
    EXPECT_EQ(parse(out).value(), bye);
  }
}

TEST(Bye, RejectsBadInput) {
  EXPECT_TRUE(parse(hex("82cb0001" "00000001")).error().is(Errc::truncated));
  EXPECT_TRUE(parse(hex("81cb0002" "00000001" "05627965")).error().is(Errc::truncated));
  Bytes out;
  EXPECT_FALSE((Bye{std::vector<uint32_t>(32, 1), std::nullopt}.serialize(out).ok()));
  EXPECT_FALSE((Bye{{}, std::string(256, 'x')}.serialize(out).ok()));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace conclave::rtp
