// Picture loss indication (RFC 4585 section 6.3.1; PSFB, FMT 1; written
// from the RFC, not in specs/): a feedback header without FCI asking the
// media source for a key frame. The SFU relays it to the publisher; with
// SFrame it is the receiver's way to recover after a decryption failure.
#pragma once

#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

struct Pli {
  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;

  // Errors: truncated. Bytes after the feedback header are ignored.
  static Result<Pli> parse(const RtcpHeader& header, BytesView body);
  Status serialize(Bytes& out) const;

  friend bool operator==(const Pli&, const Pli&) = default;
};

}  // namespace conclave::rtp
