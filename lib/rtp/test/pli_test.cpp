#include "conclave/rtp/pli.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

TEST(Pli, KnownBytes) {
  const Bytes b = from_hex("81ce0002" "0000000a" "0000000b").value();
  auto v = read_rtcp_packet(b);
  ASSERT_TRUE(v.ok());
  auto p = Pli::parse(v->header, v->body);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->sender_ssrc, 10u);
  EXPECT_EQ(p->media_ssrc, 11u);
  Bytes out;
  ASSERT_TRUE(p->serialize(out).ok());
  EXPECT_EQ(out, b);
}

TEST(Pli, Truncated) {
  const Bytes b = from_hex("81ce0001" "0000000a").value();
  auto v = read_rtcp_packet(b);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(Pli::parse(v->header, v->body).error().is(Errc::truncated));
}

}  // namespace
}  // namespace conclave::rtp
