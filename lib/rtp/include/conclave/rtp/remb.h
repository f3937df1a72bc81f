// Receiver estimated maximum bitrate, REMB (draft-alvestrand-rmcat-remb;
// PSFB, FMT 15 "application layer feedback"; written from the draft, not
// in specs/):
//
//   |V=2|P| FMT=15  |   PT=206      |             length            |
//   |                  SSRC of packet sender                        |
//   |                  SSRC of media source (0)                     |
//   |  Unique identifier 'R' 'E' 'M' 'B'                            |
//   |  Num SSRC     | BR Exp    |  BR Mantissa (18 bits)            |
//   |   SSRC feedback (Num SSRC of them) ...                        |
//
// The bitrate is mantissa * 2^exp bits per second. serialize() picks the
// smallest exponent whose mantissa fits, rounding the bitrate down.
// An application-layer feedback message without the "REMB" identifier is
// not a REMB (parse() reports invalid_value; the compound parser keeps it
// as an unknown packet).
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

struct Remb {
  static constexpr size_t kMaxSsrcs = 255;

  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;
  uint64_t bitrate_bps = 0;
  std::vector<uint32_t> ssrcs;

  // True when body (after the common header) carries the REMB identifier.
  static bool is_remb(BytesView body);
  // Errors: truncated, invalid_value (no "REMB" identifier, or a bitrate
  // that does not fit 64 bits).
  static Result<Remb> parse(const RtcpHeader& header, BytesView body);
  // invalid_argument for more than 255 SSRCs.
  Status serialize(Bytes& out) const;

  friend bool operator==(const Remb&, const Remb&) = default;
};

}  // namespace conclave::rtp
