// AudioFrame: a block of raw audio at 48 kHz, 16-bit signed samples, one or
// two channels interleaved (L R L R ... for stereo). The default block is
// 20 ms, 960 samples per channel, the frame Opus encodes by default. The
// timestamp counts samples per channel at 48 kHz, which is also the RTP
// clock of Opus (RFC 7587), so consecutive 20 ms frames are 960 apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/media/errc.h"

namespace conclave::media {

class AudioFrame {
 public:
  static constexpr uint32_t kSampleRate = 48000;
  static constexpr size_t kDefaultSamplesPerChannel = 960;  // 20 ms
  static constexpr size_t kMaxSamplesPerChannel = 48000;    // 1 s
  static constexpr uint32_t kMaxChannels = 2;

  AudioFrame() = default;  // empty: no channels, no samples

  // A silent frame. Errors: invalid_argument for channels other than 1 or
  // 2, or a length of 0 or beyond kMaxSamplesPerChannel.
  static Result<AudioFrame> create(uint32_t channels,
                                   size_t samples_per_channel = kDefaultSamplesPerChannel,
                                   int64_t timestamp = 0);
  // A frame holding `interleaved` (its size a non-zero multiple of channels).
  static Result<AudioFrame> from_samples(uint32_t channels, std::vector<int16_t> interleaved,
                                         int64_t timestamp = 0);

  uint32_t channels() const { return channels_; }
  size_t samples_per_channel() const { return channels_ == 0 ? 0 : samples_.size() / channels_; }
  bool empty() const { return samples_.empty(); }
  int64_t timestamp() const { return timestamp_; }
  void set_timestamp(int64_t timestamp) { timestamp_ = timestamp; }
  // Duration in microseconds (20000 for the default frame).
  int64_t duration_us() const;

  std::span<const int16_t> samples() const { return samples_; }
  std::span<int16_t> samples() { return samples_; }
  // Sample `index` (per channel) of channel `channel` (CV_CHECKed).
  int16_t at(size_t index, uint32_t channel) const;
  // One channel's samples, de-interleaved.
  std::vector<int16_t> channel(uint32_t channel) const;

  friend bool operator==(const AudioFrame&, const AudioFrame&) = default;

 private:
  uint32_t channels_ = 0;
  int64_t timestamp_ = 0;
  std::vector<int16_t> samples_;
};

}  // namespace conclave::media
