// Report: the outcome of checking one upstream vector file. Counts are in
// cases; a failed case lists every field that did not match, each naming
// the case ("17", or "header[17]" in files with several sections).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace conclave::vectors {

struct Failure {
  std::string where;   // the case: "17" or "header[17]"
  std::string field;   // the vector field that did not match, e.g. "ct"
  std::string detail;  // what went wrong, e.g. "expected 0a.., got 0b.."
};

class Report {
 public:
  size_t passed() const { return passed_; }
  size_t failed() const { return failed_; }
  const std::vector<Failure>& failures() const { return failures_; }

  void merge(const Report& other) {
    passed_ += other.passed_;
    failed_ += other.failed_;
    failures_.insert(failures_.end(), other.failures_.begin(), other.failures_.end());
  }

 private:
  friend class CaseCheck;
  size_t passed_ = 0;
  size_t failed_ = 0;
  std::vector<Failure> failures_;
};

// Checks one case: collect mismatches with fail(), and the destructor
// records the case in the report as passed or failed, exactly once.
//
//   CaseCheck c(report, "hpke", i);
//   if (got != want) c.fail("shared_secret", describe(want, got));
class CaseCheck {
 public:
  CaseCheck(Report& report, std::string where) : report_(report), where_(std::move(where)) {}
  CaseCheck(Report& report, const std::string& section, size_t index)
      : report_(report),
        where_(section.empty() ? std::to_string(index)
                               : section + "[" + std::to_string(index) + "]") {}
  CaseCheck(const CaseCheck&) = delete;
  CaseCheck& operator=(const CaseCheck&) = delete;
  ~CaseCheck() {
    if (failures_ == 0) {
      ++report_.passed_;
    } else {
      ++report_.failed_;
    }
  }

  void fail(std::string field, std::string detail) {
    ++failures_;
    report_.failures_.push_back({where_, std::move(field), std::move(detail)});
  }
  bool failed() const { return failures_ != 0; }
  const std::string& where() const { return where_; }

 private:
  Report& report_;
  std::string where_;
  size_t failures_ = 0;
};

}  // namespace conclave::vectors
