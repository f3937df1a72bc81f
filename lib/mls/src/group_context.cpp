#include "conclave/mls/group_context.h"

namespace conclave::mls {

Bytes encode(const GroupContext& context) {
  return codec::encode(context);
}

Result<GroupContext> decode_group_context(BytesView data) {
  return codec::decode<GroupContext>(data);
}

}  // namespace conclave::mls
