// TestPattern: a deterministic synthetic camera. frame(N) is a pure
// function of N and the configuration, so a receiver can recompute the
// picture it should have got and measure the damage (quality.h: psnr),
// and frame_index_of() reads N back from a decoded picture.
//
//   +--------------------------------------------+
//   | [32 blocks: N in binary][grey]             |  counter: bits of N
//   | [32 blocks: ~N         ][grey]             |  and their complement
//   |--------------------------------------------|
//   | 75% colour bars: white yellow cyan green   |
//   | magenta red blue black     +------+        |  a white box with a
//   |                            | box  |        |  black border bouncing
//   |                            +------+        |  across the bars
//   +--------------------------------------------+
//
// The counter's block size is min(width / 40, height / 8) rounded down to
// an even number (16 at 640 x 360); frames narrower than 160 or lower than
// 32 pixels cannot hold it and are refused. Frame N carries the timestamp
// N * 90000 / fps (90 kHz).
#pragma once

#include <cstdint>

#include "conclave/base/result.h"
#include "conclave/media/errc.h"
#include "conclave/media/video_frame.h"

namespace conclave::media {

struct TestPatternConfig {
  uint32_t width = 640;
  uint32_t height = 360;
  uint32_t fps = 30;
};

class TestPattern {
 public:
  // Errors: invalid_dimensions (too small for the counter, or too large),
  // invalid_argument (fps 0 or above 240).
  static Result<TestPattern> create(const TestPatternConfig& config = {});

  VideoFrame frame(uint64_t index) const;
  const TestPatternConfig& config() const { return config_; }

  // Top-left corner of the moving box in frame `index` (luma pixels) and
  // its side: for tests and for drawing tools.
  struct Box {
    uint32_t x = 0;
    uint32_t y = 0;
    uint32_t side = 0;
  };
  Box box(uint64_t index) const;

 private:
  explicit TestPattern(const TestPatternConfig& config, uint32_t block)
      : config_(config), block_(block) {}

  TestPatternConfig config_;
  uint32_t block_;
};

}  // namespace conclave::media
