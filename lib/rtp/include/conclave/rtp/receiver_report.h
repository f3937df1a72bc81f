// RTCP receiver report, RR (RFC 3550 section 6.4.2):
//
//   |V=2|P|    RC   |   PT=RR=201   |             length            |
//   |                     SSRC of packet sender                     |
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

struct ReceiverReport {
  static constexpr size_t kMaxReportBlocks = 31;

  uint32_t sender_ssrc = 0;
  std::vector<ReportBlock> report_blocks;

  // Errors: truncated.
  static Result<ReceiverReport> parse(const RtcpHeader& header, BytesView body);
  // invalid_argument for more than 31 blocks.
  Status serialize(Bytes& out) const;

  friend bool operator==(const ReceiverReport&, const ReceiverReport&) = default;
};

}  // namespace conclave::rtp
