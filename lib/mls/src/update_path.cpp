#include "conclave/mls/update_path.h"

namespace conclave::mls {

Bytes encode(const HPKECiphertext& ciphertext) {
  return codec::encode(ciphertext);
}

Bytes encode(const UpdatePath& path) {
  return codec::encode(path);
}

Result<HPKECiphertext> decode_hpke_ciphertext(BytesView data) {
  return codec::decode<HPKECiphertext>(data);
}

Result<UpdatePath> decode_update_path(BytesView data) {
  return codec::decode<UpdatePath>(data);
}

}  // namespace conclave::mls
