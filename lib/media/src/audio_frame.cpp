#include "conclave/media/audio_frame.h"

#include <utility>

#include "conclave/base/check.h"

namespace conclave::media {

Result<AudioFrame> AudioFrame::create(uint32_t channels, size_t samples_per_channel,
                                      int64_t timestamp) {
  if (channels == 0 || channels > kMaxChannels) return Error(Errc::invalid_argument, "channels");
  if (samples_per_channel == 0 || samples_per_channel > kMaxSamplesPerChannel) {
    return Error(Errc::invalid_argument, "samples_per_channel");
  }
  AudioFrame f;
  f.channels_ = channels;
  f.timestamp_ = timestamp;
  f.samples_.assign(samples_per_channel * channels, 0);
  return f;
}

Result<AudioFrame> AudioFrame::from_samples(uint32_t channels, std::vector<int16_t> interleaved,
                                            int64_t timestamp) {
  if (channels == 0 || channels > kMaxChannels) return Error(Errc::invalid_argument, "channels");
  if (interleaved.empty() || interleaved.size() % channels != 0 ||
      interleaved.size() / channels > kMaxSamplesPerChannel) {
    return Error(Errc::invalid_argument, "samples");
  }
  AudioFrame f;
  f.channels_ = channels;
  f.timestamp_ = timestamp;
  f.samples_ = std::move(interleaved);
  return f;
}

int64_t AudioFrame::duration_us() const {
  return static_cast<int64_t>(samples_per_channel()) * 1000000 / kSampleRate;
}

int16_t AudioFrame::at(size_t index, uint32_t channel) const {
  CV_CHECK(channel < channels_ && index < samples_per_channel());
  return samples_[index * channels_ + channel];
}

std::vector<int16_t> AudioFrame::channel(uint32_t channel) const {
  CV_CHECK(channel < channels_);
  std::vector<int16_t> out;
  out.reserve(samples_per_channel());
  for (size_t i = channel; i < samples_.size(); i += channels_) out.push_back(samples_[i]);
  return out;
}

}  // namespace conclave::media
