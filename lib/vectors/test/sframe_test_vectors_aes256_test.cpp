// sframe-wg test-vectors-aes256.json: full SFrame encrypt/decrypt for the
// AES-256-CTR-HMAC suites 6-8, through check_sframe.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

nlohmann::json load_vectors() { return test_util::load_vector_file("sframe/test-vectors-aes256.json"); }

using test_util::failures_text;

TEST(SframeTestVectorsAes256, AllCasesPass) {
  const auto doc = load_vectors();
  ASSERT_TRUE(doc.is_object());
  ASSERT_EQ(doc.at("sframe_aes_256_ctr_hmac").size(), 3u);
  const Report r = check_sframe(doc);
  EXPECT_EQ(r.passed(), 3u) << failures_text(r);
  EXPECT_EQ(r.failed(), 0u) << failures_text(r);
}

TEST(SframeTestVectorsAes256, IsDetectedAsSframe) {
  auto kind = detect_kind(load_vectors());
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, Kind::sframe);
}

TEST(SframeTestVectorsAes256, AlteredCiphertextIsReported) {
  auto doc = load_vectors();
  auto& c = doc["sframe_aes_256_ctr_hmac"][2];
  std::string ct = c["ct"].get<std::string>();
  ct[ct.size() - 1] = ct.back() == '0' ? '1' : '0';
  c["ct"] = ct;
  const Report r = check_sframe(doc);
  EXPECT_EQ(r.passed(), 2u);
  ASSERT_EQ(r.failed(), 1u);
  bool named = false;
  for (const auto& f : r.failures()) named |= f.where == "sframe_aes_256_ctr_hmac[2]" && f.field == "ct";
  EXPECT_TRUE(named) << failures_text(r);
}

}  // namespace
}  // namespace conclave::vectors
