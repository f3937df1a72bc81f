#include "conclave/sdp/errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conclave/base/result.h"

namespace conclave::sdp {
namespace {

TEST(Errc, EveryValueHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int i = static_cast<int>(Errc::too_large); i <= static_cast<int>(Errc::invalid_direction);
       ++i) {
    const auto e = static_cast<Errc>(i);
    EXPECT_EQ(error_domain(e), "sdp");
    const std::string msg(error_message(e));
    EXPECT_NE(msg, "unknown sdp error") << i;
    EXPECT_TRUE(seen.insert(msg).second) << "duplicate message " << msg;
  }
}

TEST(Errc, ErrorRemembersTheReason) {
  const Error e(Errc::invalid_extmap, "id");
  EXPECT_TRUE(e.is(Errc::invalid_extmap));
  EXPECT_FALSE(e.is(Errc::invalid_rtpmap));
  EXPECT_EQ(e.detail(), "id");
  EXPECT_EQ(e.to_string(), "sdp: malformed extmap (id)");
}

}  // namespace
}  // namespace conclave::sdp
