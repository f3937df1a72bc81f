// Internal: NIST curve keys (P-256, P-384, P-521) shared by the DH and the
// ECDSA code. Scalars are big-endian and exactly the curve's scalar size;
// points are uncompressed SEC1 encodings (0x04 || x || y).
#pragma once

#include <cstddef>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/errc.h"
#include "openssl_util.h"

namespace conclave::crypto::ossl {

enum class EcCurve : uint8_t { p256, p384, p521 };

size_t ec_scalar_size(EcCurve c);  // 32, 48, 66
size_t ec_point_size(EcCurve c);   // 65, 97, 133

struct EcKeyPair {
  PkeyPtr pkey;      // private and public part
  Bytes public_key;  // uncompressed point
};

// A key pair from a scalar of exactly ec_scalar_size() bytes. Errc::invalid_key
// for a wrong size or a scalar that is zero or not below the group order.
Result<EcKeyPair> ec_private_key(EcCurve c, BytesView scalar);

// A public key from an uncompressed point. Errc::invalid_public_key for a
// wrong size, another encoding, or a point not on the curve.
Result<PkeyPtr> ec_public_key(EcCurve c, BytesView point);

// A uniformly random scalar in [1, order-1], ec_scalar_size() bytes.
SecretBytes ec_random_scalar(EcCurve c);

}  // namespace conclave::crypto::ossl
