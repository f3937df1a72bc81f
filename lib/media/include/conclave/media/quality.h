// Quality measures: how close what a receiver got is to what was sent.
//
//   video:  psnr(source, decoded)          PSNR of Y, U, V and the frame, dB
//           frame_index_of(decoded)        the TestPattern frame number, so a
//                                          receiver can regenerate the source
//   audio:  goertzel_power(x, rate, f)     power of one frequency
//           dominant_frequency(x, rate, candidates)
//           estimate_frequency(x, rate, lo, hi)   scan with a 1 Hz step
//           rms(x)
//
// PSNR uses the peak 255 and is capped at kMaxPsnr (identical planes).
// Audio functions take one channel (AudioFrame::channel() de-interleaves).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "conclave/base/result.h"
#include "conclave/media/errc.h"
#include "conclave/media/video_frame.h"

namespace conclave::media {

inline constexpr double kMaxPsnr = 100.0;

struct Psnr {
  double y = 0;
  double u = 0;
  double v = 0;
  // Over every sample of the three planes (the mean squared error of all
  // samples together, so Y weighs four times as much as U or V).
  double frame = 0;
};

// Errors: invalid_dimensions when the sizes differ or a frame is empty.
Result<Psnr> psnr(const VideoFrame& reference, const VideoFrame& test);

// The low 32 bits of the index TestPattern drew into `frame`, or nullopt
// when the frame holds no readable counter (another source, too small, or
// damaged beyond recognition). Tolerates codec noise: each bit is the mean
// of the middle of its block, and the complement row must agree.
std::optional<uint32_t> frame_index_of(const VideoFrame& frame);

// Mean power of the `frequency_hz` component (Goertzel): a sine of
// amplitude A at that frequency gives about A*A/2, the square of its RMS.
// 0 for empty input or a non-positive sample rate.
double goertzel_power(std::span<const int16_t> samples, double sample_rate, double frequency_hz);

// The candidate frequency with the most power (the first on a tie); 0 when
// there are no candidates.
double dominant_frequency(std::span<const int16_t> samples, double sample_rate,
                          std::span<const double> candidates);

// The frequency with the most power among min_hz, min_hz + step_hz, ...,
// max_hz. Resolution is limited by the length: use about
// sample_rate / step_hz samples or more. 0 for an empty or invalid range.
double estimate_frequency(std::span<const int16_t> samples, double sample_rate, double min_hz,
                          double max_hz, double step_hz = 1.0);

// Root mean square of the samples (0 for none).
double rms(std::span<const int16_t> samples);

}  // namespace conclave::media
