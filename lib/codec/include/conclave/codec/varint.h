// The variable-size integer of RFC 9420 section 2.1.2, used as the length
// header of every vector<V>:
//
//   prefix  bytes  value bits  values
//   00      1      6           0 .. 63
//   01      2      14          64 .. 16383
//   10      4      30          16384 .. 2^30-1
//   11      (invalid)
//
// Encodings must be minimal. Reader::read_varint decodes, Writer::write_varint
// encodes; this header only holds the shared limits.
#pragma once

#include <cstddef>
#include <cstdint>

namespace conclave::codec {

// The largest value (and so the largest vector length) a varint can carry.
inline constexpr uint32_t kMaxVarint = (uint32_t{1} << 30) - 1;

// The number of bytes of the minimal encoding of `value` (1, 2 or 4).
// Precondition: value <= kMaxVarint.
constexpr size_t varint_size(uint64_t value) {
  if (value < 64) return 1;
  if (value < 16384) return 2;
  return 4;
}

}  // namespace conclave::codec
