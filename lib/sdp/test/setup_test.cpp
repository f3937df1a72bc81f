#include "conclave/sdp/setup.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(Setup, ParsesEveryRole) {
  for (auto s : {Setup::actpass, Setup::active, Setup::passive, Setup::holdconn}) {
    auto parsed = parse_setup(to_string(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
}

TEST(Setup, RejectsOtherValues) {
  EXPECT_TRUE(parse_setup("").error().is(Errc::invalid_setup));
  EXPECT_TRUE(parse_setup("Active").error().is(Errc::invalid_setup));
  EXPECT_TRUE(parse_setup("actpass ").error().is(Errc::invalid_setup));
}

}  // namespace
}  // namespace conclave::sdp
