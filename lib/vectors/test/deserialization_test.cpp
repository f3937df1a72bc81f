// The mlswg deserialization.json vectors (RFC 9420 section 2.1.2 varint
// length headers) through check_mls_deserialization, plus tampered copies
// that must fail with the right field named.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"
#include "vector_test_util.h"

namespace conclave::vectors {
namespace {

nlohmann::json load_vectors() { return test_util::load_vector_file("mls/deserialization.json"); }

using test_util::failures_text;

TEST(MlsDeserializationVectors, AllCasesPass) {
  const auto doc = load_vectors();
  ASSERT_TRUE(doc.is_array());
  const Report r = check_mls_deserialization(doc);
  EXPECT_EQ(r.passed(), 14u) << failures_text(r);
  EXPECT_EQ(r.failed(), 0u) << failures_text(r);
}

TEST(MlsDeserializationVectors, IsDetectedAndRunByKind) {
  const auto doc = load_vectors();
  auto kind = detect_kind(doc);
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, Kind::mls_deserialization);
}

TEST(MlsDeserializationVectors, WrongLengthFailsNamingLength) {
  auto doc = load_vectors();
  ASSERT_TRUE(doc.is_array());
  ASSERT_GT(doc.size(), 3u);
  doc[3]["length"] = doc[3]["length"].get<uint64_t>() + 1;
  const Report r = check_mls_deserialization(doc);
  EXPECT_EQ(r.failed(), 1u);
  EXPECT_EQ(r.passed(), doc.size() - 1);
  ASSERT_FALSE(r.failures().empty());
  EXPECT_EQ(r.failures()[0].where, "3");
  EXPECT_EQ(r.failures()[0].field, "length");
}

TEST(MlsDeserializationVectors, NonMinimalHeaderFails) {
  // 37 in the two-byte form (RFC 9420 2.1.2 forbids it): decoding rejects
  // it and our encoder writes 0x25 instead.
  const auto doc = nlohmann::json::parse(R"([{"vlbytes_header": "4025", "length": 37}])");
  const Report r = check_mls_deserialization(doc);
  EXPECT_EQ(r.failed(), 1u);
  ASSERT_EQ(r.failures().size(), 2u) << failures_text(r);
  EXPECT_EQ(r.failures()[0].field, "vlbytes_header");
  EXPECT_NE(r.failures()[0].detail.find("not minimally"), std::string::npos);
  EXPECT_EQ(r.failures()[1].field, "vlbytes_header");
}

TEST(MlsDeserializationVectors, TrailingByteFails) {
  const auto doc = nlohmann::json::parse(R"([{"vlbytes_header": "0d00", "length": 13}])");
  const Report r = check_mls_deserialization(doc);
  EXPECT_EQ(r.failed(), 1u);
  EXPECT_EQ(r.passed(), 0u);
}

TEST(MlsDeserializationVectors, MalformedFileIsReportedNotCrashed) {
  const auto doc = nlohmann::json::parse(R"([
    {"vlbytes_header": "zz", "length": 1},
    {"vlbytes_header": "00"},
    {"vlbytes_header": "00", "length": -1},
    {"vlbytes_header": "bfffffff", "length": 4294967296},
    {"length": 0},
    7
  ])");
  const Report r = check_mls_deserialization(doc);
  EXPECT_EQ(r.passed(), 0u);
  EXPECT_EQ(r.failed(), 6u);
  const Report top = check_mls_deserialization(nlohmann::json::object());
  EXPECT_EQ(top.failed(), 1u);
}

}  // namespace
}  // namespace conclave::vectors
