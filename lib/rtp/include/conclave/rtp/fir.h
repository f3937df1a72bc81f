// Full intra request (RFC 5104 section 4.3.1; PSFB, FMT 4; written from
// the RFC, not in specs/):
//
//   |V=2|P|  FMT=4  |   PT=206      |          length               |
//   |                  SSRC of packet sender                        |
//   |             SSRC of media source (unused, 0)                  |
//   |                              SSRC                             |  FCI, 1 or more
//   | Seq nr.       |    Reserved (0)                               |
//
// The command sequence number lets the media sender tell a repeated
// request from a new one.
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

struct FirEntry {
  uint32_t ssrc = 0;
  uint8_t sequence_number = 0;
  friend bool operator==(const FirEntry&, const FirEntry&) = default;
};

struct Fir {
  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;
  std::vector<FirEntry> entries;

  // Errors: truncated, invalid_length (no FCI or a partial one). The
  // reserved bits are ignored.
  static Result<Fir> parse(const RtcpHeader& header, BytesView body);
  // invalid_argument for no entries or too many.
  Status serialize(Bytes& out) const;

  friend bool operator==(const Fir&, const Fir&) = default;
};

}  // namespace conclave::rtp
