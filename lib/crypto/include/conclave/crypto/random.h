// Cryptographically secure random bytes from the backend's DRBG.
#pragma once

#include <concepts>
#include <cstdint>

#include "conclave/base/bytes.h"

namespace conclave::crypto {

void random_bytes(MutableBytesView out);
Bytes random_bytes(size_t n);

// A uniformly random unsigned integer (SSRCs, initial sequence numbers,
// ICE tie-breakers).
template <std::unsigned_integral T>
T random_uint() {
  uint8_t b[sizeof(T)];
  random_bytes(b);
  T v = 0;
  for (uint8_t x : b) v = static_cast<T>((static_cast<uint64_t>(v) << 8) | x);
  return v;
}

}  // namespace conclave::crypto
