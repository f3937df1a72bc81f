#include "conclave/mls/welcome.h"

namespace conclave::mls {

Bytes encode(const Welcome& welcome) {
  return codec::encode(welcome);
}

SecretBytes encode(const GroupSecrets& group_secrets) {
  return SecretBytes::adopt(codec::encode(group_secrets));
}

Result<Welcome> decode_welcome(BytesView data) {
  return codec::decode<Welcome>(data);
}

Result<GroupSecrets> decode_group_secrets(BytesView data) {
  return codec::decode<GroupSecrets>(data);
}

}  // namespace conclave::mls
