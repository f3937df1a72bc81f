// Absolute send time header extension (WebRTC's abs-send-time, documented
// at webrtc.org; written from memory of that page, not in specs/): three
// bytes holding the send time in seconds as an unsigned 6.18 fixed-point
// number, so it wraps every 64 s with a resolution of about 3.8 us.
#pragma once

#include <cstdint>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

struct AbsSendTime {
  static constexpr std::string_view kUri =
      "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
  static constexpr size_t kSize = 3;
  static constexpr uint32_t kMask = 0xffffff;

  // The 24-bit value for a time in microseconds (modulo 64 s).
  static uint32_t from_microseconds(uint64_t us);
  // Microseconds since the last 64-s wrap for a 24-bit value.
  static uint64_t to_microseconds(uint32_t value);

  // Errors: invalid_length unless exactly three bytes.
  static Result<uint32_t> parse(BytesView data);
  static Bytes serialize(uint32_t value);  // the low 24 bits
};

}  // namespace conclave::rtp
