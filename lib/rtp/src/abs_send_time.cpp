#include "conclave/rtp/abs_send_time.h"

#include "wire.h"

namespace conclave::rtp {

uint32_t AbsSendTime::from_microseconds(uint64_t us) {
  // (us * 2^18 / 10^6) mod 2^24, computed without overflow via the 64-s period.
  const uint64_t in_period = us % 64'000'000;
  return static_cast<uint32_t>(((in_period << 18) + 500'000) / 1'000'000) & kMask;
}

uint64_t AbsSendTime::to_microseconds(uint32_t value) {
  return ((uint64_t{value & kMask} * 1'000'000) + (1u << 17)) >> 18;
}

Result<uint32_t> AbsSendTime::parse(BytesView data) {
  if (data.size() != kSize) return Error(Errc::invalid_length, "abs-send-time");
  return wire::u24(data, 0);
}

Bytes AbsSendTime::serialize(uint32_t value) {
  Bytes out;
  wire::put24(out, value & kMask);
  return out;
}

}  // namespace conclave::rtp
