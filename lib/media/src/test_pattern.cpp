#include "conclave/media/test_pattern.h"

#include <algorithm>
#include <array>

#include "frame_counter.h"

namespace conclave::media {

namespace {

struct Yuv {
  uint8_t y, u, v;
};

// 75% colour bars, BT.601 limited range.
constexpr std::array<Yuv, 8> kBars = {{
    {180, 128, 128},  // white
    {162, 44, 142},   // yellow
    {131, 156, 44},   // cyan
    {112, 72, 58},    // green
    {84, 184, 198},   // magenta
    {65, 100, 212},   // red
    {35, 212, 114},   // blue
    {16, 128, 128},   // black
}};
constexpr uint8_t kBoxInside = 235;
constexpr uint8_t kBoxBorder = 16;
constexpr uint32_t kBoxBorderWidth = 2;

// Position after travelling `distance` back and forth over [0, range].
uint32_t ping_pong(uint64_t distance, uint32_t range) {
  if (range == 0) return 0;
  const uint64_t period = uint64_t{2} * range;
  const uint64_t t = distance % period;
  return static_cast<uint32_t>(t <= range ? t : period - t);
}

}  // namespace

Result<TestPattern> TestPattern::create(const TestPatternConfig& config) {
  if (config.width > VideoFrame::kMaxDimension || config.height > VideoFrame::kMaxDimension) {
    return Error(Errc::invalid_dimensions, "test pattern too large");
  }
  const uint32_t block = detail::counter_block(config.width, config.height);
  if (block == 0) return Error(Errc::invalid_dimensions, "test pattern too small");
  if (config.fps == 0 || config.fps > 240) return Error(Errc::invalid_argument, "fps");
  return TestPattern(config, block);
}

TestPattern::Box TestPattern::box(uint64_t index) const {
  const uint32_t top = detail::counter_strip_height(block_);
  Box b;
  b.side = std::min((config_.height - top) / 2, config_.width / 4) & ~1U;
  const uint32_t vx = 2 * std::max(1U, config_.width / 320);
  const uint32_t vy = 2;
  // Even ranges keep the box on even coordinates, whole in the chroma planes.
  b.x = ping_pong(index * vx, (config_.width - b.side) & ~1U);
  b.y = top + ping_pong(index * vy, (config_.height - top - b.side) & ~1U);
  return b;
}

VideoFrame TestPattern::frame(uint64_t index) const {
  const auto timestamp = static_cast<int64_t>(index * VideoFrame::kClockRate / config_.fps);
  auto created = VideoFrame::create(config_.width, config_.height, timestamp);
  CV_CHECK(created.ok());  // the size was checked by create()
  VideoFrame f = std::move(created).value();
  const uint32_t w = config_.width;
  const uint32_t top = detail::counter_strip_height(block_);
  const Box bx = box(index);
  const auto bits = static_cast<uint32_t>(index);  // the low 32 bits

  // Luma.
  for (uint32_t y = 0; y < config_.height; ++y) {
    auto row = f.row(Plane::y, y);
    if (y < top) {
      std::fill(row.begin(), row.end(), detail::kCounterBackground);
      if (y < 2 * block_) {
        const bool complement = y >= block_;
        for (uint32_t i = 0; i < detail::kCounterBits; ++i) {
          bool bit = ((bits >> (detail::kCounterBits - 1 - i)) & 1U) != 0;
          if (complement) bit = !bit;
          std::fill_n(row.begin() + i * block_, block_,
                      bit ? detail::kCounterOne : detail::kCounterZero);
        }
      }
      continue;
    }
    for (uint32_t x = 0; x < w; ++x) row[x] = kBars[uint64_t{x} * kBars.size() / w].y;
    if (y >= bx.y && y < bx.y + bx.side) {
      const bool edge_row = y < bx.y + kBoxBorderWidth || y >= bx.y + bx.side - kBoxBorderWidth;
      for (uint32_t x = bx.x; x < bx.x + bx.side; ++x) {
        const bool edge =
            edge_row || x < bx.x + kBoxBorderWidth || x >= bx.x + bx.side - kBoxBorderWidth;
        row[x] = edge ? kBoxBorder : kBoxInside;
      }
    }
  }

  // Chroma: sample (cx, cy) covers luma (2cx, 2cy); the strip and the box
  // (white and black) are neutral.
  for (Plane p : {Plane::u, Plane::v}) {
    for (uint32_t cy = 0; cy < f.plane_height(p); ++cy) {
      auto row = f.row(p, cy);
      const uint32_t y = 2 * cy;
      if (y < top) {
        std::fill(row.begin(), row.end(), uint8_t{128});
        continue;
      }
      for (uint32_t cx = 0; cx < f.plane_width(p); ++cx) {
        const Yuv& bar = kBars[uint64_t{2} * cx * kBars.size() / w];
        row[cx] = p == Plane::u ? bar.u : bar.v;
      }
      if (y >= bx.y && y < bx.y + bx.side) {
        std::fill_n(row.begin() + bx.x / 2, bx.side / 2, uint8_t{128});
      }
    }
  }
  return f;
}

}  // namespace conclave::media
