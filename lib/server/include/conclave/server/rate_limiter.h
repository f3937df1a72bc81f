// RateLimiter: one TokenBucket per key (a remote address, a meeting ID),
// created on first use. Failed attempts take tokens; a key with no token
// left is refused until the bucket refills. Memory is bounded: past
// `max_keys` the full buckets are forgotten, and if that is not enough new
// keys are refused (fail closed) until buckets refill.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "conclave/base/clock.h"
#include "conclave/server/config.h"
#include "conclave/server/token_bucket.h"

namespace conclave::server {

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, RateLimitConfig config, size_t max_keys = 100000)
      : clock_(clock), config_(config), max_keys_(max_keys) {}

  // May `key` attempt now?
  bool allowed(std::string_view key);
  // Charges one attempt to `key` (call after a failure, or for every use).
  void charge(std::string_view key);
  // allowed() then charge(); false when refused.
  bool try_acquire(std::string_view key);
  // Milliseconds until `key` may attempt again.
  int64_t retry_after_ms(std::string_view key);

  size_t tracked_keys() const { return buckets_.size(); }

 private:
  TokenBucket* find_or_create(std::string_view key);

  const Clock& clock_;
  RateLimitConfig config_;
  size_t max_keys_;
  std::unordered_map<std::string, TokenBucket> buckets_;
};

}  // namespace conclave::server
