#include "conclave/sdp/msid.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::sdp {
namespace {

TEST(Msid, ParsesStreamAndTrack) {
  auto m = Msid::parse("8d2b7f3e-5a41 0b6e3c1a-7d2f");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->stream_id, "8d2b7f3e-5a41");
  EXPECT_EQ(m->track_id, "0b6e3c1a-7d2f");
  EXPECT_EQ(m->serialize(), "8d2b7f3e-5a41 0b6e3c1a-7d2f");
  auto no_stream = Msid::parse("- {track}");
  ASSERT_TRUE(no_stream.ok());
  EXPECT_EQ(no_stream->stream_id, "-");
  auto stream_only = Msid::parse("s");
  ASSERT_TRUE(stream_only.ok());
  EXPECT_EQ(stream_only->serialize(), "s");
}

TEST(Msid, RejectsMalformed) {
  for (const std::string& bad : {std::string(""), std::string("a b c"), std::string("a:b"),
                                 std::string(65, 'x'), "s " + std::string(65, 'y')}) {
    auto r = Msid::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_msid)) << bad;
  }
  EXPECT_TRUE(Msid::is_valid_id(std::string(64, 'x')));
}

}  // namespace
}  // namespace conclave::sdp
