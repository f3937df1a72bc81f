#include "conclave/mls/sender_key.h"

#include <variant>

#include "conclave/mls/commit.h"
#include "conclave/mls/errc.h"
#include "conclave/mls/proposal.h"

namespace conclave::mls {

Result<Bytes> sender_signature_key(const FramedContent& content, const RatchetTree& tree,
                                   std::span<const Extension> group_extensions) {
  const Error unknown(Errc::unknown_sender, "MLS-V-FRAME-005");
  switch (content.sender.sender_type()) {
    case SenderType::member: {
      const LeafNode* leaf = tree.leaf(*content.sender.leaf_index());
      if (leaf == nullptr) return unknown;
      return leaf->signature_key;
    }
    case SenderType::external: {
      auto senders = find_extension<ExternalSenders>(group_extensions);
      const uint32_t index = std::get<Sender::External>(content.sender.sender).sender_index;
      if (!senders.ok() || !senders->has_value() ||
          index >= (*senders)->external_senders.size()) {
        return unknown;
      }
      return (*senders)->external_senders[index].signature_key;
    }
    case SenderType::new_member_proposal: {
      const auto* proposal = std::get_if<Proposal>(&content.content);
      const Add* add = proposal != nullptr ? std::get_if<Add>(&proposal->content) : nullptr;
      if (add == nullptr) return unknown;
      return add->key_package.leaf_node.signature_key;
    }
    case SenderType::new_member_commit: {
      const auto* commit = std::get_if<Commit>(&content.content);
      if (commit == nullptr || !commit->path.has_value()) return unknown;
      return commit->path->leaf_node.signature_key;
    }
    case SenderType::reserved:
      break;
  }
  return unknown;
}

}  // namespace conclave::mls
