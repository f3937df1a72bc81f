// Lexical helpers shared by the SDP parsers (RFC 8866 section 9 grammar).
// Private to lib/sdp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::sdp::detail {

// token-char (RFC 8866): %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 /
// %x41-5A / %x5E-7E.
bool is_token_char(char c);
// 1*token-char.
bool is_token(std::string_view s);
// non-ws-string: 1*(VCHAR / %x80-FF).
bool is_non_ws(std::string_view s);
// byte-string: 1*(any byte but NUL, CR, LF).
bool is_byte_string(std::string_view s);
// ice-char (RFC 8839): ALPHA / DIGIT / "+" / "/"; n in [min, max].
bool is_ice_chars(std::string_view s, size_t min, size_t max);
bool is_hex_digit(char c);

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

// Strips SP and TAB from both ends.
std::string_view trim(std::string_view s);

// Splits on runs of SP/TAB, ignoring leading and trailing ones. nullopt
// when there are more than max_fields fields.
std::optional<std::vector<std::string_view>> split_fields(std::string_view s, size_t max_fields);

// A decimal number of 1..20 digits that fits T; no sign, no spaces.
template <class T>
std::optional<T> parse_uint(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
  return static_cast<T>(v);
}

// An RTP payload type, 0..127.
std::optional<uint8_t> parse_payload_type(std::string_view s);

}  // namespace conclave::sdp::detail
