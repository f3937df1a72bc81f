#include "conclave/sdp/ssrc_attribute.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(SsrcAttribute, ParsesCnameAndMsid) {
  auto c = SsrcAttribute::parse("3567183312 cname:kFq0vCBgQH9hqSvr");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->ssrc, 3567183312u);
  EXPECT_EQ(c->attribute, "cname");
  EXPECT_EQ(c->value, "kFq0vCBgQH9hqSvr");
  EXPECT_EQ(c->serialize(), "3567183312 cname:kFq0vCBgQH9hqSvr");

  auto m = SsrcAttribute::parse("1 msid:stream track");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->value, "stream track");

  auto flag = SsrcAttribute::parse("4294967295 x-flag");
  ASSERT_TRUE(flag.ok());
  EXPECT_TRUE(flag->value.empty());
  EXPECT_EQ(SsrcAttribute::parse(flag->serialize()).value(), *flag);
}

TEST(SsrcAttribute, RejectsMalformed) {
  for (const char* bad :
       {"", "1", "1 ", "4294967296 cname:x", "x cname:x", "1 cname:", "1 :x", "-1 cname:x"}) {
    auto r = SsrcAttribute::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_ssrc)) << bad;
  }
}

}  // namespace
}  // namespace conclave::sdp
