// A reception report block of SR and RR packets (RFC 3550 section 6.4.1):
//
//   |                 SSRC_n (source identifier)                    |
//   | fraction lost |       cumulative number of packets lost       |
//   |           extended highest sequence number received           |
//   |                      interarrival jitter                      |
//   |                         last SR (LSR)                         |
//   |                   delay since last SR (DLSR)                  |
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

struct ReportBlock {
  static constexpr size_t kSize = 24;
  static constexpr int32_t kMaxCumulativeLost = (1 << 23) - 1;
  static constexpr int32_t kMinCumulativeLost = -(1 << 23);

  uint32_t ssrc = 0;
  uint8_t fraction_lost = 0;    // fixed point, lost/expected * 256
  int32_t cumulative_lost = 0;  // 24-bit signed (duplicates can make it negative)
  uint32_t extended_highest_sequence = 0;
  uint32_t jitter = 0;               // in RTP timestamp units
  uint32_t last_sr = 0;              // middle 32 bits of the last SR's NTP timestamp
  uint32_t delay_since_last_sr = 0;  // in 1/65536 s

  // Reads the 24 bytes at the front of data. Errors: truncated.
  static Result<ReportBlock> parse(BytesView data);
  // Appends 24 bytes; invalid_argument when cumulative_lost is out of range.
  Status serialize(Bytes& out) const;
  // Appends every block of an SR or RR; on failure `out` is cut back to
  // `packet_start` (the start of the RTCP packet being written).
  static Status serialize_all(std::span<const ReportBlock> blocks, Bytes& out,
                              size_t packet_start);

  friend bool operator==(const ReportBlock&, const ReportBlock&) = default;
};

}  // namespace conclave::rtp
