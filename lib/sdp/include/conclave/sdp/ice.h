// ICE attributes (RFC 8839 section 5): credentials and options.
//   a=ice-ufrag:<4..256 ice-chars>     a=ice-pwd:<22..256 ice-chars>
//   a=ice-options:trickle              a=ice-lite  (session level)
// ice-char = ALPHA / DIGIT / "+" / "/".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

inline constexpr size_t kMinIceUfragSize = 4;
inline constexpr size_t kMinIcePwdSize = 22;
inline constexpr size_t kMaxIceCredentialSize = 256;

// Errors: invalid_ice.
Status validate_ice_ufrag(std::string_view ufrag);
Status validate_ice_pwd(std::string_view pwd);
// The option tags of a=ice-options (tokens separated by spaces).
Result<std::vector<std::string>> parse_ice_options(std::string_view value);

}  // namespace conclave::sdp
