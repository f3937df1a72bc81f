#include "conclave/mls/public_group.h"

#include <utility>

#include "conclave/mls/message_protection.h"
#include "conclave/mls/sender_key.h"
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
  // The membership tag's value needs the membership key, which the
  // delivery service does not have; everything else is checked.
  CV_TRY_STATUS(check_public_framing(message, context_));
  CV_TRY(Bytes key, sender_signature_key(message.content, tree_, context_.extensions));
  const Bytes tbs =
      encode_framed_content_tbs(WireFormat::mls_public_message, message.content, &context_);
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
