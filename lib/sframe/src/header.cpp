#include "conclave/sframe/header.h"

#include <algorithm>
#include <array>
#include <bit>

namespace conclave::sframe {
namespace {

// Each half of the config byte is a flag bit (X or Y) and 3 value bits.
constexpr uint8_t kExtended = 0x08;
constexpr uint8_t kValueBits = 0x07;
constexpr uint64_t kMaxInline = 7;

// Bytes a field takes after the config byte: 0 when the value fits inline,
// otherwise the length of its big-endian form without leading zeros.
size_t field_length(uint64_t value) {
  return value <= kMaxInline ? 0 : (static_cast<size_t>(std::bit_width(value)) + 7) / 8;
}

void write_be(uint8_t* out, size_t length, uint64_t value) {
  for (size_t i = length; i > 0; --i) {
    out[i - 1] = static_cast<uint8_t>(value);
    value >>= 8;
  }
}

// The config-byte half of a field: the value itself, or the flag and the
// length minus one.
uint8_t config_nibble(uint64_t value, size_t length) {
  if (length == 0) return static_cast<uint8_t>(value);
  return static_cast<uint8_t>(kExtended | (length - 1));
}

// Bytes after the config byte of the field whose config-byte half is
// `nibble`: 0 for an inline value, else the 3-bit length plus one.
size_t extended_length(uint8_t nibble) {
  return (nibble & kExtended) == 0 ? 0 : static_cast<size_t>(nibble & kValueBits) + 1;
}

uint64_t read_be(const uint8_t* in, size_t length) {
  uint64_t value = 0;
  for (size_t i = 0; i < length; ++i) value = (value << 8) | in[i];
  return value;
}

// Why an extended field of `length` bytes at `in` holding `value` is not
// minimal, or nullptr when it is.
const char* non_minimal_reason(const uint8_t* in, size_t length, uint64_t value) {
  if (length > 1 && in[0] == 0) return "leading zero byte";
  if (value <= kMaxInline) return "value 0-7 in extended form";
  return nullptr;
}

}  // namespace

size_t Header::encoded_size() const { return 1 + field_length(kid) + field_length(ctr); }

size_t Header::encode_into(std::span<uint8_t, kMaxSize> out) const {
  const size_t kid_len = field_length(kid);
  const size_t ctr_len = field_length(ctr);
  uint8_t* p = out.data();
  p[0] = static_cast<uint8_t>((config_nibble(kid, kid_len) << 4) | config_nibble(ctr, ctr_len));
  write_be(p + 1, kid_len, kid);
  write_be(p + 1 + kid_len, ctr_len, ctr);
  return 1 + kid_len + ctr_len;
}

Result<size_t> Header::encode(MutableBytesView out) const {
  if (out.size() >= kMaxSize) return encode_into(out.first<kMaxSize>());
  if (out.size() < encoded_size()) return Errc::buffer_too_small;
  std::array<uint8_t, kMaxSize> buf;
  const size_t n = encode_into(buf);
  std::copy_n(buf.begin(), n, out.begin());
  return n;
}

Result<ParsedHeader> Header::parse(BytesView data) {
  if (data.empty()) return Errc::truncated_header;
  const uint8_t* p = data.data();
  const auto kid_nibble = static_cast<uint8_t>(p[0] >> 4);
  const auto ctr_nibble = static_cast<uint8_t>(p[0] & 0x0f);
  const size_t kid_len = extended_length(kid_nibble);
  const size_t ctr_len = extended_length(ctr_nibble);
  const size_t size = 1 + kid_len + ctr_len;
  if (data.size() < size) return Errc::truncated_header;

  Header h;
  if (kid_len == 0) {
    h.kid = kid_nibble;
  } else {
    h.kid = read_be(p + 1, kid_len);
    if (const char* why = non_minimal_reason(p + 1, kid_len, h.kid)) {
      return Error(Errc::non_minimal_header, why);
    }
  }
  if (ctr_len == 0) {
    h.ctr = ctr_nibble;
  } else {
    h.ctr = read_be(p + 1 + kid_len, ctr_len);
    if (const char* why = non_minimal_reason(p + 1 + kid_len, ctr_len, h.ctr)) {
      return Error(Errc::non_minimal_header, why);
    }
  }
  return ParsedHeader{h, size};
}

}  // namespace conclave::sframe
