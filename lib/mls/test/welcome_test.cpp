// Welcome and GroupSecrets (the secrets are SecretBytes).
#include "conclave/mls/welcome.h"

#include <gtest/gtest.h>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

TEST(Welcome, RoundTrips) {
  const Welcome w = samples::welcome();
  const Bytes wire = encode(w);
  auto back = decode_welcome(wire);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, w);
}

TEST(GroupSecrets, LayoutWithAndWithoutPathSecret) {
  GroupSecrets gs;
  gs.joiner_secret = SecretBytes(Bytes{1, 2});
  gs.psks = {PreSharedKeyID{ExternalPSK{{9}}, {8}}};
  const SecretBytes without = encode(gs);
  EXPECT_EQ(without.reveal_copy(), (Bytes{2, 1, 2, 0, 5, 1, 1, 9, 1, 8}));
  gs.path_secret = PathSecret{SecretBytes(Bytes{7})};
  const SecretBytes with = encode(gs);
  EXPECT_EQ(with.reveal_copy(), (Bytes{2, 1, 2, 1, 1, 7, 5, 1, 1, 9, 1, 8}));
  auto back = decode_group_secrets(with.view());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, gs);
  EXPECT_FALSE(decode_group_secrets(with.view().first(with.size() - 1)).ok());
}

}  // namespace
}  // namespace conclave::mls
