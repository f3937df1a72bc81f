#include "conclave/client/synthetic_source.h"

#include <gtest/gtest.h>

namespace conclave::client {
namespace {

TEST(SyntheticSource, VideoFramesCarryTheBitrateAtTheFrameRate) {
  SyntheticSource s({.video_kbps = 1000, .fps = 30});
  EXPECT_EQ(s.video_frame_size(), 1000u * 1000 / 8 / 30);
  size_t bytes = 0;
  for (int i = 0; i < 30; ++i) bytes += s.next_video().data.size();
  // One second of frames: the bitrate, within the rounding of one byte a frame.
  EXPECT_NEAR(static_cast<double>(bytes) * 8, 1'000'000.0, 30 * 8);
}

TEST(SyntheticSource, KeyFrameFirstThenEveryIntervalAndOnRequest) {
  SyntheticSource s({.fps = 30, .key_frame_interval = std::chrono::milliseconds(2000)});
  std::vector<int> keys;
  for (int i = 0; i < 130; ++i) {
    if (i == 75) s.request_key_frame();
    if (s.next_video().key_frame) keys.push_back(i);
  }
  EXPECT_EQ(keys, (std::vector<int>{0, 60, 75, 120}));
}

TEST(SyntheticSource, VideoTimestampsAdvanceOnThe90kHzClock) {
  SyntheticSource s({.fps = 30});
  EXPECT_EQ(s.next_video().timestamp, 0);
  EXPECT_EQ(s.next_video().timestamp, 3000);
  EXPECT_EQ(s.next_video().timestamp, 6000);
}

TEST(SyntheticSource, AudioFramesAreTwentyMillisecondsOfTheConfiguredSize) {
  SyntheticSource s({.audio_bytes = 80});
  EXPECT_EQ(s.audio_timestamp(), 0u);
  EXPECT_EQ(s.next_audio().size(), 80u);
  EXPECT_EQ(s.audio_timestamp(), 960u);
  (void)s.next_audio();
  EXPECT_EQ(s.audio_timestamp(), 1920u);
}

}  // namespace
}  // namespace conclave::client
