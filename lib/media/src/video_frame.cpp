#include "conclave/media/video_frame.h"

#include <algorithm>

#include "conclave/base/check.h"

namespace conclave::media {

Result<VideoFrame> VideoFrame::create(uint32_t width, uint32_t height, int64_t timestamp,
                                      uint32_t stride_align) {
  if (width == 0 || height == 0 || width > kMaxDimension || height > kMaxDimension) {
    return Error(Errc::invalid_dimensions, "video frame");
  }
  if (stride_align == 0 || stride_align > 256 || (stride_align & (stride_align - 1)) != 0) {
    return Error(Errc::invalid_argument, "stride_align");
  }
  VideoFrame f;
  f.width_ = width;
  f.height_ = height;
  f.timestamp_ = timestamp;
  size_t total = 0;
  for (Plane p : {Plane::y, Plane::u, Plane::v}) {
    const size_t w = f.plane_width(p);
    const size_t stride = (w + stride_align - 1) / stride_align * stride_align;
    f.stride_[index(p)] = stride;
    f.offset_[index(p)] = total;
    total += stride * f.plane_height(p);
  }
  f.data_.assign(total, 128);
  std::fill_n(f.data_.begin(), f.offset_[1], uint8_t{16});
  return f;
}

BytesView VideoFrame::plane(Plane p) const {
  return BytesView(data_).subspan(offset_[index(p)], stride(p) * plane_height(p));
}

MutableBytesView VideoFrame::plane(Plane p) {
  return MutableBytesView(data_).subspan(offset_[index(p)], stride(p) * plane_height(p));
}

BytesView VideoFrame::row(Plane p, uint32_t row) const {
  CV_CHECK(row < plane_height(p));
  return plane(p).subspan(row * stride(p), plane_width(p));
}

MutableBytesView VideoFrame::row(Plane p, uint32_t row) {
  CV_CHECK(row < plane_height(p));
  return plane(p).subspan(row * stride(p), plane_width(p));
}

void VideoFrame::fill(Plane p, uint8_t value) {
  for (uint32_t r = 0; r < plane_height(p); ++r) {
    auto line = row(p, r);
    std::fill(line.begin(), line.end(), value);
  }
}

bool operator==(const VideoFrame& a, const VideoFrame& b) {
  if (a.width_ != b.width_ || a.height_ != b.height_ || a.timestamp_ != b.timestamp_) {
    return false;
  }
  for (Plane p : {Plane::y, Plane::u, Plane::v}) {
    for (uint32_t r = 0; r < a.plane_height(p); ++r) {
      if (!equal(a.row(p, r), b.row(p, r))) return false;
    }
  }
  return true;
}

}  // namespace conclave::media
