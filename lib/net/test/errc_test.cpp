#include "conclave/net/errc.h"

#include <gtest/gtest.h>

#include "conclave/base/result.h"

namespace conclave::net {
namespace {

TEST(NetErrc, HasDomainAndMessages) {
  Error e(Errc::fingerprint_mismatch);
  EXPECT_EQ(e.domain(), "net");
  EXPECT_TRUE(e.is(Errc::fingerprint_mismatch));
  EXPECT_NE(error_message(Errc::timeout), error_message(Errc::closed));
}

}  // namespace
}  // namespace conclave::net
