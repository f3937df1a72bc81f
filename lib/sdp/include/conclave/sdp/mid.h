// a=mid (RFC 5888 section 4, RFC 8843): the identification tag of a media
// section, a token; Conclave limits it to kMaxSize bytes, the most the
// RTP MID header extension can carry (rtp::Mid).
#pragma once

#include <cstddef>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

inline constexpr size_t kMaxMidSize = 255;

// Errors: invalid_mid.
Status validate_mid(std::string_view mid);

}  // namespace conclave::sdp
