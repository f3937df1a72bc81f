// a=rtcp-fb (RFC 4585 section 4.2, RFC 5104): the RTCP feedback a receiver
// may send for a payload type ("*" for all).
//   a=rtcp-fb:96 nack        a=rtcp-fb:96 nack pli     a=rtcp-fb:96 ccm fir
//   a=rtcp-fb:96 goog-remb   a=rtcp-fb:96 transport-cc a=rtcp-fb:* trr-int 100
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct RtcpFb {
  static constexpr std::string_view kName = "rtcp-fb";

  std::optional<uint8_t> payload_type;  // nullopt: "*", every format
  std::string type;                     // a token: "nack", "ccm", "goog-remb", ...
  std::string parameter;                // "pli", "fir", ... or empty; fields joined by one SP

  // Errors: invalid_rtcp_fb.
  static Result<RtcpFb> parse(std::string_view value);
  std::string serialize() const;
  bool applies_to(uint8_t pt) const { return !payload_type || *payload_type == pt; }

  bool operator==(const RtcpFb&) const = default;
};

}  // namespace conclave::sdp
