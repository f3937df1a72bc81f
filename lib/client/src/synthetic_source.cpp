#include "conclave/client/synthetic_source.h"

#include <algorithm>

namespace conclave::client {
namespace {

Bytes pattern(size_t size, uint64_t index) {
  Bytes out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>((index + i) & 0xff);
  return out;
}

}  // namespace

SyntheticSource::SyntheticSource(const SyntheticSourceConfig& config)
    : config_(config),
      video_frame_size_(std::max<size_t>(
          1, size_t{config.video_kbps} * 1000 / 8 / std::max<uint32_t>(config.fps, 1))),
      key_frame_every_(std::max<uint64_t>(
          1, static_cast<uint64_t>(config.key_frame_interval.count()) *
                 std::max<uint32_t>(config.fps, 1) / 1000)) {}

media::EncodedFrame SyntheticSource::next_video() {
  media::EncodedFrame f;
  f.key_frame = key_frame_pending_ || video_frames_ % key_frame_every_ == 0;
  key_frame_pending_ = false;
  f.data = pattern(video_frame_size_, video_frames_);
  f.timestamp = static_cast<int64_t>(video_frames_ * 90000 / std::max<uint32_t>(config_.fps, 1));
  ++video_frames_;
  return f;
}

Bytes SyntheticSource::next_audio() {
  Bytes out = pattern(config_.audio_bytes, audio_frames_);
  ++audio_frames_;
  return out;
}

}  // namespace conclave::client
