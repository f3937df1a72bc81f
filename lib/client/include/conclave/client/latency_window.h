// LatencyWindow: latency statistics of a media stream, as a running count,
// mean and maximum over every sample, and percentiles over the last
// `capacity` samples (a ring buffer: memory stays bounded however long the
// stream runs). MediaReceiver feeds it the delay from a frame's
// abs-send-time to its delivery.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "conclave/base/clock.h"

namespace conclave::client {

class LatencyWindow {
 public:
  static constexpr size_t kDefaultCapacity = 512;

  explicit LatencyWindow(size_t capacity = kDefaultCapacity);

  void add(Clock::Duration sample);

  uint64_t count() const { return count_; }
  // Over every sample; zero when there are none.
  Clock::Duration mean() const;
  Clock::Duration max() const { return max_; }
  // The p-th percentile (0 <= p <= 100, nearest rank) of the samples in
  // the window; zero when there are none.
  Clock::Duration percentile(double p) const;

 private:
  size_t capacity_;
  std::vector<Clock::Duration> window_;
  size_t next_ = 0;  // where the next sample goes once the window is full
  uint64_t count_ = 0;
  Clock::Duration::rep sum_ = 0;
  Clock::Duration max_{0};
};

}  // namespace conclave::client
