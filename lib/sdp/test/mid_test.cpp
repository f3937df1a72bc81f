#include "conclave/sdp/mid.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::sdp {
namespace {

TEST(Mid, TokensUpToTheLimit) {
  EXPECT_TRUE(validate_mid("0").ok());
  EXPECT_TRUE(validate_mid("video-1").ok());
  EXPECT_TRUE(validate_mid(std::string(kMaxMidSize, 'm')).ok());
  EXPECT_TRUE(validate_mid("").error().is(Errc::invalid_mid));
  EXPECT_TRUE(validate_mid("a b").error().is(Errc::invalid_mid));
  EXPECT_TRUE(validate_mid("a:b").error().is(Errc::invalid_mid));
  EXPECT_TRUE(validate_mid(std::string(kMaxMidSize + 1, 'm')).error().is(Errc::invalid_mid));
}

}  // namespace
}  // namespace conclave::sdp
