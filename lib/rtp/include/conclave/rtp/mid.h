// The MID header extension (RFC 8843 section 15, RFC 7941 for SDES items
// in RTP header extensions; written from the RFCs, not in specs/): the
// "a=mid" value of the media section a packet belongs to, as text. With
// BUNDLE the SFU routes by it until it has learned the SSRC.
//
// The value is a token (RFC 8843: "token" of RFC 4566), so it is 1-255
// printable ASCII characters without spaces; in the one-byte extension form
// it is at most 16 bytes.
#pragma once

#include <cstddef>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

struct Mid {
  static constexpr std::string_view kUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
  static constexpr size_t kMaxSize = 255;

  // Errors: invalid_length (empty), invalid_value (a byte outside 0x21-0x7e).
  // The view borrows data.
  static Result<std::string_view> parse(BytesView data);
  // invalid_argument for the same conditions or more than 255 bytes.
  static Result<Bytes> serialize(std::string_view mid);
};

}  // namespace conclave::rtp
