#include "conclave/sframe/errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conclave/base/result.h"

namespace conclave::sframe {
namespace {

TEST(SframeErrc, DomainIsSframe) { EXPECT_EQ(error_domain(Errc::replay), "sframe"); }

TEST(SframeErrc, EveryValueHasItsOwnMessage) {
  std::set<std::string> messages;
  const int last = static_cast<int>(Errc::crypto_failure);
  for (int v = 1; v <= last; ++v) {
    const std::string m(error_message(static_cast<Errc>(v)));
    EXPECT_NE(m, "unknown sframe error") << v;
    messages.insert(m);
  }
  EXPECT_EQ(messages.size(), static_cast<size_t>(last));
}

TEST(SframeErrc, ErrorRemembersDomainAndCode) {
  const Error e(Errc::authentication_failed);
  EXPECT_TRUE(e.is(Errc::authentication_failed));
  EXPECT_FALSE(e.is(Errc::replay));
  EXPECT_EQ(e.to_string(), "sframe: authentication failed");
}

}  // namespace
}  // namespace conclave::sframe
