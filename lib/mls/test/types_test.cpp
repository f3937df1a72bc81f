// Code points: GREASE detection, ContentType's value check, names.
#include "conclave/mls/types.h"

#include <gtest/gtest.h>

namespace conclave::mls {
namespace {

TEST(Types, GreaseValues) {
  int count = 0;
  for (uint32_t v = 0; v <= 0xFFFF; ++v) {
    if (is_grease(static_cast<uint16_t>(v))) ++count;
  }
  EXPECT_EQ(count, 15);  // 0x0A0A .. 0xEAEA
  EXPECT_TRUE(is_grease(0x0A0A));
  EXPECT_TRUE(is_grease(0x5A5A));
  EXPECT_TRUE(is_grease(0xEAEA));
  EXPECT_FALSE(is_grease(0xFAFA));  // private use
  EXPECT_FALSE(is_grease(0x0A1A));
  EXPECT_FALSE(is_grease(0x0001));
}

TEST(Types, ContentTypeValues) {
  EXPECT_TRUE(tls_valid(ContentType::application));
  EXPECT_TRUE(tls_valid(ContentType::commit));
  EXPECT_FALSE(tls_valid(ContentType::reserved));
  EXPECT_FALSE(tls_valid(static_cast<ContentType>(4)));
}

TEST(Types, Names) {
  EXPECT_EQ(to_string(ContentType::proposal), "proposal");
  EXPECT_EQ(to_string(SenderType::new_member_commit), "new_member_commit");
  EXPECT_EQ(to_string(WireFormat::mls_key_package), "mls_key_package");
  EXPECT_EQ(to_string(ProposalType::group_context_extensions), "group_context_extensions");
  EXPECT_EQ(to_string(static_cast<WireFormat>(0x0A0A)), "unknown");
}

}  // namespace
}  // namespace conclave::mls
