// sframe-wg test-vectors.json (RFC 9605 appendix C, plus the later
// aes_256_ctr_hmac section) through check_sframe, and tampered copies that
// must fail naming the section, index and field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

nlohmann::json load_vectors() { return test_util::load_vector_file("sframe/test-vectors.json"); }

using test_util::failures_text;

bool has_failure(const Report& r, const std::string& where, const std::string& field) {
  return test_util::names_failure(r, where, field);
}

// Flips the lowest bit of the last byte of a hex string.
std::string flip_last_bit(std::string hex) {
  char& c = hex.back();
  const int v = std::stoi(std::string(1, c), nullptr, 16) ^ 1;
  c = "0123456789abcdef"[v];
  return hex;
}

TEST(SframeTestVectors, AllCasesPass) {
  const auto doc = load_vectors();
  ASSERT_TRUE(doc.is_object());
  ASSERT_EQ(doc.at("header").size(), 289u);
  ASSERT_EQ(doc.at("aes_ctr_hmac").size(), 3u);
  ASSERT_EQ(doc.at("aes_256_ctr_hmac").size(), 3u);
  ASSERT_EQ(doc.at("sframe").size(), 5u);
  const Report r = check_sframe(doc);
  EXPECT_EQ(r.passed(), 289u + 3u + 3u + 5u) << failures_text(r);
  EXPECT_EQ(r.failed(), 0u) << failures_text(r);
}

TEST(SframeTestVectors, IsDetectedAsSframe) {
  auto kind = detect_kind(load_vectors());
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, Kind::sframe);
}

TEST(SframeTestVectors, AlteredHeaderEncodingIsReported) {
  auto doc = load_vectors();
  auto& c = doc["header"][17];
  c["encoded"] = flip_last_bit(c["encoded"].get<std::string>());
  const Report r = check_sframe(doc);
  EXPECT_EQ(r.failed(), 1u);
  EXPECT_TRUE(has_failure(r, "header[17]", "encoded")) << failures_text(r);
}

TEST(SframeTestVectors, AlteredCtrHmacCiphertextIsReported) {
  auto doc = load_vectors();
  auto& c = doc["aes_ctr_hmac"][1];
  c["ct"] = flip_last_bit(c["ct"].get<std::string>());
  const Report r = check_sframe(doc);
  EXPECT_EQ(r.failed(), 1u);
  // The tag no longer matches: encryption gives a different ct, and
  // decryption refuses the altered one.
  EXPECT_TRUE(has_failure(r, "aes_ctr_hmac[1]", "ct")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "aes_ctr_hmac[1]", "pt")) << failures_text(r);
}

TEST(SframeTestVectors, AlteredSframeIntermediatesAreReported) {
  auto doc = load_vectors();
  auto& c = doc["sframe"][3];
  c["sframe_salt"] = flip_last_bit(c["sframe_salt"].get<std::string>());
  c["sframe_secret"] = flip_last_bit(c["sframe_secret"].get<std::string>());
  const Report r = check_sframe(doc);
  EXPECT_EQ(r.failed(), 1u);
  EXPECT_TRUE(has_failure(r, "sframe[3]", "sframe_salt")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "sframe[3]", "sframe_secret")) << failures_text(r);
  EXPECT_FALSE(has_failure(r, "sframe[3]", "ct")) << failures_text(r);
}

TEST(SframeTestVectors, AlteredMetadataIsReported) {
  auto doc = load_vectors();
  auto& c = doc["sframe"][0];
  c["metadata"] = flip_last_bit(c["metadata"].get<std::string>());
  const Report r = check_sframe(doc);
  EXPECT_TRUE(has_failure(r, "sframe[0]", "ct")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "sframe[0]", "pt")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "sframe[0]", "aad")) << failures_text(r);
}

TEST(SframeTestVectors, MalformedFilesAreReportedNotCrashed) {
  EXPECT_EQ(check_sframe(nlohmann::json::array()).failed(), 1u);
  EXPECT_EQ(check_sframe(nlohmann::json::object()).failed(), 1u);

  auto doc = load_vectors();
  doc["header"][0].erase("kid");
  doc["header"][1]["ctr"] = -1;
  doc["header"][2]["encoded"] = "zz";
  doc["header"][3] = 7;
  doc["sframe"][1]["cipher_suite"] = 99;
  doc["sframe"][2]["base_key"] = "";
  doc["aes_ctr_hmac"] = "not an array";
  doc["unknown"] = nlohmann::json::array();
  const Report r = check_sframe(doc);
  EXPECT_TRUE(has_failure(r, "header[0]", "kid")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "header[1]", "ctr")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "header[2]", "encoded")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "header[3]", "")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "sframe[1]", "cipher_suite")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "sframe[2]", "base_key")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "aes_ctr_hmac", "")) << failures_text(r);
  EXPECT_TRUE(has_failure(r, "unknown", "")) << failures_text(r);
  EXPECT_EQ(r.failed(), 8u) << failures_text(r);
}

}  // namespace
}  // namespace conclave::vectors
