#include "conclave/store/errc.h"

#include <gtest/gtest.h>

#include "conclave/base/result.h"

namespace conclave::store {
namespace {

TEST(StoreErrc, HasDomainAndDistinctMessages) {
  Error e(Errc::schema_too_new);
  EXPECT_EQ(e.domain(), "store");
  EXPECT_TRUE(e.is(Errc::schema_too_new));
  EXPECT_FALSE(e.is(Errc::not_found));
  EXPECT_NE(error_message(Errc::not_found), error_message(Errc::database_error));
}

}  // namespace
}  // namespace conclave::store
