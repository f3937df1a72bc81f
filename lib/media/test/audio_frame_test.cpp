#include "conclave/media/audio_frame.h"

#include <gtest/gtest.h>

#include <vector>

namespace conclave::media {
namespace {

TEST(AudioFrame, DefaultsTo20MsOfSilence) {
  auto f = AudioFrame::create(2);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->channels(), 2U);
  EXPECT_EQ(f->samples_per_channel(), 960U);
  EXPECT_EQ(f->samples().size(), 1920U);
  EXPECT_EQ(f->duration_us(), 20000);
  for (int16_t s : f->samples()) EXPECT_EQ(s, 0);
}

TEST(AudioFrame, FromSamplesKeepsInterleavedOrder) {
  auto f = AudioFrame::from_samples(2, {1, -1, 2, -2, 3, -3}, 480);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->samples_per_channel(), 3U);
  EXPECT_EQ(f->timestamp(), 480);
  EXPECT_EQ(f->at(1, 0), 2);
  EXPECT_EQ(f->at(2, 1), -3);
  EXPECT_EQ(f->channel(0), (std::vector<int16_t>{1, 2, 3}));
  EXPECT_EQ(f->channel(1), (std::vector<int16_t>{-1, -2, -3}));
}

TEST(AudioFrame, RejectsBadShapes) {
  EXPECT_TRUE(AudioFrame::create(0).error().is(Errc::invalid_argument));
  EXPECT_TRUE(AudioFrame::create(3).error().is(Errc::invalid_argument));
  EXPECT_TRUE(AudioFrame::create(1, 0).error().is(Errc::invalid_argument));
  EXPECT_TRUE(AudioFrame::create(1, AudioFrame::kMaxSamplesPerChannel + 1)
                  .error()
                  .is(Errc::invalid_argument));
  EXPECT_TRUE(AudioFrame::from_samples(2, {1, 2, 3}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(AudioFrame::from_samples(1, {}).error().is(Errc::invalid_argument));
}

TEST(AudioFrame, EqualityComparesEverything) {
  auto a = AudioFrame::from_samples(1, {1, 2}, 0);
  auto b = AudioFrame::from_samples(1, {1, 2}, 0);
  auto c = AudioFrame::from_samples(2, {1, 2}, 0);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(*a == *c);
  b->samples()[1] = 3;
  EXPECT_FALSE(*a == *b);
}

}  // namespace
}  // namespace conclave::media
