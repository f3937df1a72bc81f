#include "conclave/media/tone_generator.h"

#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

namespace conclave::media {

Result<ToneGenerator> ToneGenerator::create(const ToneConfig& config) {
  if (!(config.frequency_hz > 0.0) || !(config.frequency_hz < AudioFrame::kSampleRate / 2.0)) {
    return Error(Errc::invalid_argument, "frequency_hz");
  }
  if (!(config.amplitude >= 0.0) || !(config.amplitude <= 1.0)) {
    return Error(Errc::invalid_argument, "amplitude");
  }
  if (config.channels == 0 || config.channels > AudioFrame::kMaxChannels) {
    return Error(Errc::invalid_argument, "channels");
  }
  if (config.samples_per_channel == 0 ||
      config.samples_per_channel > AudioFrame::kMaxSamplesPerChannel) {
    return Error(Errc::invalid_argument, "samples_per_channel");
  }
  return ToneGenerator(config);
}

AudioFrame ToneGenerator::next() {
  const size_t n = config_.samples_per_channel;
  std::vector<int16_t> samples(n * config_.channels);
  const double rate = AudioFrame::kSampleRate;
  const double peak = config_.amplitude * 32767.0;
  for (size_t i = 0; i < n; ++i) {
    // The phase in cycles, reduced before multiplying by 2 pi so that it
    // stays exact over long runs.
    const double cycles =
        std::fmod(config_.frequency_hz * static_cast<double>(position_ + i), rate) / rate;
    const auto value =
        static_cast<int16_t>(std::lround(peak * std::sin(2.0 * std::numbers::pi * cycles)));
    for (uint32_t c = 0; c < config_.channels; ++c) samples[i * config_.channels + c] = value;
  }
  auto frame = AudioFrame::from_samples(config_.channels, std::move(samples),
                                        static_cast<int64_t>(position_));
  CV_CHECK(frame.ok());  // sizes checked by create()
  position_ += n;
  return std::move(frame).value();
}

}  // namespace conclave::media
