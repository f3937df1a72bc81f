// tree-math.json from mlswg/mls-implementations.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "conclave/vectors/runner.h"

namespace conclave::vectors {
namespace {

TEST(TreeMathVectors, AllCasesPass) {
  std::ifstream in(CONCLAVE_VECTORS_DIR "/mls/tree-math.json");
  ASSERT_TRUE(in) << "cannot read tree-math.json";
  const auto doc = nlohmann::json::parse(in);
  const Report report = check_mls_tree_math(doc);
  for (const auto& f : report.failures()) {
    ADD_FAILURE() << "case " << f.where << ": " << f.field << ": " << f.detail;
  }
  EXPECT_EQ(report.passed(), 10u);
  EXPECT_EQ(report.failed(), 0u);
}

}  // namespace
}  // namespace conclave::vectors
