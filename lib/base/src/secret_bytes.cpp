#include "conclave/base/secret_bytes.h"

#include <string.h>  // explicit_bzero (glibc)

namespace conclave {

void secure_wipe(MutableBytesView data) {
  if (!data.empty()) explicit_bzero(data.data(), data.size());
}

bool constant_time_equal(BytesView a, BytesView b) {
  if (a.size() != b.size()) return false;
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<uint8_t>(diff | (a[i] ^ b[i]));
  }
  return diff == 0;
}

}  // namespace conclave
