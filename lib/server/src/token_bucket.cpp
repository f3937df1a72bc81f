#include "conclave/server/token_bucket.h"

#include <algorithm>

namespace conclave::server {

void TokenBucket::refill(Clock::TimePoint now) {
  if (now <= last_) return;
  int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(now - last_).count();
  int64_t max_units = int64_t{capacity_} * kUnitsPerToken;
  // Cap the elapsed time so the product cannot overflow.
  micros = std::min<int64_t>(micros, kUnitsPerToken * int64_t{capacity_} + 1);
  units_ = std::min(max_units, units_ + micros * int64_t{per_minute_});
  last_ = now;
}

bool TokenBucket::has_token(Clock::TimePoint now) {
  refill(now);
  return units_ >= kUnitsPerToken;
}

bool TokenBucket::try_take(Clock::TimePoint now) {
  if (!has_token(now)) return false;
  units_ -= kUnitsPerToken;
  return true;
}

bool TokenBucket::full(Clock::TimePoint now) {
  refill(now);
  return units_ >= int64_t{capacity_} * kUnitsPerToken;
}

int64_t TokenBucket::wait_ms(Clock::TimePoint now) {
  refill(now);
  if (units_ >= kUnitsPerToken || per_minute_ == 0) return 0;
  int64_t missing_micros = (kUnitsPerToken - units_ + per_minute_ - 1) / per_minute_;
  return (missing_micros + 999) / 1000;
}

}  // namespace conclave::server
