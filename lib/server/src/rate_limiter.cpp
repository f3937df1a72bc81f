#include "conclave/server/rate_limiter.h"

#include <iterator>

namespace conclave::server {

TokenBucket* RateLimiter::find_or_create(std::string_view key) {
  auto now = clock_.now();
  std::string k(key);
  if (auto it = buckets_.find(k); it != buckets_.end()) return &it->second;
  if (buckets_.size() >= max_keys_) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      it = it->second.full(now) ? buckets_.erase(it) : std::next(it);
    }
    if (buckets_.size() >= max_keys_) return nullptr;
  }
  return &buckets_.emplace(std::move(k), TokenBucket(config_.burst, config_.per_minute, now))
              .first->second;
}

bool RateLimiter::allowed(std::string_view key) {
  if (auto it = buckets_.find(std::string(key)); it != buckets_.end()) {
    return it->second.has_token(clock_.now());
  }
  // A new key starts with a full bucket, if there is room to remember it.
  return find_or_create(key) != nullptr;
}

void RateLimiter::charge(std::string_view key) {
  if (TokenBucket* b = find_or_create(key)) (void)b->try_take(clock_.now());
}

bool RateLimiter::try_acquire(std::string_view key) {
  TokenBucket* b = find_or_create(key);
  return b != nullptr && b->try_take(clock_.now());
}

int64_t RateLimiter::retry_after_ms(std::string_view key) {
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) return buckets_.size() >= max_keys_ ? 60000 : 0;
  return it->second.wait_ms(clock_.now());
}

}  // namespace conclave::server
