// The mlswg messages.json vectors (every RFC 9420 wire struct decodes as its
// type and re-encodes to the same bytes) through check_mls_messages, plus
// tampered copies that must fail naming the case and the field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"

namespace conclave::vectors {
namespace {

const nlohmann::json& vectors() {
  // 2.7 MB: parsed once per test binary.
  static const nlohmann::json doc = [] {
    std::ifstream in(CONCLAVE_VECTORS_DIR "/mls/messages.json");
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }();
  return doc;
}

std::string failures_text(const Report& r) {
  std::string out;
  for (const auto& f : r.failures()) out += f.where + " " + f.field + ": " + f.detail + "\n";
  return out;
}

TEST(MlsMessagesVectors, AllCasesPass) {
  ASSERT_TRUE(vectors().is_array());
  const Report r = check_mls_messages(vectors());
  EXPECT_EQ(r.passed(), 300u) << failures_text(r);
  EXPECT_EQ(r.failed(), 0u) << failures_text(r);
}

TEST(MlsMessagesVectors, IsDetectedAndRunByKind) {
  auto kind = detect_kind(vectors());
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, Kind::mls_messages);
  EXPECT_EQ(kind_name(Kind::mls_messages), "mls-messages");
  EXPECT_EQ(run(Kind::mls_messages, vectors()).passed(), 300u);
}

// One case with one field replaced.
nlohmann::json one_case(const char* field, const std::string& hex) {
  nlohmann::json doc = nlohmann::json::array({vectors().at(5)});
  doc[0][field] = hex;
  return doc;
}

void expect_single_failure(const nlohmann::json& doc, const char* field) {
  const Report r = check_mls_messages(doc);
  EXPECT_EQ(r.passed(), 0u);
  EXPECT_EQ(r.failed(), 1u);
  ASSERT_EQ(r.failures().size(), 1u) << failures_text(r);
  EXPECT_EQ(r.failures()[0].where, "0");
  EXPECT_EQ(r.failures()[0].field, field);
}

TEST(MlsMessagesVectors, TrailingByteFailsNamingField) {
  const std::string commit = vectors().at(5).at("commit").get<std::string>();
  expect_single_failure(one_case("commit", commit + "00"), "commit");
}

TEST(MlsMessagesVectors, TruncatedMessageFails) {
  const std::string welcome = vectors().at(5).at("mls_welcome").get<std::string>();
  expect_single_failure(one_case("mls_welcome", welcome.substr(0, welcome.size() - 2)),
                        "mls_welcome");
}

TEST(MlsMessagesVectors, WrongWireFormatFails) {
  // A well-formed GroupInfo message given where a Welcome is expected.
  const std::string group_info = vectors().at(5).at("mls_group_info").get<std::string>();
  expect_single_failure(one_case("mls_welcome", group_info), "mls_welcome");
}

TEST(MlsMessagesVectors, WrongContentTypeFails) {
  const std::string proposal = vectors().at(5).at("public_message_proposal").get<std::string>();
  expect_single_failure(one_case("public_message_commit", proposal), "public_message_commit");
}

TEST(MlsMessagesVectors, MalformedFileIsReportedNotCrashed) {
  const auto doc = nlohmann::json::parse(R"([{"commit": "zz"}, 7, {"commit": 12}])");
  const Report r = check_mls_messages(doc);
  EXPECT_EQ(r.passed(), 0u);
  EXPECT_EQ(r.failed(), 3u);
  EXPECT_EQ(check_mls_messages(nlohmann::json::object()).failed(), 1u);
}

}  // namespace
}  // namespace conclave::vectors
