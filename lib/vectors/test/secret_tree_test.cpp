// secret-tree.json from mlswg/mls-implementations: every case passes, and a
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

nlohmann::json load() { return test_util::load_vector_file("mls/secret-tree.json"); }
void flip(nlohmann::json& field) { test_util::flip_hex_digit(field); }
using test_util::names_failure;

TEST(SecretTreeVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(load(), Kind::mls_secret_tree, check_mls_secret_tree, 21);
}

TEST(SecretTreeVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_secret_tree, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 70000}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": \"1\"}]"});
  // Every field of a real case replaced by a wrong type.
  auto doc = load();
  ASSERT_FALSE(doc.empty());
  for (const auto& item : doc[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = doc;
    broken[0][name] = 17;
    const Report report = check_mls_secret_tree(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(SecretTreeVectors, TamperedValuesAreReportedByField) {
  auto doc = load();
  ASSERT_EQ(doc.size(), 21u);
  ASSERT_GE(doc[5]["leaves"].size(), 2u);
  flip(doc[5]["leaves"][1][1]["application_nonce"]);
  flip(doc[9]["sender_data"]["key"]);
  flip(doc[12]["encryption_secret"]);
  const Report report = check_mls_secret_tree(doc);
  EXPECT_EQ(report.passed(), 18u);
  EXPECT_EQ(report.failed(), 3u);
  EXPECT_TRUE(names_failure(report, "5", "leaves[1][1].application_nonce"));
  EXPECT_TRUE(names_failure(report, "9", "sender_data.key"));
  EXPECT_TRUE(names_failure(report, "12", "leaves[0][0].handshake_key"));
}

TEST(SecretTreeVectors, TreeOfThreeLeavesIsRefused) {
  auto doc = load();
  ASSERT_GE(doc[1]["leaves"].size(), 3u);
  auto leaves = doc[1]["leaves"];
  doc[1]["leaves"] = nlohmann::json::array({leaves[0], leaves[1], leaves[2]});
  const Report report = check_mls_secret_tree(nlohmann::json::array({doc[1]}));
  EXPECT_EQ(report.failed(), 1u);
  EXPECT_TRUE(names_failure(report, "0", "leaves"));
}

}  // namespace
}  // namespace conclave::vectors
