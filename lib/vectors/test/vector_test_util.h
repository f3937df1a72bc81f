// Helpers shared by the vector-file tests: load an upstream file, tamper
// with one field, and look for a named failure in a Report.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/report.h"

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

}  // namespace conclave::vectors::test_util
