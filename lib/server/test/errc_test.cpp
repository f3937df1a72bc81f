#include "conclave/server/errc.h"

#include <gtest/gtest.h>

#include "conclave/base/result.h"

namespace conclave::server {
namespace {

TEST(ServerErrc, HasDomainAndMessages) {
  Error e(Errc::listen);
  EXPECT_EQ(e.domain(), "server");
  EXPECT_TRUE(e.is(Errc::listen));
  EXPECT_NE(error_message(Errc::store), error_message(Errc::certificate));
}

}  // namespace
}  // namespace conclave::server
