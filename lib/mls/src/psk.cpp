#include "conclave/mls/psk.h"

namespace conclave::mls {

Bytes encode(const PreSharedKeyID& id) {
  return codec::encode(id);
}

Bytes encode(const PSKLabel& label) {
  return codec::encode(label);
}

Result<PreSharedKeyID> decode_pre_shared_key_id(BytesView data) {
  return codec::decode<PreSharedKeyID>(data);
}

}  // namespace conclave::mls
