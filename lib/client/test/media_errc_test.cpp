#include "conclave/client/media_errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conclave/base/result.h"
#include "conclave/client/errc.h"

namespace conclave::client {
namespace {

TEST(MediaErrc, EveryCodeHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int i = 1; i <= static_cast<int>(MediaErrc::no_media_key); ++i) {
    const auto e = static_cast<MediaErrc>(i);
    const std::string message(error_message(e));
    EXPECT_NE(message, "unknown client media error") << i;
    EXPECT_TRUE(seen.insert(message).second) << "duplicate message for " << i;
  }
}

TEST(MediaErrc, HasItsOwnDomain) {
  const Error error(MediaErrc::no_media_key);
  EXPECT_EQ(error.domain(), "client.media");
  EXPECT_TRUE(error.is(MediaErrc::no_media_key));
  // Same numeric code as Errc::invalid_message, but a different domain.
  EXPECT_FALSE(Error(MediaErrc::invalid_config).is(Errc::invalid_message));
}

}  // namespace
}  // namespace conclave::client
