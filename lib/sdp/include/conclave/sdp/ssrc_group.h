// a=ssrc-group (RFC 5576 section 4.2): SSRCs that belong together; "FID"
// (RFC 5576) pairs a media SSRC with its retransmission (RTX) SSRC, "SIM"
// lists simulcast layers, "FEC-FR" a media SSRC with its FEC SSRC.
//   a=ssrc-group:FID 1001 1002
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct SsrcGroup {
  static constexpr std::string_view kName = "ssrc-group";
  static constexpr size_t kMaxSsrcs = 32;

  std::string semantics;        // a token: "FID", "SIM", "FEC-FR", ...
  std::vector<uint32_t> ssrcs;  // 1..kMaxSsrcs

  // Errors: invalid_ssrc_group.
  static Result<SsrcGroup> parse(std::string_view value);
  std::string serialize() const;

  bool operator==(const SsrcGroup&) const = default;
};

}  // namespace conclave::sdp
