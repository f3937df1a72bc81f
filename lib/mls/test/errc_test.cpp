#include "conclave/mls/errc.h"

#include <gtest/gtest.h>

#include "conclave/base/result.h"

namespace conclave::mls {
namespace {

TEST(Errc, EveryCodeHasADomainAndAMessage) {
  for (int i = static_cast<int>(Errc::unsupported_cipher_suite);
       i <= static_cast<int>(Errc::invalid_key_package); ++i) {
    const auto e = static_cast<Errc>(i);
    EXPECT_EQ(error_domain(e), "mls");
    EXPECT_FALSE(error_message(e).empty());
    EXPECT_NE(error_message(e), "unknown mls error") << i;
  }
}

TEST(Errc, ErrorKeepsTheRuleId) {
  const Error e(Errc::generation_consumed, "MLS-V-ST-003");
  EXPECT_TRUE(e.is(Errc::generation_consumed));
  EXPECT_FALSE(e.is(Errc::generation_too_far));
  EXPECT_EQ(e.detail(), "MLS-V-ST-003");
  EXPECT_EQ(e.domain(), "mls");
}

}  // namespace
}  // namespace conclave::mls
