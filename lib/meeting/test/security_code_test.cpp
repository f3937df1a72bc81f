#include "conclave/meeting/security_code.h"

#include <gtest/gtest.h>

#include <regex>

namespace conclave::meeting {
namespace {

Bytes sequence(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i);
  return b;
}

// Known answers computed independently (Python hashlib) from the
// derivation in security_code.h.
TEST(SecurityCode, KnownAnswers) {
  EXPECT_EQ(security_code(Bytes(32, 0)), "12249 44655 01037 32127");
  EXPECT_EQ(security_code(sequence(32)), "03314 09747 68274 27822");
}

TEST(SecurityCode, FourGroupsOfFiveDigits) {
  static const std::regex kShape("[0-9]{5} [0-9]{5} [0-9]{5} [0-9]{5}");
  for (uint8_t b = 0; b < 50; ++b) {
    EXPECT_TRUE(std::regex_match(security_code(Bytes(32, b)), kShape));
  }
}

TEST(SecurityCode, OneBitOfTheAuthenticatorChangesTheCode) {
  Bytes ea = sequence(32);
  const std::string code = security_code(ea);
  for (size_t i = 0; i < ea.size(); ++i) {
    Bytes flipped = ea;
    flipped[i] ^= 0x01;
    EXPECT_NE(security_code(flipped), code) << "byte " << i;
  }
}

}  // namespace
}  // namespace conclave::meeting
