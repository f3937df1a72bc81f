#include "conclave/rtp/errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conclave/base/result.h"

namespace conclave::rtp {
namespace {

TEST(Errc, EveryValueHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int i = static_cast<int>(Errc::truncated); i <= static_cast<int>(Errc::invalid_argument);
       ++i) {
    const auto e = static_cast<Errc>(i);
    EXPECT_EQ(error_domain(e), "rtp");
    const std::string msg(error_message(e));
    EXPECT_NE(msg, "unknown rtp error") << i;
    EXPECT_TRUE(seen.insert(msg).second) << "duplicate message " << msg;
  }
}

TEST(Errc, ErrorRemembersTheReason) {
  const Error e(Errc::truncated, "header");
  EXPECT_TRUE(e.is(Errc::truncated));
  EXPECT_FALSE(e.is(Errc::invalid_padding));
  EXPECT_EQ(e.detail(), "header");
}

}  // namespace
}  // namespace conclave::rtp
