// a=extmap (RFC 8285 section 8): binds an RTP header extension URI to a
// local ID.
//   a=extmap:<id>["/"<direction>] <URI> [<extension attributes>]
//   a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
//
// IDs 1-14 fit the one-byte header form, 1-255 the two-byte form (used
// only when both sides agree on a=extmap-allow-mixed); 0 and anything above
// 255 are refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/direction.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Extmap {
  static constexpr std::string_view kName = "extmap";
  static constexpr uint8_t kMaxOneByteId = 14;

  uint8_t id = 0;                      // 1..255
  std::optional<Direction> direction;  // absent: sendrecv
  std::string uri;                     // a non-ws-string
  std::string attributes;              // extension attributes, or empty

  // Errors: invalid_extmap.
  static Result<Extmap> parse(std::string_view value);
  std::string serialize() const;
  bool one_byte() const { return id >= 1 && id <= kMaxOneByteId; }

  bool operator==(const Extmap&) const = default;
};

}  // namespace conclave::sdp
