// tree-operations.json from mlswg/mls-implementations: every case passes, and a
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
  static const nlohmann::json d = test_util::load_vector_file("mls/tree-operations.json");
  return d;
}

// Changes one hex digit in the middle of a string field.
void flip(nlohmann::json& field) {
  test_util::flip_hex_digit(field, field.get<std::string>().size() / 2);
}

TEST(TreeOperationsVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(doc(), Kind::mls_tree_operations, check_mls_tree_operations, 5);
}

TEST(TreeOperationsVectors, MalformedFilesAreReportedNotCrashedOn) {
  for (const char* text :
       {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 1}]"}) {
    const Report report = check_mls_tree_operations(nlohmann::json::parse(text));
    EXPECT_EQ(report.passed(), 0u) << text;
  }
  ASSERT_FALSE(doc().empty());
  for (const auto& item : doc()[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    nlohmann::json broken = nlohmann::json::array({doc()[0]});
    broken[0][name] = 17;
    const Report report = check_mls_tree_operations(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_EQ(report.passed(), 0u) << name;
  }
}

TEST(TreeOperationsVectors, TamperedValuesFail) {
  ASSERT_FALSE(doc().empty());
  for (const auto& item : doc()[0].items()) {
    if (!item.value().is_string()) continue;
    nlohmann::json broken = nlohmann::json::array({doc()[0]});
    flip(broken[0][item.key()]);
    const Report report = check_mls_tree_operations(broken);
    EXPECT_EQ(report.failed(), 1u) << item.key();
  }
}

}  // namespace
}  // namespace conclave::vectors
