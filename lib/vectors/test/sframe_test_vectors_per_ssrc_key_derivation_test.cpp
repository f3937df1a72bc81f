// draft-ietf-avtcore-rtp-sframe test-vectors-per-ssrc-key-derivation.json
// through check_sframe_per_ssrc.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

nlohmann::json load_vectors() { return test_util::load_vector_file("sframe/test-vectors-per-ssrc-key-derivation.json"); }

using test_util::failures_text;

TEST(SframePerSsrcVectors, AllCasesPass) {
  const auto doc = load_vectors();
  ASSERT_TRUE(doc.is_object());
  ASSERT_EQ(doc.at("sframe_per_ssrc_key_derivation").size(), 8u);
  const Report r = check_sframe_per_ssrc(doc);
  EXPECT_EQ(r.passed(), 8u) << failures_text(r);
  EXPECT_EQ(r.failed(), 0u) << failures_text(r);
}

TEST(SframePerSsrcVectors, IsDetectedByKind) {
  auto kind = detect_kind(load_vectors());
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, Kind::sframe_per_ssrc);
}

TEST(SframePerSsrcVectors, SwappedSsrcIsReported) {
  auto doc = load_vectors();
  auto& c = doc["sframe_per_ssrc_key_derivation"][5];
  std::swap(c["ssrc_a"], c["ssrc_b"]);
  const Report r = check_sframe_per_ssrc(doc);
  EXPECT_EQ(r.passed(), 7u);
  ASSERT_EQ(r.failed(), 1u);
  std::string fields;
  for (const auto& f : r.failures()) {
    EXPECT_EQ(f.where, "sframe_per_ssrc_key_derivation[5]");
    fields += f.field + " ";
  }
  EXPECT_EQ(fields, "stream_key_a stream_key_b ");
}

TEST(SframePerSsrcVectors, MalformedFilesAreReportedNotCrashed) {
  EXPECT_EQ(check_sframe_per_ssrc(nlohmann::json::array()).failed(), 1u);
  auto doc = load_vectors();
  doc["sframe_per_ssrc_key_derivation"][0]["ssrc_a"] = 1ULL << 40;
  doc["sframe_per_ssrc_key_derivation"][1].erase("base_key");
  doc["sframe_per_ssrc_key_derivation"][2] = nullptr;
  const Report r = check_sframe_per_ssrc(doc);
  EXPECT_EQ(r.failed(), 3u) << failures_text(r);
  EXPECT_EQ(r.passed(), 5u) << failures_text(r);
}

}  // namespace
}  // namespace conclave::vectors
