#include "conclave/store/passcode_hash.h"

#include <gtest/gtest.h>

namespace conclave::store {
namespace {

// A cheap cost for tests of the encoding; one test uses the default cost.
constexpr ScryptParams kFast{10, 8, 1};

TEST(PasscodeHash, DefaultCostVerifies) {
  auto h = PasscodeHash::hash("correct horse");
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  EXPECT_TRUE(h->starts_with("$scrypt$ln=15,r=8,p=3$")) << *h;
  EXPECT_TRUE(PasscodeHash::verify(*h, "correct horse"));
  EXPECT_FALSE(PasscodeHash::verify(*h, "correct horsE"));
}

TEST(PasscodeHash, SaltedSoEqualPasscodesHashDifferently) {
  auto a = PasscodeHash::hash("1234", kFast);
  auto b = PasscodeHash::hash("1234", kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(PasscodeHash::verify(*a, "1234"));
  EXPECT_TRUE(PasscodeHash::verify(*b, "1234"));
  EXPECT_EQ(a->find("1234"), std::string::npos);
}

TEST(PasscodeHash, RejectsWrongAndEmptyPasscodes) {
  auto h = PasscodeHash::hash("secret", kFast);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(PasscodeHash::verify(*h, "Secret"));
  EXPECT_FALSE(PasscodeHash::verify(*h, "secret "));
  EXPECT_FALSE(PasscodeHash::verify(*h, ""));
  EXPECT_FALSE(PasscodeHash::verify(*h, std::string(200, 's')));
}

TEST(PasscodeHash, RejectsBadLengthsAndParameters) {
  EXPECT_FALSE(PasscodeHash::hash("", kFast).ok());
  EXPECT_FALSE(PasscodeHash::hash(std::string(129, 'x'), kFast).ok());
  EXPECT_TRUE(PasscodeHash::hash(std::string(128, 'x'), kFast).ok());
  EXPECT_FALSE(PasscodeHash::hash("x", ScryptParams{0, 8, 1}).ok());
  EXPECT_FALSE(PasscodeHash::hash("x", ScryptParams{21, 8, 1}).ok());
}

TEST(PasscodeHash, MalformedEncodingsNeverVerify) {
  auto h = PasscodeHash::hash("pw", kFast);
  ASSERT_TRUE(h.ok());
  std::string good = *h;
  std::string tampered = good;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {std::string(), std::string("pw"), std::string("$scrypt$"), std::string("$bcrypt$x$y$z"),
        std::string("$scrypt$ln=10,r=8$AAAA$AAAA"), std::string("$scrypt$ln=40,r=8,p=1$AAAA$AAAA"),
        std::string("$scrypt$ln=10,r=8,p=1,p=2$AAAA$AAAA"), std::string("$scrypt$ln=10,r=8,p=1$$"),
        std::string("$scrypt$ln=10,r=8,p=1$!!$AAAA"), good.substr(0, good.size() - 2),
        tampered}) {
    EXPECT_FALSE(PasscodeHash::verify(bad, "pw")) << bad;
  }
  EXPECT_TRUE(PasscodeHash::verify(good, "pw"));
}

}  // namespace
}  // namespace conclave::store
