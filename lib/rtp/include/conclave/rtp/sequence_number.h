// Wrap-aware arithmetic on RTP sequence numbers (16 bits, RFC 3550) and
// an unwrapper that turns them, or 32-bit RTP timestamps, into a monotonic
// 64-bit counter.
//
// "Newer" follows the usual rule: b is newer than a when the forward
// distance from a to b is less than half the number space. At exactly half
// the space the larger raw value counts as newer, so the relation stays a
// strict order on any two distinct values.
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>

namespace conclave::rtp {

// Forward distance from `from` to `to`, modulo 2^16: seq_forward(65535, 1) == 2.
constexpr uint16_t seq_forward(uint16_t from, uint16_t to) {
  return static_cast<uint16_t>(to - from);
}

// Signed distance from `from` to `to` in [-32768, 32767]:
// seq_delta(65535, 1) == 2, seq_delta(1, 65535) == -2.
constexpr int32_t seq_delta(uint16_t from, uint16_t to) {
  const uint16_t d = seq_forward(from, to);
  return d < 0x8000 ? int32_t{d} : int32_t{d} - 0x10000;
}

// True when `a` comes after `b` in wrap-aware order.
constexpr bool seq_newer(uint16_t a, uint16_t b) {
  const uint16_t d = seq_forward(b, a);
  if (d == 0x8000) return a > b;
  return d != 0 && d < 0x8000;
}

// Unwraps a wrapping counter of type T (uint16_t sequence numbers or
// uint32_t timestamps) into an int64_t. The first value unwraps to itself;
// each later value is placed at the signed distance from the last one, so
// reordered values before the first one unwrap to negative numbers.
template <class T>
class Unwrapper {
  static_assert(std::is_same_v<T, uint16_t> || std::is_same_v<T, uint32_t>);

 public:
  int64_t unwrap(T value) {
    if (!last_) {
      last_ = value;
      return *last_;
    }
    constexpr int64_t kSpace = int64_t{1} << (8 * sizeof(T));
    int64_t d = static_cast<int64_t>(value) - static_cast<int64_t>(static_cast<T>(*last_));
    if (d >= kSpace / 2) d -= kSpace;
    if (d < -kSpace / 2) d += kSpace;
    *last_ += d;
    return *last_;
  }
  // The last unwrapped value, if any.
  std::optional<int64_t> last() const { return last_; }
  void reset() { last_.reset(); }

 private:
  std::optional<int64_t> last_;
};

using SequenceUnwrapper = Unwrapper<uint16_t>;
using TimestampUnwrapper = Unwrapper<uint32_t>;

}  // namespace conclave::rtp
