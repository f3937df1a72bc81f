#include "conclave/sdp/group.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(Group, ParsesBundle) {
  auto g = Group::parse("BUNDLE 0 1 2");
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(g->is_bundle());
  EXPECT_EQ(g->mids, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_TRUE(g->contains("1"));
  EXPECT_FALSE(g->contains("3"));
  EXPECT_EQ(g->serialize(), "BUNDLE 0 1 2");
  auto empty = Group::parse("bundle");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_bundle());
  EXPECT_TRUE(empty->mids.empty());
  EXPECT_FALSE(Group::parse("LS a b")->is_bundle());
}

TEST(Group, RejectsMalformed) {
  for (const char* bad : {"", "BUN:DLE 0", "BUNDLE 0 0", "BUNDLE a:b"}) {
    auto r = Group::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_group)) << bad;
  }
}

}  // namespace
}  // namespace conclave::sdp
