// Time is injected: code that needs the time takes a Clock&, so tests drive
// it with FakeClock and never sleep.
#pragma once

#include <chrono>

namespace conclave {

class Clock {
 public:
  using Duration = std::chrono::microseconds;
  using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// Monotonic wall time from std::chrono::steady_clock.
class SteadyClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock that moves only when told to.
class FakeClock final : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(Duration d) { now_ += d; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_{Duration{1'000'000}};
};

}  // namespace conclave
