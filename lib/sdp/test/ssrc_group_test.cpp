#include "conclave/sdp/ssrc_group.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::sdp {
namespace {

TEST(SsrcGroup, ParsesFid) {
  auto g = SsrcGroup::parse("FID 2231627014 632943048");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->semantics, "FID");
  EXPECT_EQ(g->ssrcs, (std::vector<uint32_t>{2231627014u, 632943048u}));
  EXPECT_EQ(g->serialize(), "FID 2231627014 632943048");
}

TEST(SsrcGroup, RejectsMalformedAndHuge) {
  for (const char* bad : {"", "FID", "FID x", "FID 1 4294967296", "F:D 1"}) {
    auto r = SsrcGroup::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_ssrc_group)) << bad;
  }
  std::string many = "SIM";
  for (size_t i = 0; i <= SsrcGroup::kMaxSsrcs; ++i) many += " " + std::to_string(i);
  EXPECT_TRUE(SsrcGroup::parse(many).error().is(Errc::invalid_ssrc_group));
}

}  // namespace
}  // namespace conclave::sdp
