#include "conclave/media/quality.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "conclave/media/test_pattern.h"

namespace conclave::media {
namespace {

VideoFrame grey(uint32_t w, uint32_t h, uint8_t y) {
  auto f = VideoFrame::create(w, h);
  EXPECT_TRUE(f.ok());
  f->fill(Plane::y, y);
  return std::move(f).value();
}

TEST(Psnr, IdenticalFramesAreCapped) {
  const VideoFrame a = grey(16, 16, 100);
  auto p = psnr(a, a);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->y, kMaxPsnr);
  EXPECT_EQ(p->frame, kMaxPsnr);
}

TEST(Psnr, KnownErrorGivesKnownValue) {
  // Every Y sample off by 10: MSE 100, PSNR = 10 log10(255^2 / 100).
  const VideoFrame a = grey(16, 16, 100);
  const VideoFrame b = grey(16, 16, 110);
  auto p = psnr(a, b);
  ASSERT_TRUE(p.ok());
  const double expected_y = 10 * std::log10(255.0 * 255.0 / 100.0);
  EXPECT_NEAR(p->y, expected_y, 1e-9);
  EXPECT_EQ(p->u, kMaxPsnr);
  EXPECT_EQ(p->v, kMaxPsnr);
  // Over all samples: 256 Y of 384 carry the error, MSE = 100 * 256 / 384.
  EXPECT_NEAR(p->frame, 10 * std::log10(255.0 * 255.0 / (100.0 * 256 / 384)), 1e-9);
}

TEST(Psnr, IgnoresPaddingAndComparesChroma) {
  auto a = VideoFrame::create(15, 9, 0, 32);
  auto b = VideoFrame::create(15, 9, 0, 1);
  ASSERT_TRUE(a.ok() && b.ok());
  a->plane(Plane::y)[20] = 255;  // padding byte of row 0
  EXPECT_EQ(psnr(*a, *b)->y, kMaxPsnr);
  b->row(Plane::v, 4)[7] = 0;  // one of 40 V samples off by 128
  auto p = psnr(*a, *b);
  ASSERT_TRUE(p.ok());
  EXPECT_NEAR(p->v, 10 * std::log10(255.0 * 255.0 / (128.0 * 128 / 40)), 1e-9);
}

TEST(Psnr, SizesMustMatch) {
  EXPECT_TRUE(psnr(grey(16, 16, 0), grey(16, 8, 0)).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(psnr(VideoFrame{}, VideoFrame{}).error().is(Errc::invalid_dimensions));
}

TEST(FrameIndexOf, ReadsThroughNoise) {
  auto pattern = TestPattern::create({640, 360, 30});
  ASSERT_TRUE(pattern.ok());
  VideoFrame f = pattern->frame(0xdeadbeef);
  // +-40 of deterministic noise on every luma sample.
  uint32_t state = 7;
  for (uint32_t y = 0; y < f.height(); ++y) {
    for (auto& s : f.row(Plane::y, y)) {
      state = state * 1103515245U + 12345U;
      const int noise = static_cast<int>((state >> 16) % 81) - 40;
      s = static_cast<uint8_t>(std::clamp(static_cast<int>(s) + noise, 0, 255));
    }
  }
  EXPECT_EQ(frame_index_of(f), 0xdeadbeefU);
}

TEST(FrameIndexOf, RefusesFramesWithoutACounter) {
  EXPECT_FALSE(frame_index_of(grey(640, 360, 16)).has_value());
  EXPECT_FALSE(frame_index_of(grey(640, 360, 235)).has_value());
  EXPECT_FALSE(frame_index_of(grey(100, 100, 16)).has_value());  // too small
  EXPECT_FALSE(frame_index_of(VideoFrame{}).has_value());
  auto pattern = TestPattern::create({640, 360, 30});
  ASSERT_TRUE(pattern.ok());
  // A bit whose complement agrees with it is damage, not a number.
  VideoFrame f = pattern->frame(5);
  for (uint32_t y = 16; y < 32; ++y) {
    auto row = f.row(Plane::y, y);
    std::fill(row.begin() + 31 * 16, row.begin() + 32 * 16, uint8_t{235});
  }
  EXPECT_FALSE(frame_index_of(f).has_value());
  // Mid-grey blocks are undecided.
  VideoFrame g = pattern->frame(5);
  for (uint32_t y = 0; y < 16; ++y) {
    auto row = g.row(Plane::y, y);
    std::fill(row.begin(), row.begin() + 16, uint8_t{128});
  }
  EXPECT_FALSE(frame_index_of(g).has_value());
}

std::vector<int16_t> sine(double f, double amplitude, size_t n, double rate = 48000) {
  std::vector<int16_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i] = static_cast<int16_t>(std::lround(
        amplitude * std::sin(2 * std::numbers::pi * f * static_cast<double>(i) / rate)));
  }
  return out;
}

TEST(Goertzel, PowerOfASineIsHalfItsSquaredAmplitude) {
  const auto x = sine(1000, 10000, 48000);
  EXPECT_NEAR(goertzel_power(x, 48000, 1000), 10000.0 * 10000 / 2, 10000.0 * 10000 / 2 * 0.01);
  EXPECT_LT(goertzel_power(x, 48000, 1500), 10000.0 * 10000 / 2 * 1e-4);
  EXPECT_NEAR(rms(x) * rms(x), 10000.0 * 10000 / 2, 10000.0 * 10000 / 2 * 0.01);
  EXPECT_EQ(goertzel_power({}, 48000, 1000), 0.0);
  EXPECT_EQ(goertzel_power(x, 0, 1000), 0.0);
}

TEST(Goertzel, DominantFrequencyPicksTheTone) {
  std::vector<int16_t> mix = sine(697, 8000, 9600, 8000);
  const auto quiet = sine(1209, 2000, 9600, 8000);
  for (size_t i = 0; i < mix.size(); ++i) mix[i] = static_cast<int16_t>(mix[i] + quiet[i]);
  const std::array<double, 4> dtmf_rows = {697, 770, 852, 941};
  const std::array<double, 3> dtmf_cols = {1209, 1336, 1477};
  EXPECT_EQ(dominant_frequency(mix, 8000, dtmf_rows), 697);
  EXPECT_EQ(dominant_frequency(mix, 8000, dtmf_cols), 1209);
  EXPECT_EQ(dominant_frequency(mix, 8000, std::span<const double>{}), 0.0);
}

TEST(Goertzel, EstimateFrequencyScans) {
  const auto x = sine(523.25, 12000, 48000);
  EXPECT_NEAR(estimate_frequency(x, 48000, 200, 2000), 523.25, 1.0);
  EXPECT_NEAR(estimate_frequency(x, 48000, 500, 550, 0.25), 523.25, 0.25);
  EXPECT_EQ(estimate_frequency(x, 48000, 600, 500), 0.0);
  EXPECT_EQ(estimate_frequency(x, 48000, 100, 200, 0), 0.0);
}

TEST(Rms, OfKnownSignals) {
  EXPECT_EQ(rms({}), 0.0);
  const std::array<int16_t, 4> square = {100, -100, 100, -100};
  EXPECT_DOUBLE_EQ(rms(square), 100.0);
}

}  // namespace
}  // namespace conclave::media
