#include "conclave/rtp/sdes.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

Result<Sdes> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return Sdes::parse(v.header, v.body);
}

// One chunk: SSRC 0x1234, CNAME "abc" (1 03 'a' 'b' 'c'), null, no pad
// needed after 4 + 5 + 1 = 10 -> pad to 12.
const char* kOne = "81ca0003" "00001234" "0103616263" "000000";

TEST(Sdes, KnownCname) {
  auto s = parse(hex(kOne));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  ASSERT_EQ(s->chunks.size(), 1u);
  EXPECT_EQ(s->chunks[0].ssrc, 0x1234u);
  EXPECT_EQ(s->chunks[0].cname(), "abc");
  Bytes out;
  ASSERT_TRUE(s->serialize(out).ok());
  EXPECT_EQ(to_hex(out), kOne);
}

TEST(Sdes, SeveralChunksAndItems) {
  Sdes s;
  s.chunks.push_back({1, {{1, "user@host"}, {6, "conclave"}, {8, std::string(255, 'x')}}});
  s.chunks.push_back({2, {}});
  s.chunks.push_back({3, {{2, ""}}});
  Bytes out;
  ASSERT_TRUE(s.serialize(out).ok());
  EXPECT_EQ(out.size() % 4, 0u);
  auto back = parse(out);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, s);
  EXPECT_EQ(back->chunks[0].cname(), "user@host");
  EXPECT_FALSE(back->chunks[1].cname().has_value());
}

TEST(Sdes, RejectsTruncation) {
  const Bytes full = hex(kOne);
  Bytes b = full;
  // Shorten the packet one word at a time, keeping the header honest.
  for (uint16_t words = 0; words < 3; ++words) {
    Bytes cut(full.begin(), full.begin() + 4 * (words + 1));
    cut[3] = static_cast<uint8_t>(words);
    EXPECT_TRUE(parse(cut).error().is(Errc::truncated)) << words;
  }
  // Item length running past the end.
  EXPECT_TRUE(parse(hex("81ca0002" "00001234" "01ff6162")).error().is(Errc::truncated));
}

TEST(Sdes, RejectsUnencodableInput) {
  Bytes out;
  Sdes s;
  s.chunks.push_back({1, {{0, "x"}}});
  EXPECT_TRUE(s.serialize(out).error().is(Errc::invalid_argument));
  s.chunks[0].items[0] = {1, std::string(256, 'x')};
  EXPECT_TRUE(s.serialize(out).error().is(Errc::invalid_argument));
  Sdes many;
  many.chunks.resize(32);
  EXPECT_TRUE(many.serialize(out).error().is(Errc::invalid_argument));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace conclave::rtp
