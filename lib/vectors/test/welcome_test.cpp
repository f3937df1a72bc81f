// welcome.json from mlswg/mls-implementations: every case passes (the
// Welcome opens with init_priv, the GroupInfo signature and confirmation
// tag verify), and a changed or malformed value is reported under its case
// and field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

nlohmann::json load() {
  return test_util::load_vector_file("mls/welcome.json");
}
// Changes the hex digit `from_end` digits before the end of a string field.
void flip(nlohmann::json& field, size_t from_end = 1) {
  test_util::flip_hex_digit(field, from_end - 1, true);
}
using test_util::names_failure;

const nlohmann::json& doc() {
  static const nlohmann::json d = load();
  return d;
}

TEST(WelcomeVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(doc(), Kind::mls_welcome, check_mls_welcome, 7);
}

TEST(WelcomeVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_welcome, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": \"1\"}]"});
  ASSERT_FALSE(doc().empty());
  for (const auto& item : doc()[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = nlohmann::json::array({doc()[0]});
    broken[0][name] = 17;
    const Report report = check_mls_welcome(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(WelcomeVectors, TamperedValuesAreReportedByField) {
  auto d = doc();
  ASSERT_EQ(d.size(), 7u);
  flip(d[1]["welcome"]);  // the GroupInfo ciphertext's tag
  flip(d[2]["signer_pub"], 2);
  flip(d[3]["init_priv"]);  // another init key: no longer the KeyPackage's
  const Report report = check_mls_welcome(d);
  EXPECT_EQ(report.passed(), 4u);
  EXPECT_EQ(report.failed(), 3u);
  EXPECT_TRUE(names_failure(report, "1", "welcome"));
  EXPECT_TRUE(names_failure(report, "2", "welcome"));
  EXPECT_TRUE(names_failure(report, "3", "init_priv"));
}

TEST(WelcomeVectors, PassiveClientFilesAreNotTakenForWelcome) {
  const auto passive = test_util::load_vector_file("mls/passive-client-welcome.json");
  ASSERT_FALSE(passive.empty());
  auto kind = detect_kind(passive);
  EXPECT_FALSE(kind.ok() && *kind == Kind::mls_welcome);
}

}  // namespace
}  // namespace conclave::vectors
