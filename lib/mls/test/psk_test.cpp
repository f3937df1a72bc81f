// PreSharedKeyID (the psktype select, then the nonce) and PSKLabel.
#include "conclave/mls/psk.h"

#include <gtest/gtest.h>

namespace conclave::mls {
namespace {

TEST(PreSharedKeyID, ExternalLayout) {
  const PreSharedKeyID id{ExternalPSK{{0xAB}}, {0x01, 0x02}};
  EXPECT_EQ(id.psktype(), PSKType::external);
  const Bytes wire = encode(id);
  EXPECT_EQ(wire, (Bytes{1, 1, 0xAB, 2, 1, 2}));
  auto back = decode_pre_shared_key_id(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, id);
}

TEST(PreSharedKeyID, ResumptionLayout) {
  const PreSharedKeyID id{ResumptionPSK{ResumptionPSKUsage::branch, {'g'}, 0x0102}, {0x07}};
  EXPECT_EQ(id.psktype(), PSKType::resumption);
  const Bytes wire = encode(id);
  EXPECT_EQ(wire, (Bytes{2, 3, 1, 'g', 0, 0, 0, 0, 0, 0, 1, 2, 1, 7}));
  auto back = decode_pre_shared_key_id(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, id);
}

TEST(PreSharedKeyID, UnknownTypeAndTruncationAreRejected) {
  auto bad = decode_pre_shared_key_id(Bytes{3, 1, 0xAB, 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(codec::Errc::unknown_variant));
  const Bytes wire = encode(PreSharedKeyID{ExternalPSK{{0xAB}}, {0x01, 0x02}});
  for (size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(decode_pre_shared_key_id(BytesView(wire).first(n)).ok()) << n;
  }
}

TEST(PSKLabel, Layout) {
  const PSKLabel label{PreSharedKeyID{ExternalPSK{{0xAB}}, {}}, 1, 3};
  EXPECT_EQ(encode(label), (Bytes{1, 1, 0xAB, 0, 0, 1, 0, 3}));
}

}  // namespace
}  // namespace conclave::mls
