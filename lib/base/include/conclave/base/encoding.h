// Text encodings of bytes: hex (test vectors, fingerprints), base64 and
// base64url without padding (signaling messages carry MLS payloads in it).
// Decoders reject every malformed input with an error.
#pragma once

#include <string>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"

namespace conclave {

enum class EncodingErrc {
  odd_length = 1,
  bad_character,
  bad_padding,
};
std::string_view error_domain(EncodingErrc);
std::string_view error_message(EncodingErrc e);

std::string to_hex(BytesView data);
Result<Bytes> from_hex(std::string_view text);

// RFC 4648 section 4, with '=' padding.
std::string to_base64(BytesView data);
Result<Bytes> from_base64(std::string_view text);

// RFC 4648 section 5, without padding (padding is rejected on input).
std::string to_base64url(BytesView data);
Result<Bytes> from_base64url(std::string_view text);

}  // namespace conclave
