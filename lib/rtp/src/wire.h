// Private big-endian read/append helpers shared by the RTP and RTCP
// sources. Readers take an offset the caller has already bounds-checked.
#pragma once

#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"

namespace conclave::rtp::wire {

inline uint16_t u16(BytesView b, size_t off) {
  return static_cast<uint16_t>((b[off] << 8) | b[off + 1]);
}
inline uint32_t u24(BytesView b, size_t off) {
  return (uint32_t{b[off]} << 16) | (uint32_t{b[off + 1]} << 8) | uint32_t{b[off + 2]};
}
inline uint32_t u32(BytesView b, size_t off) {
  return (uint32_t{b[off]} << 24) | (uint32_t{b[off + 1]} << 16) | (uint32_t{b[off + 2]} << 8) |
         uint32_t{b[off + 3]};
}
inline uint64_t u64(BytesView b, size_t off) {
  return (uint64_t{u32(b, off)} << 32) | uint64_t{u32(b, off + 4)};
}

inline void put8(Bytes& out, uint32_t v) { out.push_back(static_cast<uint8_t>(v & 0xff)); }
inline void put16(Bytes& out, uint32_t v) {
  put8(out, v >> 8);
  put8(out, v);
}
inline void put24(Bytes& out, uint32_t v) {
  put8(out, v >> 16);
  put16(out, v);
}
inline void put32(Bytes& out, uint32_t v) {
  put16(out, v >> 16);
  put16(out, v);
}
inline void put64(Bytes& out, uint64_t v) {
  put32(out, static_cast<uint32_t>(v >> 32));
  put32(out, static_cast<uint32_t>(v));
}
inline void put_bytes(Bytes& out, BytesView v) { out.insert(out.end(), v.begin(), v.end()); }

inline void write16(MutableBytesView b, size_t off, uint32_t v) {
  b[off] = static_cast<uint8_t>((v >> 8) & 0xff);
  b[off + 1] = static_cast<uint8_t>(v & 0xff);
}
inline void write32(MutableBytesView b, size_t off, uint32_t v) {
  write16(b, off, v >> 16);
  write16(b, off + 2, v);
}

}  // namespace conclave::rtp::wire
