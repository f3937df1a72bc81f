// RTCP sender report, SR (RFC 3550 section 6.4.1):
//
//   |V=2|P|    RC   |   PT=SR=200   |             length            |
//   |                         SSRC of sender                        |
//   |              NTP timestamp, most significant word             |
//   |             NTP timestamp, least significant word             |
//   |                         RTP timestamp                         |
//   |                     sender's packet count                     |
//   |                      sender's octet count                     |
//   |                 report blocks (RC of them) ...                |
//   |                  profile-specific extensions                  |
//
// Profile-specific extensions are ignored on parse and not written.
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/report_block.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

struct SenderReport {
  static constexpr size_t kMaxReportBlocks = 31;

  uint32_t sender_ssrc = 0;
  uint64_t ntp_timestamp = 0;  // 32.32 fixed-point seconds since 1900
  uint32_t rtp_timestamp = 0;
  uint32_t packet_count = 0;
  uint32_t octet_count = 0;
  std::vector<ReportBlock> report_blocks;

  // body: the packet after its common header, padding removed.
  // Errors: truncated.
  static Result<SenderReport> parse(const RtcpHeader& header, BytesView body);
  // Appends the whole packet; invalid_argument for more than 31 blocks.
  Status serialize(Bytes& out) const;

  friend bool operator==(const SenderReport&, const SenderReport&) = default;
};

}  // namespace conclave::rtp
