// Private: the layout of the frame counter TestPattern draws and
// frame_index_of reads back (quality.h). Both sides derive it from the
// frame size alone.
//
//   y in [0, b)       32 blocks b x b: bits of the index, most significant
//                     first, white (235) = 1, black (16) = 0
//   y in [b, 2b)      the same bits complemented (a checksum)
//   y in [2b, 3b)     grey separator; the rest of [0, 3b) is grey too
//
// b is even and at least 4, so blocks are whole in the chroma planes; at
// 640 x 360 it is 16 and every block is one VP8 macroblock.
#pragma once

#include <algorithm>
#include <cstdint>

namespace conclave::media::detail {

constexpr uint32_t kCounterBits = 32;
constexpr uint8_t kCounterZero = 16;
constexpr uint8_t kCounterOne = 235;
constexpr uint8_t kCounterBackground = 128;
// Averages at or below / at or above these read as a clear 0 / 1.
constexpr uint32_t kCounterZeroMax = 90;
constexpr uint32_t kCounterOneMin = 160;

// Counter block size for a frame, or 0 when the frame is too small.
inline uint32_t counter_block(uint32_t width, uint32_t height) {
  uint32_t b = std::min(width / (kCounterBits + 8), height / 8);
  b &= ~1U;
  return b >= 4 ? b : 0;
}

// Height of the counter strip (grey background, bits and checksum).
inline uint32_t counter_strip_height(uint32_t block) {
  return 3 * block;
}

}  // namespace conclave::media::detail
