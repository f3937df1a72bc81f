// a=rtpmap (RFC 8866 section 6.6): binds an RTP payload type to a codec.
//   a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
//   a=rtpmap:111 opus/48000/2
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Rtpmap {
  static constexpr std::string_view kName = "rtpmap";

  uint8_t payload_type = 0;          // 0..127
  std::string encoding_name;         // a token, compared case-insensitively ("opus", "VP8")
  uint32_t clock_rate = 0;           // > 0
  std::optional<uint16_t> channels;  // the encoding parameters (audio channels), > 0

  // Errors: invalid_rtpmap.
  static Result<Rtpmap> parse(std::string_view value);
  std::string serialize() const;
  // Same encoding name (ignoring case), clock rate and channel count (an
  // absent count counts as 1, RFC 8866 section 6.6).
  bool same_codec(const Rtpmap& other) const;

  bool operator==(const Rtpmap&) const = default;
};

}  // namespace conclave::sdp
