#include "conclave/sdp/ice.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::sdp {
namespace {

TEST(Ice, Credentials) {
  EXPECT_TRUE(validate_ice_ufrag("Xr3n").ok());
  EXPECT_TRUE(validate_ice_ufrag("ab+/").ok());
  EXPECT_TRUE(validate_ice_ufrag("abc").error().is(Errc::invalid_ice));
  EXPECT_TRUE(validate_ice_ufrag("ab-c").error().is(Errc::invalid_ice));
  EXPECT_TRUE(validate_ice_ufrag(std::string(257, 'a')).error().is(Errc::invalid_ice));
  EXPECT_TRUE(validate_ice_pwd("k5TkE1lKx6aF2lWn5Qf0bXyZ").ok());
  EXPECT_TRUE(validate_ice_pwd(std::string(21, 'a')).error().is(Errc::invalid_ice));
  EXPECT_TRUE(validate_ice_pwd(std::string(22, 'a')).ok());
}

TEST(Ice, Options) {
  auto o = parse_ice_options("trickle  renomination");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o, (std::vector<std::string>{"trickle", "renomination"}));
  EXPECT_TRUE(parse_ice_options("").error().is(Errc::invalid_ice));
  EXPECT_TRUE(parse_ice_options("a:b").error().is(Errc::invalid_ice));
}

}  // namespace
}  // namespace conclave::sdp
