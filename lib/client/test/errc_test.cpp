#include "conclave/client/errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conclave/base/result.h"

namespace conclave::client {
namespace {

TEST(ClientErrc, EveryCodeHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int i = 1; i <= static_cast<int>(Errc::ended); ++i) {
    const auto e = static_cast<Errc>(i);
    const std::string message(error_message(e));
    EXPECT_NE(message, "unknown client error") << i;
    EXPECT_TRUE(seen.insert(message).second) << "duplicate message for " << i;
  }
  const Error error(Errc::old_epoch, "epoch 3");
  EXPECT_EQ(error.domain(), "client");
  EXPECT_TRUE(error.is(Errc::old_epoch));
  EXPECT_EQ(error.to_string(), "client: message of an epoch that has ended (epoch 3)");
}

}  // namespace
}  // namespace conclave::client
