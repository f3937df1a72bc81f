// treekem.json from mlswg/mls-implementations: every case passes, and a
// changed or malformed value is reported under its case and field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

const nlohmann::json& doc() {
  static const nlohmann::json d = test_util::load_vector_file("mls/treekem.json");
  return d;
}

// Changes one hex digit in the middle of a string field.
void flip(nlohmann::json& field) {
  test_util::flip_hex_digit(field, field.get<std::string>().size() / 2);
}

TEST(TreeKemVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(doc(), Kind::mls_treekem, check_mls_treekem, 77);
}

TEST(TreeKemVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_treekem, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 1}]"});
  ASSERT_FALSE(doc().empty());
  test_util::expect_each_field_checked(check_mls_treekem, doc()[0]);
}

TEST(TreeKemVectors, TamperedValuesFail) {
  ASSERT_FALSE(doc().empty());
  for (const auto& item : doc()[0].items()) {
    if (!item.value().is_string()) continue;
    nlohmann::json broken = nlohmann::json::array({doc()[0]});
    flip(broken[0][item.key()]);
    const Report report = check_mls_treekem(broken);
    EXPECT_EQ(report.failed(), 1u) << item.key();
  }
}

}  // namespace
}  // namespace conclave::vectors
