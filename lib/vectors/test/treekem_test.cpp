// treekem.json from mlswg/mls-implementations: every case passes, and a
// changed or malformed value is reported under its case and field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"

namespace conclave::vectors {
namespace {

const nlohmann::json& doc() {
  static const nlohmann::json d = [] {
    std::ifstream in(CONCLAVE_VECTORS_DIR "/mls/treekem.json");
    EXPECT_TRUE(in) << "cannot read treekem.json";
    if (!in) return nlohmann::json::array();
    return nlohmann::json::parse(in);
  }();
  return d;
}

// Changes one hex digit in the middle of a string field.
void flip(nlohmann::json& field) {
  std::string s = field.get<std::string>();
  char& ch = s[s.size() / 2];
  ch = ch == '0' ? '1' : '0';
  field = s;
}

TEST(TreeKemVectors, AllCasesPass) {
  EXPECT_EQ(detect_kind(doc()).value(), Kind::mls_treekem);
  const Report report = check_mls_treekem(doc());
  for (const auto& f : report.failures()) {
    ADD_FAILURE() << "case " << f.where << ": " << f.field << ": " << f.detail;
  }
  EXPECT_EQ(report.passed(), 77u);
  EXPECT_EQ(report.failed(), 0u);
}

TEST(TreeKemVectors, MalformedFilesAreReportedNotCrashedOn) {
  for (const char* text :
       {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 1}]"}) {
    const Report report = check_mls_treekem(nlohmann::json::parse(text));
    EXPECT_EQ(report.passed(), 0u) << text;
  }
  ASSERT_FALSE(doc().empty());
  for (const auto& item : doc()[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    nlohmann::json broken = nlohmann::json::array({doc()[0]});
    broken[0][name] = 17;
    const Report report = check_mls_treekem(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_EQ(report.passed(), 0u) << name;
  }
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
