#include "conclave/media/errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conclave/base/result.h"

namespace conclave::media {
namespace {

TEST(Errc, EveryValueHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int i = static_cast<int>(Errc::truncated); i <= static_cast<int>(Errc::closed); ++i) {
    const auto e = static_cast<Errc>(i);
    EXPECT_EQ(error_domain(e), "media");
    const std::string msg(error_message(e));
    EXPECT_NE(msg, "unknown media error") << i;
    EXPECT_TRUE(seen.insert(msg).second) << "duplicate message " << msg;
  }
}

TEST(Errc, ErrorRemembersTheReason) {
  const Error e(Errc::truncated, "fmt chunk");
  EXPECT_TRUE(e.is(Errc::truncated));
  EXPECT_FALSE(e.is(Errc::invalid_header));
  EXPECT_EQ(e.detail(), "fmt chunk");
  EXPECT_EQ(e.to_string().find("media"), 0U);
}

}  // namespace
}  // namespace conclave::media
