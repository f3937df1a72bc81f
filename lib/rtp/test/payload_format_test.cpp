#include "conclave/rtp/payload_format.h"

#include <gtest/gtest.h>

#include <numeric>
#include <set>
#include <string>

namespace conclave::rtp {
namespace {

TEST(PayloadFormat, BalancedSplit) {
  EXPECT_EQ(balanced_split(10, 4), (std::vector<size_t>{4, 3, 3}));
  EXPECT_EQ(balanced_split(8, 4), (std::vector<size_t>{4, 4}));
  EXPECT_EQ(balanced_split(1, 100), (std::vector<size_t>{1}));
  EXPECT_TRUE(balanced_split(0, 100).empty());
  for (size_t size = 1; size < 300; size += 7) {
    for (size_t cap = 1; cap < 50; cap += 3) {
      const auto s = balanced_split(size, cap);
      EXPECT_EQ(std::accumulate(s.begin(), s.end(), size_t{0}), size);
      EXPECT_EQ(s.size(), (size + cap - 1) / cap);
      for (size_t x : s) EXPECT_LE(x, cap);
      EXPECT_LE(s.front() - s.back(), 1u);
    }
  }
}

TEST(PayloadFormat, DropCountersAndNames) {
  DropCounters c;
  std::set<std::string> names;
  for (size_t i = 0; i < kDropReasonCount; ++i) {
    const auto r = static_cast<DropReason>(i);
    for (size_t k = 0; k <= i; ++k) c.add(r);
    names.insert(std::string(drop_reason_name(r)));
  }
  EXPECT_EQ(names.size(), kDropReasonCount);
  EXPECT_EQ(names.count("unknown"), 0u);
  EXPECT_EQ(c.count(DropReason::malformed_payload), 1u);
  EXPECT_EQ(c.count(DropReason::frame_too_large), kDropReasonCount);
  EXPECT_EQ(c.total(), kDropReasonCount * (kDropReasonCount + 1) / 2);
}

}  // namespace
}  // namespace conclave::rtp
