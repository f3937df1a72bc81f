#include "conclave/base/secret_bytes.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace conclave {
namespace {

TEST(SecretBytes, HoldsAndComparesInConstantTimeHelper) {
  SecretBytes a(Bytes{1, 2, 3});
  SecretBytes b(Bytes{1, 2, 3});
  SecretBytes c(Bytes{1, 2, 4});
  SecretBytes d(Bytes{1, 2});
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
  EXPECT_FALSE(a == d);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a.reveal_copy(), (Bytes{1, 2, 3}));
}

TEST(SecretBytes, MoveLeavesSourceEmpty) {
  SecretBytes a(Bytes{9, 9});
  SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.size(), 2u);
  SecretBytes c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.reveal_copy(), (Bytes{9, 9}));
}

TEST(SecretBytes, AdoptTakesBuffer) {
  Bytes raw{5, 6, 7};
  SecretBytes s = SecretBytes::adopt(std::move(raw));
  EXPECT_EQ(s.size(), 3u);
}

TEST(SecretBytes, SecureWipeZeroes) {
  Bytes buf{1, 2, 3, 4};
  secure_wipe(buf);
  EXPECT_EQ(buf, (Bytes{0, 0, 0, 0}));
}

TEST(SecretBytes, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal(Bytes{}, Bytes{}));
  EXPECT_TRUE(constant_time_equal(Bytes{0xff, 0}, Bytes{0xff, 0}));
  EXPECT_FALSE(constant_time_equal(Bytes{0xff, 0}, Bytes{0xff, 1}));
  EXPECT_FALSE(constant_time_equal(Bytes{0x80}, Bytes{0x00}));
  EXPECT_FALSE(constant_time_equal(Bytes{1}, Bytes{1, 1}));
}

// A secret must not convert to Bytes or a view by accident.
static_assert(!std::is_convertible_v<SecretBytes, Bytes>);
static_assert(!std::is_convertible_v<SecretBytes, BytesView>);

}  // namespace
}  // namespace conclave
