#include "conclave/media/tone_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "conclave/media/quality.h"

namespace conclave::media {
namespace {

TEST(ToneGenerator, SamplesFollowTheFormula) {
  auto tone = ToneGenerator::create({.frequency_hz = 1000, .amplitude = 0.25});
  ASSERT_TRUE(tone.ok());
  tone->next();
  const AudioFrame f = tone->next();
  EXPECT_EQ(f.timestamp(), 960);
  for (size_t i = 0; i < f.samples_per_channel(); i += 37) {
    const double n = 960.0 + static_cast<double>(i);
    const double expected = 0.25 * 32767 * std::sin(2 * std::numbers::pi * 1000 * n / 48000);
    EXPECT_NEAR(f.at(i, 0), expected, 0.51) << i;
  }
  EXPECT_EQ(tone->position(), 1920U);
}

TEST(ToneGenerator, FrequencyAndLevelMeasureBack) {
  auto tone = ToneGenerator::create({.frequency_hz = 440, .amplitude = 0.5});
  ASSERT_TRUE(tone.ok());
  std::vector<int16_t> all;
  for (int i = 0; i < 25; ++i) {
    const AudioFrame f = tone->next();
    all.insert(all.end(), f.samples().begin(), f.samples().end());
  }
  EXPECT_NEAR(estimate_frequency(all, 48000, 100, 1000), 440.0, 1.0);
  EXPECT_NEAR(rms(all), 0.5 * 32767 / std::sqrt(2.0), 50.0);
}

TEST(ToneGenerator, StereoChannelsCarryTheSameTone) {
  auto tone = ToneGenerator::create({.channels = 2, .samples_per_channel = 480});
  ASSERT_TRUE(tone.ok());
  const AudioFrame f = tone->next();
  EXPECT_EQ(f.channels(), 2U);
  EXPECT_EQ(f.samples_per_channel(), 480U);
  EXPECT_EQ(f.channel(0), f.channel(1));
}

TEST(ToneGenerator, FramesJoinWithoutAPhaseJump) {
  auto one = ToneGenerator::create({.samples_per_channel = 1920});
  auto two = ToneGenerator::create({.samples_per_channel = 960});
  ASSERT_TRUE(one.ok() && two.ok());
  const AudioFrame whole = one->next();
  const AudioFrame a = two->next();
  const AudioFrame b = two->next();
  for (size_t i = 0; i < 960; ++i) {
    EXPECT_EQ(whole.at(i, 0), a.at(i, 0));
    EXPECT_EQ(whole.at(960 + i, 0), b.at(i, 0));
  }
}

TEST(ToneGenerator, RejectsBadConfigurations) {
  EXPECT_TRUE(ToneGenerator::create({.frequency_hz = 0}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(ToneGenerator::create({.frequency_hz = 24000}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(
      ToneGenerator::create({.frequency_hz = std::nan("")}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(ToneGenerator::create({.amplitude = 1.5}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(ToneGenerator::create({.channels = 3}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(ToneGenerator::create({.samples_per_channel = 0}).error().is(Errc::invalid_argument));
}

}  // namespace
}  // namespace conclave::media
