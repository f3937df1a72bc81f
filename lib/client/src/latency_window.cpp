#include "conclave/client/latency_window.h"

#include <algorithm>
#include <cmath>

namespace conclave::client {

LatencyWindow::LatencyWindow(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
  window_.reserve(capacity_);
}

void LatencyWindow::add(Clock::Duration sample) {
  if (window_.size() < capacity_) {
    window_.push_back(sample);
  } else {
    window_[next_] = sample;
    next_ = (next_ + 1) % capacity_;
  }
  ++count_;
  sum_ += sample.count();
  max_ = count_ == 1 ? sample : std::max(max_, sample);
}

Clock::Duration LatencyWindow::mean() const {
  if (count_ == 0) return Clock::Duration{0};
  return Clock::Duration{sum_ / static_cast<Clock::Duration::rep>(count_)};
}

Clock::Duration LatencyWindow::percentile(double p) const {
  if (window_.empty()) return Clock::Duration{0};
  std::vector<Clock::Duration> sorted = window_;
  std::sort(sorted.begin(), sorted.end());
  const double clamped = std::clamp(p, 0.0, 100.0);
  // Nearest rank: the smallest sample with at least p% of samples <= it.
  auto rank = static_cast<size_t>(std::ceil(clamped / 100.0 * static_cast<double>(sorted.size())));
  if (rank == 0) rank = 1;
  return sorted[rank - 1];
}

}  // namespace conclave::client
