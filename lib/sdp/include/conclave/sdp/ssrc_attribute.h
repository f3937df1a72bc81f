// a=ssrc (RFC 5576 section 4.1): a source-level attribute.
//   a=ssrc:<ssrc-id> <attribute>[:<value>]
//   a=ssrc:1001 cname:4TOk42mSjXCkVIa6
//   a=ssrc:1001 msid:stream-id track-id
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct SsrcAttribute {
  static constexpr std::string_view kName = "ssrc";

  uint32_t ssrc = 0;
  std::string attribute;  // a token: "cname", "msid", ...
  std::string value;      // empty when the source attribute has none

  // Errors: invalid_ssrc.
  static Result<SsrcAttribute> parse(std::string_view value);
  std::string serialize() const;

  bool operator==(const SsrcAttribute&) const = default;
};

}  // namespace conclave::sdp
