// Generic NACK (RFC 4585 section 6.2.1; RTPFB, FMT 1; written from the
// RFC, not in specs/):
//
//   |V=2|P|  FMT=1  |   PT=205      |          length               |
//   |                  SSRC of packet sender                        |
//   |                  SSRC of media source                         |
//   |            PID                |             BLP               |  FCI, 1 or more
//
// PID is a lost sequence number; bit i of BLP (least significant first)
// reports PID + i + 1 lost too. So PID=100 BLP=0x0005 means 100, 101, 103.
//
// The packet is kept as the expanded list of sequence numbers, in the
// order the FCIs give them. serialize() compresses the list back into
// FCIs, keeping that order: a number joins the current FCI only when it
// lies 1-16 after its PID and after the last bit set, so a sorted list gets
// the compact form and any list parses back to itself.
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

struct GenericNack {
  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;
  std::vector<uint16_t> lost;

  // Errors: truncated, invalid_length (no FCI or a partial one).
  static Result<GenericNack> parse(const RtcpHeader& header, BytesView body);
  // invalid_argument for an empty list or one too long for an RTCP packet.
  Status serialize(Bytes& out) const;

  friend bool operator==(const GenericNack&, const GenericNack&) = default;
};

}  // namespace conclave::rtp
