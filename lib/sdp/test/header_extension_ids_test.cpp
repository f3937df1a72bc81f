#include "conclave/sdp/header_extension_ids.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(HeaderExtensionIds, SlotsByUri) {
  HeaderExtensionIds ids;
  ASSERT_NE(ids.slot(kDependencyDescriptorUri), nullptr);
  *ids.slot(kDependencyDescriptorUri) = 9;
  *ids.slot(kMidUri) = 4;
  EXPECT_EQ(ids.dependency_descriptor, 9);
  EXPECT_EQ(ids.mid, 4);
  EXPECT_EQ(ids.id_of(kMidUri), 4);
  EXPECT_EQ(ids.id_of(kAudioLevelUri), 0);
  EXPECT_EQ(ids.slot("urn:ietf:params:rtp-hdrext:toffset"), nullptr);
  EXPECT_EQ(ids.id_of("urn:ietf:params:rtp-hdrext:toffset"), 0);
  for (auto uri :
       {kAudioLevelUri, kMidUri, kTransportCcUri, kAbsSendTimeUri, kDependencyDescriptorUri}) {
    EXPECT_NE(ids.slot(uri), nullptr) << uri;
  }
}

}  // namespace
}  // namespace conclave::sdp
