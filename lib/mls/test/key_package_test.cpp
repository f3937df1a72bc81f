// KeyPackage round trip and KeyPackageTBS (everything but the signature).
#include "conclave/mls/key_package.h"

#include <gtest/gtest.h>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

TEST(KeyPackage, RoundTripsAndTbsDropsSignature) {
  const KeyPackage kp = samples::key_package();
  const Bytes wire = encode(kp);
  auto back = decode_key_package(wire);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, kp);
  const Bytes tbs = encode_key_package_tbs(kp);
  EXPECT_EQ(concat({tbs, codec::encode(kp.signature)}), wire);
  for (size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(decode_key_package(BytesView(wire).first(n)).ok()) << n;
  }
}

}  // namespace
}  // namespace conclave::mls
