// key-schedule.json from mlswg/mls-implementations: every case passes, and a
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

nlohmann::json load() { return test_util::load_vector_file("mls/key-schedule.json"); }
void flip(nlohmann::json& field) { test_util::flip_hex_digit(field); }
using test_util::names_failure;

TEST(KeyScheduleVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(load(), Kind::mls_key_schedule, check_mls_key_schedule, 7);
}

TEST(KeyScheduleVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_key_schedule, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 70000}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": \"1\"}]"});
  // Every field of a real case replaced by a wrong type.
  auto doc = load();
  ASSERT_FALSE(doc.empty());
  for (const auto& item : doc[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = doc;
    broken[0][name] = 17;
    const Report report = check_mls_key_schedule(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(KeyScheduleVectors, TamperedValuesAreReportedByField) {
  auto doc = load();
  ASSERT_EQ(doc.size(), 7u);
  flip(doc[0]["epochs"][2]["exporter"]["secret"]);
  flip(doc[3]["epochs"][4]["external_pub"]);
  flip(doc[5]["epochs"][0]["group_context"]);
  const Report report = check_mls_key_schedule(doc);
  EXPECT_EQ(report.passed(), 4u);
  EXPECT_EQ(report.failed(), 3u);
  EXPECT_TRUE(names_failure(report, "0", "epochs[2].exporter.secret"));
  EXPECT_TRUE(names_failure(report, "3", "epochs[4].external_pub"));
  EXPECT_TRUE(names_failure(report, "5", "epochs[0].group_context"));
}

TEST(KeyScheduleVectors, AWrongSecretPropagatesAlongTheChain) {
  auto doc = load();
  flip(doc[1]["epochs"][1]["commit_secret"]);
  const Report report = check_mls_key_schedule(doc);
  EXPECT_EQ(report.failed(), 1u);
  EXPECT_FALSE(names_failure(report, "1", "epochs[0].joiner_secret"));
  EXPECT_TRUE(names_failure(report, "1", "epochs[1].joiner_secret"));
  EXPECT_TRUE(names_failure(report, "1", "epochs[4].epoch_authenticator"));
}

// Quirk 2: the exporter label is the literal string, not hex.
TEST(KeyScheduleVectors, ExporterLabelIsUsedAsAString) {
  auto doc = load();
  auto& exporter = doc[0]["epochs"][0]["exporter"];
  const std::string label = exporter["label"].get<std::string>();
  exporter["label"] = label.substr(0, label.size() - 1);
  const Report report = check_mls_key_schedule(nlohmann::json::array({doc[0]}));
  EXPECT_TRUE(names_failure(report, "0", "epochs[0].exporter.secret"));
}

}  // namespace
}  // namespace conclave::vectors
