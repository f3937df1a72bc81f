#include "conclave/mls/mls_message.h"

namespace conclave::mls {

Bytes encode(const MLSMessage& message) {
  return codec::encode(message);
}

Result<MLSMessage> decode_mls_message(BytesView data) {
  return codec::decode<MLSMessage>(data);
}

}  // namespace conclave::mls
