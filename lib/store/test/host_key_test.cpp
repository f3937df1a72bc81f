#include "conclave/store/host_key.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::store {
namespace {

TEST(HostKey, Has256RandomBitsAsBase64url) {
  HostKey a = HostKey::generate();
  HostKey b = HostKey::generate();
  EXPECT_EQ(a.text().size(), 43U);
  EXPECT_NE(a.text(), b.text());
  auto raw = from_base64url(a.text());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), HostKey::kRandomBytes);
}

TEST(HostKey, HashIsSha256OfTheText) {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(to_hex(HostKey::hash_of("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  HostKey k = HostKey::generate();
  EXPECT_EQ(k.hash(), HostKey::hash_of(k.text()));
}

TEST(HostKey, MatchesOnlyTheSameKey) {
  HostKey k = HostKey::generate();
  Bytes stored = k.hash();
  EXPECT_TRUE(HostKey::matches(stored, k.text()));
  std::string wrong = k.text();
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(HostKey::matches(stored, wrong));
  EXPECT_FALSE(HostKey::matches(stored, ""));
  EXPECT_FALSE(HostKey::matches(stored, HostKey::generate().text()));
  EXPECT_FALSE(HostKey::matches({}, k.text()));
}

}  // namespace
}  // namespace conclave::store
