// message-protection.json from mlswg/mls-implementations: every case passes
// (the upstream messages unprotect, ours round-trip, application data as
// PublicMessage is refused), and a changed or malformed value is reported
// under its case and field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

nlohmann::json load() {
  return test_util::load_vector_file("mls/message-protection.json");
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

TEST(MessageProtectionVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(doc(), Kind::mls_message_protection, check_mls_message_protection, 7);
}

TEST(MessageProtectionVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_message_protection, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": \"1\"}]"});
  ASSERT_FALSE(doc().empty());
  for (const auto& item : doc()[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = nlohmann::json::array({doc()[0]});
    broken[0][name] = 17;
    const Report report = check_mls_message_protection(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(MessageProtectionVectors, TamperedMessagesAreReportedByField) {
  auto d = doc();
  ASSERT_EQ(d.size(), 7u);
  flip(d[1]["proposal_pub"]);          // last byte of the membership tag
  flip(d[2]["commit_priv"]);           // last byte of the content ciphertext's tag
  flip(d[3]["application_priv"], 40);  // inside the ciphertext
  flip(d[4]["membership_key"]);
  flip(d[5]["application"]);  // the raw payload no longer matches
  const Report report = check_mls_message_protection(d);
  EXPECT_EQ(report.passed(), 2u);
  EXPECT_EQ(report.failed(), 5u);
  EXPECT_TRUE(names_failure(report, "1", "proposal_pub"));
  EXPECT_TRUE(names_failure(report, "2", "commit_priv"));
  EXPECT_TRUE(names_failure(report, "3", "application_priv"));
  EXPECT_TRUE(names_failure(report, "4", "proposal_pub"));
  EXPECT_TRUE(names_failure(report, "4", "commit_pub"));
  EXPECT_TRUE(names_failure(report, "5", "application_priv"));
}

}  // namespace
}  // namespace conclave::vectors
