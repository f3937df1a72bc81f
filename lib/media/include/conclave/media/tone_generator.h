// ToneGenerator: a deterministic synthetic microphone, a sine wave at a
// fixed frequency and amplitude, the same on every channel, phase
// continuous across frames. Sample n (per channel) is
// round(amplitude * 32767 * sin(2 pi frequency n / 48000)), so a receiver
// can check the tone it hears (quality.h: estimate_frequency, rms).
#pragma once

#include <cstddef>
#include <cstdint>

#include "conclave/base/result.h"
#include "conclave/media/audio_frame.h"
#include "conclave/media/errc.h"

namespace conclave::media {

struct ToneConfig {
  double frequency_hz = 440.0;  // (0, 24000)
  double amplitude = 0.5;       // [0, 1] of full scale
  uint32_t channels = 1;
  size_t samples_per_channel = AudioFrame::kDefaultSamplesPerChannel;
};

class ToneGenerator {
 public:
  // Errors: invalid_argument for a field out of range.
  static Result<ToneGenerator> create(const ToneConfig& config = {});

  // The next frame; its timestamp is the position of its first sample.
  AudioFrame next();
  // Samples per channel produced so far.
  uint64_t position() const { return position_; }
  const ToneConfig& config() const { return config_; }

 private:
  explicit ToneGenerator(const ToneConfig& config) : config_(config) {}

  ToneConfig config_;
  uint64_t position_ = 0;
};

}  // namespace conclave::media
