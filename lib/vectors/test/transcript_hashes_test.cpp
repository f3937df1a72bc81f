// transcript-hashes.json from mlswg/mls-implementations: every case passes, and a
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

nlohmann::json load() { return test_util::load_vector_file("mls/transcript-hashes.json"); }
void flip(nlohmann::json& field) { test_util::flip_hex_digit(field); }
using test_util::names_failure;

TEST(TranscriptHashesVectors, AllCasesPass) {
  test_util::expect_all_cases_pass(load(), Kind::mls_transcript_hashes, check_mls_transcript_hashes, 7);
}

TEST(TranscriptHashesVectors, MalformedFilesAreReportedNotCrashedOn) {
  test_util::expect_malformed_reported(check_mls_transcript_hashes, {"{}", "[]", "[1]", "[{}]", "[{\"cipher_suite\": 99}]", "[{\"cipher_suite\": 70000}]", "[{\"cipher_suite\": 1}]", "[{\"cipher_suite\": \"1\"}]"});
  // Every field of a real case replaced by a wrong type.
  auto doc = load();
  ASSERT_FALSE(doc.empty());
  for (const auto& item : doc[0].items()) {
    const std::string name = item.key();
    if (name == "cipher_suite") continue;
    auto broken = doc;
    broken[0][name] = 17;
    const Report report = check_mls_transcript_hashes(broken);
    EXPECT_EQ(report.failed(), 1u) << name;
    EXPECT_TRUE(names_failure(report, "0", name)) << name;
  }
}

TEST(TranscriptHashesVectors, TamperedValuesAreReportedByField) {
  auto doc = load();
  ASSERT_EQ(doc.size(), 7u);
  flip(doc[0]["confirmation_key"]);
  flip(doc[1]["interim_transcript_hash_before"]);
  flip(doc[2]["interim_transcript_hash_after"]);
  doc[3]["authenticated_content"] = "0001";
  const Report report = check_mls_transcript_hashes(doc);
  EXPECT_EQ(report.passed(), 3u);
  EXPECT_EQ(report.failed(), 4u);
  EXPECT_TRUE(names_failure(report, "0", "authenticated_content.confirmation_tag"));
  EXPECT_TRUE(names_failure(report, "1", "confirmed_transcript_hash_after"));
  EXPECT_TRUE(names_failure(report, "2", "interim_transcript_hash_after"));
  EXPECT_TRUE(names_failure(report, "3", "authenticated_content"));
}

}  // namespace
}  // namespace conclave::vectors
