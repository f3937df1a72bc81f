// a=msid (RFC 8830 section 2): the MediaStream and track a media section's
// RTP stream belongs to.
//   a=msid:<stream id> [<track id>]     ids: 1*64 token-char; "-" = no stream
#pragma once

#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Msid {
  static constexpr std::string_view kName = "msid";
  static constexpr size_t kMaxIdSize = 64;

  std::string stream_id;
  std::string track_id;  // the appdata; may be empty

  // Errors: invalid_msid.
  static Result<Msid> parse(std::string_view value);
  std::string serialize() const;
  static bool is_valid_id(std::string_view id);

  bool operator==(const Msid&) const = default;
};

}  // namespace conclave::sdp
