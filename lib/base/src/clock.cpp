#include "conclave/base/clock.h"

namespace conclave {

Clock::TimePoint SteadyClock::now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

}  // namespace conclave
