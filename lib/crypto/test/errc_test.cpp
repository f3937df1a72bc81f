#include "conclave/crypto/errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conclave/base/result.h"

namespace conclave::crypto {
namespace {

TEST(Errc, DomainAndDistinctMessages) {
  std::set<std::string_view> messages;
  for (int i = static_cast<int>(Errc::unsupported); i <= static_cast<int>(Errc::backend_failure);
       ++i) {
    auto e = static_cast<Errc>(i);
    EXPECT_EQ(error_domain(e), "crypto");
    EXPECT_FALSE(error_message(e).empty());
    messages.insert(error_message(e));
  }
  EXPECT_EQ(messages.size(), 8u);
}

TEST(Errc, ErrorCarriesDomain) {
  Error e(Errc::decrypt_failed, "tag");
  EXPECT_TRUE(e.is(Errc::decrypt_failed));
  EXPECT_FALSE(e.is(Errc::verify_failed));
  EXPECT_EQ(e.to_string(), "crypto: decryption failed (tag)");
}

}  // namespace
}  // namespace conclave::crypto
