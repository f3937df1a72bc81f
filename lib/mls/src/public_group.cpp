#include "conclave/mls/public_group.h"

#include <utility>

#include "conclave/mls/message_protection.h"
#include "conclave/mls/transcript_hash.h"
#include "conclave/mls/treekem.h"
#include "conclave/mls/welcome_processing.h"

namespace conclave::mls {

namespace {

constexpr std::string_view kFramedContentTbsLabel = "FramedContentTBS";

}  // namespace

Result<PublicGroup> PublicGroup::create(const GroupInfo& group_info,
                                        std::optional<RatchetTree> tree,
                                        ProposalCheckOptions options,
                                        const ParallelFor* parallel) {
  CV_TRY(CipherSuite suite, CipherSuite::create(group_info.group_context.cipher_suite));
  if (!tree.has_value()) {
    const Extension* ext = find_extension(group_info.extensions, ExtensionType::ratchet_tree);
    if (ext == nullptr) return Error(Errc::invalid_tree, "MLS-V-WEL-012");
    CV_TRY(RatchetTree decoded, RatchetTree::decode(suite, ext->extension_data));
    tree = std::move(decoded);
  }
  if (!(tree->suite() == suite)) return Error(Errc::cipher_suite_mismatch, "MLS-V-WEL-008");
  const LeafNode* signer = tree->leaf(group_info.signer);
  if (signer == nullptr) return Error(Errc::unknown_sender, "MLS-V-WEL-007");
  CV_TRY_STATUS(verify_group_info_signature(suite, group_info, signer->signature_key));
  const GroupContext& context = group_info.group_context;
  if (!equal(tree->root_tree_hash(), context.tree_hash)) {
    return Error(Errc::tree_hash_mismatch, "MLS-V-WEL-010");
  }
  CV_TRY_STATUS(tree->validate(context.group_id, parallel));
  TranscriptHashes hashes = TranscriptHashes::with_tag(suite, context.confirmed_transcript_hash,
                                                       group_info.confirmation_tag);
  return PublicGroup(std::move(*tree), context, std::move(hashes.interim), options);
}

std::vector<LeafIndex> PublicGroup::members() const {
  std::vector<LeafIndex> out;
  for (uint32_t i = 0; i < tree_.leaf_count(); ++i) {
    if (tree_.leaf(LeafIndex{i}) != nullptr) out.push_back(LeafIndex{i});
  }
  return out;
}

Status PublicGroup::check_framing(const PublicMessage& message) const {
  const FramedContent& content = message.content;
  if (content.content_type() == ContentType::application) {
    return Error(Errc::invalid_wire_format, "MLS-V-FRAME-001");
  }
  if (!equal(content.group_id, context_.group_id)) {
    return Error(Errc::wrong_group, "MLS-V-FRAME-002");
  }
  if (content.epoch != context_.epoch) return Error(Errc::wrong_epoch, "MLS-V-FRAME-003");
  CV_TRY_STATUS(check_sender_fits_content(content));
  if (message.auth.confirmation_tag.has_value() != (content.content_type() == ContentType::commit)) {
    return Error(Errc::invalid_argument, "MLS-V-FRAME-007");
  }
  // The membership tag is there exactly for members (its value needs the
  // membership key, which the delivery service does not have).
  if (message.membership_tag.has_value() != content.sender.leaf_index().has_value()) {
    return Error(Errc::mac_mismatch, "MLS-V-FRAME-006");
  }

  Bytes key;
  switch (content.sender.sender_type()) {
    case SenderType::member: {
      const LeafNode* leaf = tree_.leaf(*content.sender.leaf_index());
      if (leaf == nullptr) return Error(Errc::unknown_sender, "MLS-V-FRAME-005");
      key = leaf->signature_key;
      break;
    }
    case SenderType::external: {
      auto senders = find_extension<ExternalSenders>(context_.extensions);
      const uint32_t index = std::get<Sender::External>(content.sender.sender).sender_index;
      if (!senders.ok() || !senders->has_value() ||
          index >= (*senders)->external_senders.size()) {
        return Error(Errc::unknown_sender, "MLS-V-FRAME-005");
      }
      key = (*senders)->external_senders[index].signature_key;
      break;
    }
    case SenderType::new_member_proposal:
      key = std::get<Add>(std::get<Proposal>(content.content).content)
                .key_package.leaf_node.signature_key;
      break;
    case SenderType::new_member_commit: {
      const auto& commit = std::get<Commit>(content.content);
      if (!commit.path.has_value()) return Error(Errc::unknown_sender, "MLS-V-FRAME-005");
      key = commit.path->leaf_node.signature_key;
      break;
    }
    case SenderType::reserved:
      return Error(Errc::unknown_sender, "MLS-V-FRAME-005");
  }
  const Bytes tbs =
      encode_framed_content_tbs(WireFormat::mls_public_message, content, &context_);
  if (!suite().verify_with_label(key, kFramedContentTbsLabel, tbs, message.auth.signature).ok()) {
    return Error(Errc::invalid_signature, "MLS-V-FRAME-008");
  }
  return {};
}

Result<ProposalRef> PublicGroup::handle_proposal(const PublicMessage& message) {
  if (message.content.content_type() != ContentType::proposal) {
    return Error(Errc::invalid_argument, "not a proposal");
  }
  CV_TRY_STATUS(check_framing(message));
  const auto& proposal = std::get<Proposal>(message.content.content);
  if (proposal.proposal_type() == ProposalType::external_init) {
    return Error(Errc::invalid_proposal, "MLS-V-PROP-008");
  }
  AuthenticatedContent content{WireFormat::mls_public_message, message.content, message.auth};
  const ProposalRef ref = suite().make_proposal_ref(encode(content));
  store_.add({ref, proposal, message.content.sender, std::nullopt});
  return ref;
}

Result<PublicGroup::Staged> PublicGroup::stage_commit(const PublicMessage& message) const {
  if (message.content.content_type() != ContentType::commit) {
    return Error(Errc::invalid_argument, "not a commit");
  }
  CV_TRY_STATUS(check_framing(message));
  const FramedContent& framed = message.content;
  const auto& commit = std::get<Commit>(framed.content);

  CV_TRY(std::vector<ResolvedProposal> proposals,
         resolve_proposals(commit, framed.sender, store_));
  CV_TRY(CheckedCommit checked, check_commit(tree_, context_, framed, proposals, options_));
  RatchetTree tree = std::move(checked.effects.tree);
  if (commit.path.has_value()) {
    CV_TRY_STATUS(merge_update_path(tree, checked.committer, *commit.path, context_.group_id));
  }
  GroupContext next_context = std::move(checked.next_context);
  next_context.tree_hash = tree.root_tree_hash();
  AuthenticatedContent content{WireFormat::mls_public_message, framed, message.auth};
  TranscriptHashes hashes{context_.confirmed_transcript_hash, interim_};
  next_context.confirmed_transcript_hash = hashes.next_confirmed(suite(), content);
  TranscriptHashes next_hashes = TranscriptHashes::with_tag(
      suite(), next_context.confirmed_transcript_hash, *message.auth.confirmation_tag);

  return Staged{PublicGroup(std::move(tree), std::move(next_context),
                            std::move(next_hashes.interim), options_),
                framed.sender,
                checked.committer,
                std::move(proposals),
                std::move(checked.effects.added),
                std::move(checked.effects.removed)};
}

}  // namespace conclave::mls
