// GroupInfo round trip and GroupInfoTBS (everything but the signature).
#include "conclave/mls/group_info.h"

#include <gtest/gtest.h>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

TEST(GroupInfo, RoundTripsAndTbsDropsSignature) {
  const GroupInfo gi = samples::group_info();
  const Bytes wire = encode(gi);
  auto back = decode_group_info(wire);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, gi);
  EXPECT_EQ(concat({encode_group_info_tbs(gi), codec::encode(gi.signature)}), wire);
  auto ext = find_extension<ExternalPub>(back->extensions);
  ASSERT_TRUE(ext.ok());
  ASSERT_TRUE(ext->has_value());
  EXPECT_EQ((*ext)->external_pub, samples::bytes(0x61, 32));
}

}  // namespace
}  // namespace conclave::mls
