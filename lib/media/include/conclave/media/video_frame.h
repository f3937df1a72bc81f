// VideoFrame: one raw picture in I420 (YUV 4:2:0, 8 bits, three planes),
// the format VP8 encodes and decodes and Y4M "C420" files hold.
//
//   Y plane: width x height, one byte per pixel, row stride stride(Plane::y)
//   U, V:    ceil(width/2) x ceil(height/2), strides stride(Plane::u/v)
//
// Rows may be padded (stride >= plane width, see create's stride_align);
// code that walks pixels goes through row() or stride(), never assumes
// tight rows. The timestamp is in the 90 kHz RTP video clock
// (kClockRate), the unit the RTP layer sends, so frame N of a 30 fps
// source has timestamp N * 3000.
//
// The pixels live in one owned buffer; a VideoFrame is a movable and
// copyable value. A default-constructed frame is empty (0 x 0).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/media/errc.h"

namespace conclave::media {

enum class Plane { y = 0, u = 1, v = 2 };

class VideoFrame {
 public:
  // 90 kHz: the RTP clock rate of video.
  static constexpr int64_t kClockRate = 90000;
  // Largest width or height (VP8 stores 14 bits).
  static constexpr uint32_t kMaxDimension = 16383;

  VideoFrame() = default;

  // A frame of the given size, black (Y 16, U and V 128, limited range).
  // Each plane's stride is its width rounded up to stride_align, a power
  // of two from 1 to 256. Errors: invalid_dimensions for 0 or beyond
  // kMaxDimension, invalid_argument for a bad stride_align.
  static Result<VideoFrame> create(uint32_t width, uint32_t height, int64_t timestamp = 0,
                                   uint32_t stride_align = 1);

  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  bool empty() const { return width_ == 0; }
  int64_t timestamp() const { return timestamp_; }
  void set_timestamp(int64_t timestamp) { timestamp_ = timestamp; }

  // Size of a plane in samples: the frame size for Y, half of it rounded
  // up for U and V.
  uint32_t plane_width(Plane p) const { return p == Plane::y ? width_ : (width_ + 1) / 2; }
  uint32_t plane_height(Plane p) const { return p == Plane::y ? height_ : (height_ + 1) / 2; }
  size_t stride(Plane p) const { return stride_[index(p)]; }

  // The whole plane: stride(p) * plane_height(p) bytes, padding included.
  BytesView plane(Plane p) const;
  MutableBytesView plane(Plane p);
  // The visible plane_width(p) samples of row `row` (CV_CHECKed < plane_height).
  BytesView row(Plane p, uint32_t row) const;
  MutableBytesView row(Plane p, uint32_t row);
  uint8_t at(Plane p, uint32_t x, uint32_t y) const { return row(p, y)[x]; }

  // Sets every visible sample of a plane to `value`.
  void fill(Plane p, uint8_t value);

  // Same size, timestamp and visible samples (padding is ignored).
  friend bool operator==(const VideoFrame& a, const VideoFrame& b);

 private:
  static size_t index(Plane p) { return static_cast<size_t>(p); }

  uint32_t width_ = 0;
  uint32_t height_ = 0;
  int64_t timestamp_ = 0;
  std::array<size_t, 3> stride_{};
  std::array<size_t, 3> offset_{};
  Bytes data_;
};

}  // namespace conclave::media
