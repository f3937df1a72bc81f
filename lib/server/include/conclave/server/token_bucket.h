// TokenBucket: `capacity` tokens, refilled continuously at `per_minute`
// tokens a minute, on an injected clock (tests use FakeClock).
#pragma once

#include <cstdint>

#include "conclave/base/clock.h"

namespace conclave::server {

class TokenBucket {
 public:
  TokenBucket(uint32_t capacity, uint32_t per_minute, Clock::TimePoint now)
      : capacity_(capacity),
        per_minute_(per_minute),
        units_(int64_t{capacity} * kUnitsPerToken),
        last_(now) {}

  // True when at least one token is available at `now`.
  bool has_token(Clock::TimePoint now);
  // Takes one token if there is one; false otherwise.
  bool try_take(Clock::TimePoint now);
  // True when the bucket is full again (nothing to remember).
  bool full(Clock::TimePoint now);
  // Time until the next token, in milliseconds (0 when one is available).
  int64_t wait_ms(Clock::TimePoint now);

 private:
  void refill(Clock::TimePoint now);

  // Exact integer arithmetic: a token is 60,000,000 units, and each
  // microsecond adds `per_minute` units.
  static constexpr int64_t kUnitsPerToken = 60'000'000;

  uint32_t capacity_;
  uint32_t per_minute_;
  int64_t units_;
  Clock::TimePoint last_;
};

}  // namespace conclave::server
