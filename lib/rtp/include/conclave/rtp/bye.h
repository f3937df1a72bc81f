// RTCP goodbye, BYE (RFC 3550 section 6.6):
//
//   |V=2|P|    SC   |   PT=BYE=203  |             length            |
//   |                           SSRC/CSRC  (SC of them)             |
//   |     length    |               reason for leaving ...          |
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

struct Bye {
  static constexpr size_t kMaxSources = 31;

  std::vector<uint32_t> ssrcs;
  std::optional<std::string> reason;  // 0-255 octets

  // Errors: truncated.
  static Result<Bye> parse(const RtcpHeader& header, BytesView body);
  // invalid_argument: more than 31 sources or a reason over 255 octets.
  Status serialize(Bytes& out) const;

  friend bool operator==(const Bye&, const Bye&) = default;
};

}  // namespace conclave::rtp
