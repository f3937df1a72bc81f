// Cryptographically secure random bytes from the backend's DRBG.
#pragma once

#include "conclave/base/bytes.h"

namespace conclave::crypto {

void random_bytes(MutableBytesView out);
Bytes random_bytes(size_t n);

}  // namespace conclave::crypto
