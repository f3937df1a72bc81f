#include "conclave/sframe/cipher_suite.h"

#include <gtest/gtest.h>

namespace conclave::sframe {
namespace {

struct Row {
  uint16_t id;
  const char* name;
  size_t nh, nka, nk, nn, nt;
};

// RFC 9605 section 4.5 and the IANA registry (suites 6-8).
constexpr Row kExpected[] = {
    {1, "AES_128_CTR_HMAC_SHA256_80", 32, 16, 48, 12, 10},
    {2, "AES_128_CTR_HMAC_SHA256_64", 32, 16, 48, 12, 8},
    {3, "AES_128_CTR_HMAC_SHA256_32", 32, 16, 48, 12, 4},
    {4, "AES_128_GCM_SHA256_128", 32, 0, 16, 12, 16},
    {5, "AES_256_GCM_SHA512_128", 64, 0, 32, 12, 16},
    {6, "AES_256_CTR_HMAC_SHA512_80", 64, 32, 96, 12, 10},
    {7, "AES_256_CTR_HMAC_SHA512_64", 64, 32, 96, 12, 8},
    {8, "AES_256_CTR_HMAC_SHA512_32", 64, 32, 96, 12, 4},
};

TEST(CipherSuite, TableMatchesTheRegistry) {
  for (const Row& row : kExpected) {
    auto s = CipherSuite::from_code_point(row.id);
    ASSERT_TRUE(s.ok()) << row.id;
    EXPECT_EQ(s->code_point(), row.id);
    EXPECT_EQ(s->name, row.name);
    EXPECT_EQ(s->nh, row.nh) << row.name;
    EXPECT_EQ(s->nka, row.nka) << row.name;
    EXPECT_EQ(s->nk, row.nk) << row.name;
    EXPECT_EQ(s->nn, row.nn) << row.name;
    EXPECT_EQ(s->nt, row.nt) << row.name;
    EXPECT_EQ(s->is_ctr_hmac(), row.nka != 0) << row.name;
    EXPECT_EQ(crypto::hash_size(s->hash), row.nh) << row.name;
  }
}

TEST(CipherSuite, AllListsEverySuiteInOrder) {
  const auto& all = CipherSuite::all();
  ASSERT_EQ(all.size(), 8u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].code_point(), i + 1);
    EXPECT_EQ(&CipherSuite::get(all[i].id), &all[i]);
  }
}

TEST(CipherSuite, UnregisteredCodePointsAreRejected) {
  for (uint16_t id : {uint16_t{0}, uint16_t{9}, uint16_t{0xffff}}) {
    auto s = CipherSuite::from_code_point(id);
    ASSERT_FALSE(s.ok()) << id;
    EXPECT_TRUE(s.error().is(Errc::invalid_cipher_suite));
  }
}

}  // namespace
}  // namespace conclave::sframe
