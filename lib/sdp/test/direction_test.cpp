#include "conclave/sdp/direction.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(Direction, NamesRoundTrip) {
  for (auto d :
       {Direction::sendrecv, Direction::sendonly, Direction::recvonly, Direction::inactive}) {
    EXPECT_EQ(direction_from_name(to_string(d)), d);
  }
  EXPECT_FALSE(direction_from_name("SENDONLY"));
  EXPECT_FALSE(direction_from_name("rtcp-mux"));
}

TEST(Direction, ReverseAndFlags) {
  EXPECT_EQ(reverse(Direction::sendonly), Direction::recvonly);
  EXPECT_EQ(reverse(Direction::recvonly), Direction::sendonly);
  EXPECT_EQ(reverse(Direction::sendrecv), Direction::sendrecv);
  EXPECT_EQ(reverse(Direction::inactive), Direction::inactive);
  EXPECT_TRUE(sends(Direction::sendrecv));
  EXPECT_TRUE(sends(Direction::sendonly));
  EXPECT_FALSE(sends(Direction::recvonly));
  EXPECT_FALSE(sends(Direction::inactive));
  EXPECT_TRUE(receives(Direction::recvonly));
  EXPECT_FALSE(receives(Direction::sendonly));
}

}  // namespace
}  // namespace conclave::sdp
