// Helpers shared by the vector-file tests: load an upstream file, tamper
// with one field, and look for a named failure in a Report.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/report.h"
#include "conclave/vectors/runner.h"

namespace conclave::vectors::test_util {

// Loads CONCLAVE_VECTORS_DIR/relative_path; a missing or unreadable file
// fails the test and yields an empty array.
inline nlohmann::json load_vector_file(const std::string& relative_path) {
  std::ifstream in(std::string(CONCLAVE_VECTORS_DIR) + "/" + relative_path);
  EXPECT_TRUE(in) << "cannot read " << relative_path;
  if (!in) return nlohmann::json::array();
  return nlohmann::json::parse(in);
}

// Changes one hex digit of a string field (counted from the start, or from
// the end with from_end = true) to a different digit.
inline void flip_hex_digit(nlohmann::json& field, size_t index = 0, bool from_end = false) {
  std::string s = field.get<std::string>();
  const size_t i = from_end ? s.size() - 1 - index : index;
  s[i] = s[i] == '0' ? '1' : '0';
  field = s;
}

// Whether the report names this case and field among its failures.
inline bool names_failure(const Report& r, const std::string& where, const std::string& field) {
  for (const auto& f : r.failures()) {
    if (f.where == where && f.field == field) return true;
  }
  return false;
}

// Every failure of a report, one per line, for assertion messages.
inline std::string failures_text(const Report& r, size_t max_failures = 30) {
  std::string out;
  size_t shown = 0;
  for (const auto& f : r.failures()) {
    if (shown++ == max_failures) break;
    out += "case " + f.where + ": " + f.field + ": " + f.detail + "\n";
  }
  return out;
}

using CheckFn = Report (*)(const nlohmann::json&);

// The whole upstream file: detected as `kind`, exactly `cases` cases
// passed and none failed; every failure is printed with case and field.
inline void expect_all_cases_pass(const nlohmann::json& doc, Kind kind, CheckFn check,
                                  size_t cases) {
  auto detected = detect_kind(doc);
  ASSERT_TRUE(detected.ok()) << "file not recognised";
  EXPECT_EQ(*detected, kind);
  const Report report = check(doc);
  for (const auto& f : report.failures()) {
    ADD_FAILURE() << "case " << f.where << ": " << f.field << ": " << f.detail;
  }
  EXPECT_EQ(report.passed(), cases);
  EXPECT_EQ(report.failed(), 0u);
}

// Files of the wrong shape are reported (nothing passes), never crashed on.
inline void expect_malformed_reported(CheckFn check, std::initializer_list<const char*> texts) {
  for (const char* text : texts) {
    const Report report = check(nlohmann::json::parse(text));
    EXPECT_EQ(report.passed(), 0u) << text;
  }
}

// Each field of `first_case` (but cipher_suite) replaced by a number: the
// one-case file fails, and nothing passes.
inline void expect_each_field_checked(CheckFn check, const nlohmann::json& first_case) {
  for (const auto& item : first_case.items()) {
    if (item.key() == "cipher_suite") continue;
    nlohmann::json broken = nlohmann::json::array({first_case});
    broken[0][item.key()] = 17;
    const Report report = check(broken);
    EXPECT_EQ(report.failed(), 1u) << item.key();
    EXPECT_EQ(report.passed(), 0u) << item.key();
  }
}

}  // namespace conclave::vectors::test_util
