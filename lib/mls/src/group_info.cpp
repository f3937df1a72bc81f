#include "conclave/mls/group_info.h"

namespace conclave::mls {

Bytes encode_group_info_tbs(const GroupInfo& group_info) {
  codec::Writer w;
  codec::encode(w, group_info.group_context);
  codec::encode(w, group_info.extensions);
  w.write_opaque(group_info.confirmation_tag);
  codec::encode(w, group_info.signer);
  return w.take();
}

Bytes encode(const GroupInfo& group_info) {
  return codec::encode(group_info);
}

Result<GroupInfo> decode_group_info(BytesView data) {
  return codec::decode<GroupInfo>(data);
}

}  // namespace conclave::mls
