// Byte buffers: Bytes owns, BytesView borrows. Secrets use SecretBytes
// (secret_bytes.h) instead, which wipes itself and cannot be printed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace conclave {

using Bytes = std::vector<uint8_t>;
using BytesView = std::span<const uint8_t>;
using MutableBytesView = std::span<uint8_t>;

inline BytesView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};  // NOLINT
}

inline Bytes to_bytes(std::string_view s) {
  auto v = as_bytes(s);
  return {v.begin(), v.end()};
}

inline Bytes concat(std::initializer_list<BytesView> parts) {
  size_t n = 0;
  for (auto p : parts) n += p.size();
  Bytes out;
  out.reserve(n);
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline bool equal(BytesView a, BytesView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Big-endian encoding of the low `width` bytes of `value` (width <= 8).
inline void put_be(MutableBytesView out, uint64_t value) {
  for (size_t i = out.size(); i > 0; --i) {
    out[i - 1] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
}

inline Bytes be_bytes(uint64_t value, size_t width) {
  Bytes out(width);
  put_be(out, value);
  return out;
}

}  // namespace conclave
