// psk_secret.json from mlswg/mls-implementations: every case passes, and a
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

nlohmann::json load() { return test_util::load_vector_file("mls/psk_secret.json"); }
void flip(nlohmann::json& field) { test_util::flip_hex_digit(field); }
using test_util::names_failure;

TEST(PskSecretVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(load(), Kind::mls_psk_secret, check_mls_psk_secret, 77);
}

TEST(PskSecretVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_psk_secret, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 70000}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": \"1\"}]"});
  // Every field of a real case replaced by a wrong type.
  auto doc = load();
  ASSERT_FALSE(doc.empty());
  for (const auto& item : doc[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = doc;
    broken[0][name] = 17;
    const Report report = check_mls_psk_secret(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(PskSecretVectors, TamperedValuesAreReportedByField) {
  auto doc = load();
  ASSERT_EQ(doc.size(), 77u);
  ASSERT_GE(doc[3]["psks"].size(), 2u);
  flip(doc[3]["psks"][1]["psk_nonce"]);
  flip(doc[0]["psk_secret"]);
  // Reordering two PSKs changes the result.
  ASSERT_GE(doc[20]["psks"].size(), 2u);
  std::swap(doc[20]["psks"][0], doc[20]["psks"][1]);
  const Report report = check_mls_psk_secret(doc);
  EXPECT_EQ(report.passed(), 74u);
  EXPECT_EQ(report.failed(), 3u);
  EXPECT_TRUE(names_failure(report, "3", "psk_secret"));
  EXPECT_TRUE(names_failure(report, "0", "psk_secret"));
  EXPECT_TRUE(names_failure(report, "20", "psk_secret"));
}

}  // namespace
}  // namespace conclave::vectors
