#include "conclave/crypto/random.h"

#include <gtest/gtest.h>

#include <set>

namespace conclave::crypto {
namespace {

TEST(Random, SizesAndVariety) {
  EXPECT_TRUE(random_bytes(0).empty());
  Bytes a = random_bytes(64);
  Bytes b = random_bytes(64);
  ASSERT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  // 4096 random bytes use (almost surely) more than half the byte values.
  Bytes big = random_bytes(4096);
  std::set<uint8_t> values(big.begin(), big.end());
  EXPECT_GT(values.size(), 128u);
}

TEST(Random, FillsOnlyTheView) {
  Bytes buf(48, 0xaa);
  random_bytes(MutableBytesView(buf).subspan(8, 32));
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(buf[i], 0xaa);
  for (size_t i = 40; i < 48; ++i) EXPECT_EQ(buf[i], 0xaa);
  random_bytes(MutableBytesView());
}

TEST(RandomTest, RandomUintCoversTheWholeWidth) {
  // 64 draws: every bit position is set in some draw and clear in another
  // (failing by chance has probability about 64 * 2^-63).
  uint64_t any = 0, all = ~uint64_t{0};
  for (int i = 0; i < 64; ++i) {
    uint64_t v = random_uint<uint64_t>();
    any |= v;
    all &= v;
  }
  EXPECT_EQ(any, ~uint64_t{0});
  EXPECT_EQ(all, 0u);
  uint16_t any16 = 0;
  for (int i = 0; i < 64; ++i) any16 = static_cast<uint16_t>(any16 | random_uint<uint16_t>());
  EXPECT_EQ(any16, 0xffff);
}

}  // namespace
}  // namespace conclave::crypto
