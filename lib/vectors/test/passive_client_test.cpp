// passive-client-welcome.json and passive-client-handling-commit.json from
// mlswg/mls-implementations: a client joins from the Welcome and follows
// every proposal and commit through mls::Group, reaching each epoch
// authenticator; a changed or malformed value is reported under its case
// and field. (passive-client-random.json has the same format and goes
// through the same check by path.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

using test_util::names_failure;

const nlohmann::json& welcome_doc() {
  static const nlohmann::json d = test_util::load_vector_file("mls/passive-client-welcome.json");
  return d;
}

const nlohmann::json& commit_doc() {
  static const nlohmann::json d =
      test_util::load_vector_file("mls/passive-client-handling-commit.json");
  return d;
}

TEST(PassiveClientVectors, WelcomeCasesPass) {
  test_util::expect_all_cases_pass(welcome_doc(), Kind::mls_passive_client,
                                   check_mls_passive_client, 56);
}

TEST(PassiveClientVectors, HandlingCommitCasesPass) {
  test_util::expect_all_cases_pass(commit_doc(), Kind::mls_passive_client,
                                   check_mls_passive_client, 91);
}

TEST(PassiveClientVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_passive_client, {"{}", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": 1, \"epochs\": 3}]"});
  ASSERT_FALSE(commit_doc().empty());
  for (const auto& item : commit_doc()[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = nlohmann::json::array({commit_doc()[0]});
    broken[0][name] = 17;
    const Report report = check_mls_passive_client(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(PassiveClientVectors, TamperedValuesAreReportedByField) {
  // A case with proposals by reference (in its second epoch).
  size_t with_proposals = commit_doc().size();
  for (size_t i = 0; i < commit_doc().size(); ++i) {
    if (!commit_doc()[i]["epochs"][1]["proposals"].empty()) {
      with_proposals = i;
      break;
    }
  }
  ASSERT_LT(with_proposals, commit_doc().size());
  auto d = nlohmann::json::array({commit_doc()[0], commit_doc()[1], commit_doc()[with_proposals],
                                  commit_doc()[3]});
  test_util::flip_hex_digit(d[0]["epochs"][1]["epoch_authenticator"], 0, true);
  test_util::flip_hex_digit(d[1]["epochs"][0]["commit"], 40, true);  // inside the signed content
  // A proposal the commit refers to, changed: its signature fails.
  test_util::flip_hex_digit(d[2]["epochs"][1]["proposals"][0], 40, true);
  test_util::flip_hex_digit(d[3]["initial_epoch_authenticator"], 0, true);
  const Report report = check_mls_passive_client(d);
  EXPECT_EQ(report.passed(), 0u);
  EXPECT_EQ(report.failed(), 4u);
  EXPECT_TRUE(names_failure(report, "0", "epochs[1].epoch_authenticator"));
  EXPECT_TRUE(names_failure(report, "1", "epochs[0].commit"));
  EXPECT_TRUE(names_failure(report, "2", "epochs[1].proposals[0]"));
  EXPECT_TRUE(names_failure(report, "3", "initial_epoch_authenticator"));
}

}  // namespace
}  // namespace conclave::vectors
