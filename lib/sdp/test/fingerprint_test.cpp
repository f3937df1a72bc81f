#include "conclave/sdp/fingerprint.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::sdp {
namespace {

constexpr std::string_view kSha256 =
    "A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:3C:"
    "9D:5C";

TEST(Fingerprint, ParsesSha256) {
  auto f = Fingerprint::parse("sha-256 " + std::string(kSha256));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->algorithm, "sha-256");
  EXPECT_EQ(f->value, kSha256);
  auto digest = f->digest();
  ASSERT_TRUE(digest.ok());
  ASSERT_EQ(digest->size(), 32u);
  EXPECT_EQ((*digest)[0], 0xa5);
  EXPECT_EQ((*digest)[31], 0x5c);
  EXPECT_EQ(Fingerprint::format_digest(*digest), kSha256);
  EXPECT_EQ(f->serialize(), "sha-256 " + std::string(kSha256));
}

TEST(Fingerprint, AcceptsLowerCaseAndOtherHashes) {
  EXPECT_TRUE(Fingerprint::parse("SHA-256 a5:4d:ca:18:25:30:bb:1d:6d:13:2c:de:d6:23:7b:2e:d9:1e:"
                                 "3f:72:1f:cb:19:71:17:44:94:d6:49:3c:9d:5c")
                  .ok());
  EXPECT_TRUE(
      Fingerprint::parse("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33").ok());
  EXPECT_TRUE(Fingerprint::parse("x-unknown AB:CD").ok());  // unknown hash: any length
  EXPECT_EQ(Fingerprint::digest_size("sha-512"), 64u);
  EXPECT_EQ(Fingerprint::digest_size("md5"), 0u);
}

TEST(Fingerprint, RejectsMalformed) {
  for (const char* bad : {"", "sha-256", "sha-256 AB:CD", "sha-256 ABC", "sha-256 AB:",
                          "sha-256 :AB", "sha-256 AB-CD", "sha-256 GG", "x AB CD", "sha 256 AB"}) {
    auto r = Fingerprint::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_fingerprint)) << bad;
  }
  std::string long_digest = "AB";
  for (size_t i = 1; i <= Fingerprint::kMaxDigestSize; ++i) long_digest += ":AB";
  EXPECT_FALSE(Fingerprint::parse("x " + long_digest).ok());
  EXPECT_FALSE((Fingerprint{"sha-256", "zz"}.digest().ok()));
}

}  // namespace
}  // namespace conclave::sdp
