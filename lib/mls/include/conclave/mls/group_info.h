// GroupInfo (RFC 9420 section 12.4.3): what a joiner needs to know about a
// group (its GroupContext, extra extensions such as ratchet_tree and
// external_pub, the confirmation tag of the epoch), signed by the member at
// leaf `signer` over GroupInfoTBS (every field but the signature).
//
// Unknown extensions in GroupInfo.extensions MUST be ignored; they decode
// and re-encode unchanged.
#pragma once

#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     GroupContext group_context;
//     Extension extensions<V>;
//     MAC confirmation_tag;
//     uint32 signer;
//     /* SignWithLabel(., "GroupInfoTBS", GroupInfoTBS) */
//     opaque signature<V>;
// } GroupInfo;
struct GroupInfo {
  // Its tag as an arm of MLSMessage.
  static constexpr WireFormat kType = WireFormat::mls_group_info;

  GroupContext group_context;
  std::vector<Extension> extensions;
  MAC confirmation_tag;
  LeafIndex signer;
  Bytes signature;
  CV_TLS_FIELDS(group_context, extensions, confirmation_tag, signer, signature)
  bool operator==(const GroupInfo&) const = default;
};

// struct {
//     GroupContext group_context;
//     Extension extensions<V>;
//     MAC confirmation_tag;
//     uint32 signer;
// } GroupInfoTBS;
Bytes encode_group_info_tbs(const GroupInfo& group_info);

// Wire encodings (instantiated in group_info.cpp).
Bytes encode(const GroupInfo& group_info);
Result<GroupInfo> decode_group_info(BytesView data);

}  // namespace conclave::mls
