// crypto-basics.json from mlswg/mls-implementations: every case passes, and a
// changed or malformed value is reported under its case and field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

nlohmann::json load() { return test_util::load_vector_file("mls/crypto-basics.json"); }
void flip(nlohmann::json& field) { test_util::flip_hex_digit(field); }
using test_util::names_failure;

TEST(CryptoBasicsVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(load(), Kind::mls_crypto_basics, check_mls_crypto_basics, 7);
}

TEST(CryptoBasicsVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_crypto_basics, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 70000}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": \"1\"}]"});
  // Every field of a real case replaced by a wrong type.
  auto doc = load();
  ASSERT_FALSE(doc.empty());
  for (const auto& item : doc[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = doc;
    broken[0][name] = 17;
    const Report report = check_mls_crypto_basics(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(CryptoBasicsVectors, TamperedValuesAreReportedByField) {
  auto doc = load();
  ASSERT_EQ(doc.size(), 7u);
  flip(doc[4]["derive_tree_secret"]["out"]);
  flip(doc[1]["sign_with_label"]["signature"]);
  flip(doc[2]["encrypt_with_label"]["ciphertext"]);
  flip(doc[3]["ref_hash"]["out"]);
  flip(doc[5]["expand_with_label"]["context"]);
  flip(doc[6]["derive_secret"]["label"]);
  const Report report = check_mls_crypto_basics(doc);
  EXPECT_EQ(report.passed(), 1u);
  EXPECT_EQ(report.failed(), 6u);
  EXPECT_TRUE(names_failure(report, "4", "derive_tree_secret.out"));
  EXPECT_TRUE(names_failure(report, "1", "sign_with_label.signature"));
  EXPECT_TRUE(names_failure(report, "2", "encrypt_with_label.ciphertext (decrypt)"));
  EXPECT_TRUE(names_failure(report, "3", "ref_hash.out"));
  EXPECT_TRUE(names_failure(report, "5", "expand_with_label.out"));
  EXPECT_TRUE(names_failure(report, "6", "derive_secret.out"));
}

}  // namespace
}  // namespace conclave::vectors
