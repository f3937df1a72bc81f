#include "conclave/sdp/attribute.h"

#include <gtest/gtest.h>

#include <vector>

#include "conclave/sdp/rtpmap.h"

namespace conclave::sdp {
namespace {

TEST(Attribute, FindAndParseAll) {
  const std::vector<Attribute> attrs = {
      {"rtpmap", "111 opus/48000/2"}, {"rtcp-mux", ""}, {"rtpmap", "0 PCMU/8000"}};
  ASSERT_NE(find_attribute(attrs, "rtcp-mux"), nullptr);
  EXPECT_EQ(find_attribute(attrs, "rtpmap")->value, "111 opus/48000/2");
  EXPECT_EQ(find_attribute(attrs, "fmtp"), nullptr);
  auto maps = parse_all<Rtpmap>(attrs);
  ASSERT_TRUE(maps.ok());
  ASSERT_EQ(maps->size(), 2u);
  EXPECT_EQ((*maps)[1].encoding_name, "PCMU");

  const std::vector<Attribute> bad = {{"rtpmap", "111 opus/48000/2"}, {"rtpmap", "x"}};
  EXPECT_TRUE(parse_all<Rtpmap>(bad).error().is(Errc::invalid_rtpmap));
}

TEST(Attribute, ValidatesKnownAttributes) {
  EXPECT_TRUE(validate_attribute({"rtcp-mux", ""}).ok());
  EXPECT_TRUE(validate_attribute({"x-unknown", "anything at all"}).ok());
  EXPECT_TRUE(validate_attribute({"msid-semantic", " WMS *"}).ok());
  EXPECT_TRUE(validate_attribute({"rtcp-mux", "yes"}).error().is(Errc::invalid_attribute));
  EXPECT_TRUE(validate_attribute({"sendonly", "x"}).error().is(Errc::invalid_attribute));
  EXPECT_TRUE(validate_attribute({"bad name", ""}).error().is(Errc::invalid_attribute));
  EXPECT_TRUE(validate_attribute({"", ""}).error().is(Errc::invalid_attribute));
  EXPECT_TRUE(validate_attribute({"x", "a\nb"}).error().is(Errc::invalid_attribute));
  EXPECT_TRUE(validate_attribute({"rtpmap", "x"}).error().is(Errc::invalid_rtpmap));
  EXPECT_TRUE(validate_attribute({"fmtp", "x"}).error().is(Errc::invalid_fmtp));
  EXPECT_TRUE(validate_attribute({"rtcp-fb", "x"}).error().is(Errc::invalid_rtcp_fb));
  EXPECT_TRUE(validate_attribute({"extmap", "0 urn:x"}).error().is(Errc::invalid_extmap));
  EXPECT_TRUE(validate_attribute({"ssrc", "x"}).error().is(Errc::invalid_ssrc));
  EXPECT_TRUE(validate_attribute({"ssrc-group", "x"}).error().is(Errc::invalid_ssrc_group));
  EXPECT_TRUE(validate_attribute({"fingerprint", "x"}).error().is(Errc::invalid_fingerprint));
  EXPECT_TRUE(validate_attribute({"candidate", "x"}).error().is(Errc::invalid_candidate));
  EXPECT_TRUE(validate_attribute({"group", ""}).error().is(Errc::invalid_group));
  EXPECT_TRUE(validate_attribute({"msid", ""}).error().is(Errc::invalid_msid));
  EXPECT_TRUE(validate_attribute({"mid", ""}).error().is(Errc::invalid_mid));
  EXPECT_TRUE(validate_attribute({"setup", "both"}).error().is(Errc::invalid_setup));
  EXPECT_TRUE(validate_attribute({"ice-ufrag", "a"}).error().is(Errc::invalid_ice));
  EXPECT_TRUE(validate_attribute({"ice-pwd", "a"}).error().is(Errc::invalid_ice));
  EXPECT_TRUE(validate_attribute({"ice-options", "a:b"}).error().is(Errc::invalid_ice));
}

}  // namespace
}  // namespace conclave::sdp
