// GroupContext layout.
#include "conclave/mls/group_context.h"

#include <gtest/gtest.h>

namespace conclave::mls {
namespace {

TEST(GroupContext, Layout) {
  GroupContext gc;
  gc.cipher_suite = CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256;
  gc.group_id = {0xAA};
  gc.epoch = 0x0102;
  gc.tree_hash = {0xBB};
  gc.confirmed_transcript_hash = {};
  gc.extensions = {Extension{ExtensionType::external_pub, {0}}};
  const Bytes wire = encode(gc);
  EXPECT_EQ(wire, (Bytes{0, 1, 0, 2, 1, 0xAA, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0xBB, 0,  //
                         4, 0, 4, 1, 0}));
  auto back = decode_group_context(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, gc);
  EXPECT_FALSE(decode_group_context(BytesView(wire).first(wire.size() - 1)).ok());
}

}  // namespace
}  // namespace conclave::mls
