// The RFC 9180 vectors (cfrg test-vectors.json), checked by check_hpke: 4
// modes x 32 suites, every encryption and export of every case.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/vectors/runner.h"

namespace conclave::vectors {
namespace {

nlohmann::json load(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::string describe(const Report& report, size_t max_failures = 30) {
  std::string out;
  size_t n = 0;
  for (const auto& f : report.failures()) {
    if (n++ == max_failures) {
      out += "...\n";
      break;
    }
    out += "case " + f.where + ": " + f.field + ": " + f.detail + "\n";
  }
  return out;
}

const std::string kFile = CONCLAVE_VECTORS_DIR "/hpke/test-vectors.json";

TEST(HpkeTestVectors, AllCasesPass) {
  const auto doc = load(kFile);
  ASSERT_FALSE(doc.is_discarded());
  auto kind = detect_kind(doc);
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, Kind::hpke);
  const Report report = check_hpke(doc);
  EXPECT_EQ(report.passed(), 128U);
  EXPECT_EQ(report.failed(), 0U) << describe(report);
}

TEST(HpkeTestVectors, TamperedValuesAreReportedByField) {
  auto doc = load(kFile);
  ASSERT_TRUE(doc.is_array() && doc.size() == 128);
  // One changed byte in each of several fields, each in its own case.
  auto flip = [](nlohmann::json& field) {
    std::string s = field.get<std::string>();
    s[0] = s[0] == '0' ? '1' : '0';
    field = s;
  };
  flip(doc[3]["shared_secret"]);
  flip(doc[17]["encryptions"][12]["ct"]);
  flip(doc[40]["exports"][1]["exported_value"]);
  flip(doc[70]["skRm"]);
  flip(doc[100]["encryptions"][200]["pt"]);
  flip(doc[127]["exporter_secret"]);
  const Report report = check_hpke(doc);
  EXPECT_EQ(report.passed(), 122U);
  EXPECT_EQ(report.failed(), 6U);
  auto has = [&](const std::string& where, const std::string& field) {
    for (const auto& f : report.failures()) {
      if (f.where == where && f.field == field) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("3", "shared_secret")) << describe(report);
  EXPECT_TRUE(has("17", "encryptions[12].ct")) << describe(report);
  EXPECT_TRUE(has("40", "exports[1].exported_value")) << describe(report);
  EXPECT_TRUE(has("70", "skRm")) << describe(report);
  EXPECT_TRUE(has("100", "encryptions[200].ct")) << describe(report);
  EXPECT_TRUE(has("127", "exporter_secret")) << describe(report);
  // One bad ciphertext does not put the receiver out of step.
  size_t case17 = 0;
  for (const auto& f : report.failures()) case17 += f.where == "17" ? 1U : 0U;
  EXPECT_EQ(case17, 1U) << describe(report);
}

TEST(HpkeTestVectors, MalformedFilesAreFailuresNotCrashes) {
  auto doc = load(kFile);
  ASSERT_TRUE(doc.is_array() && doc.size() == 128);
  doc[0].erase("enc");            // missing field
  doc[1]["pkRm"] = "zz";          // bad hex
  doc[2]["mode"] = "base";        // wrong type
  doc[3]["kem_id"] = 0x99;        // unknown KEM
  doc[4]["encryptions"][5] = 17;  // not an object
  doc[5]["exports"] = "none";     // not an array
  doc[6] = nullptr;               // not a case at all
  doc[7]["encryptions"][0].erase("aad");
  doc[8]["exports"][0]["L"] = -1;
  doc[9]["ikmE"] = "abc";  // odd length
  const Report report = check_hpke(doc);
  EXPECT_EQ(report.passed(), 118U);
  EXPECT_EQ(report.failed(), 10U) << describe(report);
  auto count = [&](const std::string& where) {
    size_t n = 0;
    for (const auto& f : report.failures()) n += f.where == where ? 1U : 0U;
    return n;
  };
  // The unknown KEM is named; the broken encryption entry costs only its own
  // four fields, not the 251 messages after it.
  bool kem_named = false;
  for (const auto& f : report.failures()) {
    kem_named = kem_named || (f.where == "3" && f.field == "suite");
  }
  EXPECT_TRUE(kem_named) << describe(report);
  EXPECT_EQ(count("4"), 4U) << describe(report);

  EXPECT_EQ(check_hpke(nlohmann::json::object()).failed(), 1U);
  EXPECT_EQ(check_hpke(nlohmann::json::array()).passed(), 0U);
  const Report junk = check_hpke(nlohmann::json::array({1, "x", nlohmann::json::array()}));
  EXPECT_EQ(junk.failed(), 3U);
}

}  // namespace
}  // namespace conclave::vectors
