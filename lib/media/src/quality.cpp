#include "conclave/media/quality.h"

#include <cmath>
#include <numbers>

#include "frame_counter.h"

namespace conclave::media {

namespace {

double to_psnr(uint64_t squared_error, uint64_t count) {
  if (squared_error == 0 || count == 0) return kMaxPsnr;
  const double mse = static_cast<double>(squared_error) / static_cast<double>(count);
  const double value = 10.0 * std::log10(255.0 * 255.0 / mse);
  return value > kMaxPsnr ? kMaxPsnr : value;
}

}  // namespace

Result<Psnr> psnr(const VideoFrame& reference, const VideoFrame& test) {
  if (reference.empty() || reference.width() != test.width() ||
      reference.height() != test.height()) {
    return Error(Errc::invalid_dimensions, "psnr");
  }
  Psnr out;
  uint64_t total_error = 0;
  uint64_t total_count = 0;
  for (Plane p : {Plane::y, Plane::u, Plane::v}) {
    uint64_t error = 0;
    for (uint32_t r = 0; r < reference.plane_height(p); ++r) {
      const auto a = reference.row(p, r);
      const auto b = test.row(p, r);
      for (size_t i = 0; i < a.size(); ++i) {
        const int d = static_cast<int>(a[i]) - static_cast<int>(b[i]);
        error += static_cast<uint64_t>(d * d);
      }
    }
    const uint64_t count = uint64_t{reference.plane_width(p)} * reference.plane_height(p);
    const double value = to_psnr(error, count);
    (p == Plane::y ? out.y : p == Plane::u ? out.u : out.v) = value;
    total_error += error;
    total_count += count;
  }
  out.frame = to_psnr(total_error, total_count);
  return out;
}

std::optional<uint32_t> frame_index_of(const VideoFrame& frame) {
  if (frame.empty()) return std::nullopt;
  const uint32_t b = detail::counter_block(frame.width(), frame.height());
  if (b == 0) return std::nullopt;
  // Reads block i of row `block_row` as 0, 1 or undecided (nullopt).
  auto read_bit = [&](uint32_t block_row, uint32_t i) -> std::optional<bool> {
    const uint32_t x0 = i * b + b / 4;
    const uint32_t y0 = block_row * b + b / 4;
    const uint32_t n = b / 2;
    uint32_t sum = 0;
    for (uint32_t y = y0; y < y0 + n; ++y) {
      const auto row = frame.row(Plane::y, y);
      for (uint32_t x = x0; x < x0 + n; ++x) sum += row[x];
    }
    const uint32_t mean = sum / (n * n);
    if (mean <= detail::kCounterZeroMax) return false;
    if (mean >= detail::kCounterOneMin) return true;
    return std::nullopt;
  };
  uint32_t value = 0;
  for (uint32_t i = 0; i < detail::kCounterBits; ++i) {
    const auto bit = read_bit(0, i);
    const auto check = read_bit(1, i);
    if (!bit || !check || *bit == *check) return std::nullopt;
    value = (value << 1) | (*bit ? 1U : 0U);
  }
  return value;
}

double goertzel_power(std::span<const int16_t> samples, double sample_rate, double frequency_hz) {
  if (samples.empty() || !(sample_rate > 0.0)) return 0.0;
  const double omega = 2.0 * std::numbers::pi * frequency_hz / sample_rate;
  const double coeff = 2.0 * std::cos(omega);
  double s1 = 0.0;
  double s2 = 0.0;
  for (int16_t x : samples) {
    const double s0 = static_cast<double>(x) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  // |X(f)|^2 of the block; a sine of amplitude A gives (A N / 2)^2.
  const double magnitude2 = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const auto n = static_cast<double>(samples.size());
  return 2.0 * magnitude2 / (n * n);
}

double dominant_frequency(std::span<const int16_t> samples, double sample_rate,
                          std::span<const double> candidates) {
  double best = 0.0;
  double best_power = -1.0;
  for (double f : candidates) {
    const double power = goertzel_power(samples, sample_rate, f);
    if (power > best_power) {
      best_power = power;
      best = f;
    }
  }
  return best;
}

double estimate_frequency(std::span<const int16_t> samples, double sample_rate, double min_hz,
                          double max_hz, double step_hz) {
  if (!(step_hz > 0.0) || !(min_hz <= max_hz) || !(min_hz >= 0.0)) return 0.0;
  const double steps = std::floor((max_hz - min_hz) / step_hz);
  if (!(steps < 1e6)) return 0.0;
  double best = 0.0;
  double best_power = -1.0;
  for (int64_t i = 0; i <= static_cast<int64_t>(steps); ++i) {
    const double f = min_hz + static_cast<double>(i) * step_hz;
    const double power = goertzel_power(samples, sample_rate, f);
    if (power > best_power) {
      best_power = power;
      best = f;
    }
  }
  return best;
}

double rms(std::span<const int16_t> samples) {
  if (samples.empty()) return 0.0;
  double sum = 0.0;
  for (int16_t x : samples) sum += static_cast<double>(x) * static_cast<double>(x);
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace conclave::media
