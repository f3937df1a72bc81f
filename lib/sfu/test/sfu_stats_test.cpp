#include "conclave/sfu/sfu_stats.h"

#include <gtest/gtest.h>

namespace conclave::sfu {
namespace {

TEST(SfuStatsTest, PrometheusTextHasEveryReason) {
  SfuStats stats;
  stats.rtp_in = 42;
  stats.drop(DropReason::srtp_auth_failed);
  stats.drop(DropReason::srtp_auth_failed);
  EXPECT_EQ(stats.total_drops(), 2u);
  std::string text = stats.prometheus_text();
  EXPECT_NE(text.find("conclave_sfu_rtp_received_total 42\n"), std::string::npos);
  EXPECT_NE(text.find("conclave_sfu_dropped_total{reason=\"srtp_auth_failed\"} 2\n"),
            std::string::npos);
  for (size_t i = 0; i < kDropReasonCount; ++i) {
    std::string name(to_string(static_cast<DropReason>(i)));
    EXPECT_NE(name, "unknown");
    EXPECT_NE(text.find("reason=\"" + name + "\""), std::string::npos) << name;
  }
  // Every sample line is "name value" or "name{labels} value".
  size_t samples = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    ASSERT_NE(end, std::string::npos);
    std::string line = text.substr(pos, end - pos);
    if (line[0] != '#') {
      ++samples;
      EXPECT_EQ(line.rfind("conclave_sfu_", 0), 0u) << line;
      EXPECT_NE(line.find(' '), std::string::npos) << line;
    }
    pos = end + 1;
  }
  EXPECT_EQ(samples, 14 + kDropReasonCount);
}

}  // namespace
}  // namespace conclave::sfu
