#include "conclave/crypto/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "conclave/base/check.h"

namespace conclave::crypto {

void random_bytes(MutableBytesView out) {
  // A failing DRBG is not attacker input; continuing without randomness
  // would be worse than stopping.
  while (!out.empty()) {
    size_t n = std::min(out.size(), static_cast<size_t>(INT_MAX));
    CV_CHECK(RAND_bytes(out.data(), static_cast<int>(n)) == 1);
    out = out.subspan(n);
  }
}

Bytes random_bytes(size_t n) {
  Bytes out(n);
  random_bytes(out);
  return out;
}

}  // namespace conclave::crypto
