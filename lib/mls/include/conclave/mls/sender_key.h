// sender_signature_key: whose key signed a framed message (RFC 9420
// section 6.1), answered from the group's public state. Shared by the
// member's Group and the server's PublicGroup.
//
//   member               the LeafNode's signature_key in the tree
//   external             external_senders[sender_index] of the GroupContext
//   new_member_proposal  the Add proposal's KeyPackage leaf
//   new_member_commit    the commit's UpdatePath leaf
//
// Errc::unknown_sender (MLS-V-FRAME-005) for a blank or absent leaf, an
// index outside external_senders (or none), or content that does not carry
// the key its sender type promises.
#pragma once

#include <span>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/ratchet_tree.h"

namespace conclave::mls {

Result<Bytes> sender_signature_key(const FramedContent& content, const RatchetTree& tree,
                                   std::span<const Extension> group_extensions);

}  // namespace conclave::mls
