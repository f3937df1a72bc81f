#include "conclave/mls/proposal_list.h"

#include <algorithm>
#include <utility>

#include "conclave/codec/tls.h"
#include "conclave/mls/leaf_validation.h"

namespace conclave::mls {

namespace {

Error prop_error(std::string_view rule) { return Error(Errc::invalid_proposal, rule); }

bool same_leaf(const std::vector<LeafIndex>& leaves, LeafIndex leaf) {
  return std::find(leaves.begin(), leaves.end(), leaf) != leaves.end();
}

// 12.2, regular commits: the structural list rules.
Status check_regular_list(const RatchetTree& tree, std::span<const ResolvedProposal> proposals,
                          LeafIndex committer) {
  std::vector<LeafIndex> touched;  // leaves of Updates and Removes
  size_t gce = 0;
  bool reinit = false;
  std::vector<const PreSharedKeyID*> psks;
  for (const auto& p : proposals) {
    const auto sender_leaf = p.sender.leaf_index();
    switch (p.proposal.proposal_type()) {
      case ProposalType::update: {
        if (!sender_leaf.has_value() || tree.leaf(*sender_leaf) == nullptr) {
          return prop_error("MLS-V-PROP-010");
        }
        if (*sender_leaf == committer) return prop_error("MLS-V-PROP-001");
        if (same_leaf(touched, *sender_leaf)) return prop_error("MLS-V-PROP-003");
        touched.push_back(*sender_leaf);
        break;
      }
      case ProposalType::remove: {
        const LeafIndex removed = std::get<Remove>(p.proposal.content).removed;
        if (removed.value >= tree.leaf_count() || tree.leaf(removed) == nullptr) {
          return prop_error("MLS-V-PROP-010");
        }
        if (removed == committer) return prop_error("MLS-V-PROP-002");
        if (same_leaf(touched, removed)) return prop_error("MLS-V-PROP-003");
        touched.push_back(removed);
        break;
      }
      case ProposalType::psk: {
        const auto& id = std::get<PreSharedKey>(p.proposal.content).psk;
        for (const auto* other : psks) {
          if (*other == id) return prop_error("MLS-V-PROP-005");
        }
        psks.push_back(&id);
        break;
      }
      case ProposalType::group_context_extensions:
        if (++gce > 1) return prop_error("MLS-V-PROP-006");
        break;
      case ProposalType::reinit:
        reinit = true;
        break;
      case ProposalType::external_init:
        return prop_error("MLS-V-PROP-008");
      case ProposalType::add:
      case ProposalType::reserved:
        break;
    }
  }
  if (reinit && proposals.size() != 1) return prop_error("MLS-V-PROP-007");

  // Adds: distinct clients, none already in the group unless removed here.
  std::vector<BytesView> added_keys;
  for (const auto& p : proposals) {
    const auto* add = std::get_if<Add>(&p.proposal.content);
    if (add == nullptr) continue;
    const BytesView key = add->key_package.leaf_node.signature_key;
    for (BytesView other : added_keys) {
      if (equal(other, key)) return prop_error("MLS-V-PROP-004");
    }
    added_keys.push_back(key);
    if (const auto member = tree.find_leaf_by_signature_key(key);
        member.has_value() && !same_leaf(touched, *member)) {
      return prop_error("MLS-V-PROP-004");
    }
  }
  return {};
}

// 12.2, external commits.
Status check_external_list(std::span<const ResolvedProposal> proposals) {
  size_t external_init = 0;
  size_t removes = 0;
  for (const auto& p : proposals) {
    if (p.ref.has_value()) return prop_error("MLS-V-PROP-009");
    switch (p.proposal.proposal_type()) {
      case ProposalType::external_init:
        ++external_init;
        break;
      case ProposalType::remove:
        ++removes;
        break;
      case ProposalType::psk:
        break;
      default:
        return prop_error("MLS-V-PROP-009");
    }
  }
  if (external_init != 1 || removes > 1) return prop_error("MLS-V-PROP-009");
  // PSK ids distinct (same rule as regular commits).
  for (size_t i = 0; i < proposals.size(); ++i) {
    const auto* a = std::get_if<PreSharedKey>(&proposals[i].proposal.content);
    if (a == nullptr) continue;
    for (size_t j = i + 1; j < proposals.size(); ++j) {
      const auto* b = std::get_if<PreSharedKey>(&proposals[j].proposal.content);
      if (b != nullptr && b->psk == a->psk) return prop_error("MLS-V-PROP-005");
    }
  }
  return {};
}

// 12.1.4 and 8.4: what a PreSharedKey proposal may name in a regular commit.
Status check_psk(const CipherSuite& suite, const PreSharedKeyID& id) {
  if (id.psk_nonce.size() != suite.hash_size()) return prop_error("MLS-V-PROP-011");
  if (const auto* resumption = std::get_if<ResumptionPSK>(&id.content);
      resumption != nullptr && resumption->usage != ResumptionPSKUsage::application) {
    return prop_error("MLS-V-PROP-011");
  }
  return {};
}

// 12.1.7: every member supports the new extensions and required capabilities.
Status check_group_context_extensions(const RatchetTree& tree,
                                      const std::vector<Extension>& extensions) {
  if (has_duplicate_extension_types(extensions)) return prop_error("MLS-V-PROP-013");
  if (!find_extension<RequiredCapabilities>(extensions).ok()) return prop_error("MLS-V-PROP-013");
  // A malformed external_senders extension would leave the group without a
  // way to check external proposals: refuse it here.
  if (!find_extension<ExternalSenders>(extensions).ok()) return prop_error("MLS-V-PROP-013");
  for (uint32_t i = 0; i < tree.leaf_count(); ++i) {
    const LeafNode* leaf = tree.leaf(LeafIndex{i});
    if (leaf != nullptr && !supports_group_extensions(*leaf, extensions)) {
      return prop_error("MLS-V-PROP-013");
    }
  }
  return {};
}

}  // namespace

bool requires_path(ProposalType proposal_type) {
  switch (proposal_type) {
    case ProposalType::update:
    case ProposalType::remove:
    case ProposalType::external_init:
    case ProposalType::group_context_extensions:
      return true;
    case ProposalType::add:
    case ProposalType::psk:
    case ProposalType::reinit:
    case ProposalType::reserved:
      return false;
  }
  return true;
}

Result<ProposalEffects> apply_proposals(const RatchetTree& tree, const GroupContext& context,
                                        std::span<const ResolvedProposal> proposals,
                                        Committer committer, const ProposalCheckOptions& options) {
  const CipherSuite& suite = tree.suite();
  if (committer.leaf.has_value()) {
    CV_TRY_STATUS(check_regular_list(tree, proposals, *committer.leaf));
  } else {
    CV_TRY_STATUS(check_external_list(proposals));
  }

  ProposalEffects out{tree, context.extensions, {}, {}, {}, {}, {}, {}, {}, proposals.empty()};
  for (const auto& p : proposals) {
    if (requires_path(p.proposal.proposal_type())) out.path_required = true;
  }

  // GroupContextExtensions first: the other proposals are checked against
  // the new extensions.
  for (const auto& p : proposals) {
    if (const auto* gce = std::get_if<GroupContextExtensions>(&p.proposal.content)) {
      CV_TRY_STATUS(check_group_context_extensions(tree, gce->extensions));
      out.extensions = gce->extensions;
    }
  }

  LeafValidationContext leaf_context{suite, context.group_id, out.extensions};
  leaf_context.verifier = options.verifier;
  leaf_context.now = options.now;

  // Updates.
  for (const auto& p : proposals) {
    const auto* update = std::get_if<Update>(&p.proposal.content);
    if (update == nullptr) continue;
    const LeafIndex leaf = *p.sender.leaf_index();  // checked above
    leaf_context.tree = &out.tree;
    leaf_context.leaf_index = leaf;
    leaf_context.replacing = leaf;
    leaf_context.source = LeafNodeSource::update;
    CV_TRY_STATUS(validate_leaf_node(update->leaf_node, leaf_context));
    CV_TRY_STATUS(out.tree.update_leaf(leaf, update->leaf_node));
    out.updated.push_back(leaf);
  }

  // Removes.
  for (const auto& p : proposals) {
    const auto* remove = std::get_if<Remove>(&p.proposal.content);
    if (remove == nullptr) continue;
    if (out.tree.leaf(remove->removed) == nullptr) return prop_error("MLS-V-PROP-010");
    CV_TRY_STATUS(out.tree.remove_leaf(remove->removed));
    out.removed.push_back(remove->removed);
  }

  // Adds, in order.
  for (const auto& p : proposals) {
    const auto* add = std::get_if<Add>(&p.proposal.content);
    if (add == nullptr) continue;
    leaf_context.tree = &out.tree;
    leaf_context.replacing = std::nullopt;
    leaf_context.source = LeafNodeSource::key_package;
    CV_TRY_STATUS(validate_key_package(add->key_package, leaf_context));
    CV_TRY(LeafIndex leaf, out.tree.add_leaf(add->key_package.leaf_node));
    out.added.push_back(leaf);
    out.added_key_packages.push_back(add->key_package);
  }

  // PreSharedKeys, in order; ExternalInit; ReInit.
  for (const auto& p : proposals) {
    if (const auto* psk = std::get_if<PreSharedKey>(&p.proposal.content)) {
      CV_TRY_STATUS(check_psk(suite, psk->psk));
      out.psks.push_back(psk->psk);
    } else if (const auto* init = std::get_if<ExternalInit>(&p.proposal.content)) {
      out.external_init = init->kem_output;
    } else if (const auto* reinit = std::get_if<ReInit>(&p.proposal.content)) {
      if (reinit->version != ProtocolVersion::mls10 ||
          !CipherSuite::is_supported(reinit->cipher_suite)) {
        return prop_error("MLS-V-PROP-012");
      }
      out.reinit = *reinit;
    }
  }
  return out;
}

Result<std::vector<ResolvedProposal>> resolve_proposals(const Commit& commit,
                                                        const Sender& committer,
                                                        const ProposalStore& store) {
  std::vector<ResolvedProposal> out;
  out.reserve(commit.proposals.size());
  for (const auto& p : commit.proposals) {
    if (const auto* proposal = p.proposal()) {
      out.push_back({*proposal, committer, std::nullopt});
    } else {
      const ProposalStore::Entry* e = store.find(*p.reference());
      if (e == nullptr) return Error(Errc::unknown_proposal, "MLS-V-COMMIT-005");
      out.push_back({e->proposal, e->sender, e->ref});
    }
  }
  return out;
}

Result<CheckedCommit> check_commit(const RatchetTree& tree, const GroupContext& context,
                                   const FramedContent& content,
                                   std::span<const ResolvedProposal> proposals,
                                   const ProposalCheckOptions& options) {
  auto commit_error = [](std::string_view rule) { return Error(Errc::invalid_commit, rule); };
  const auto* commit = std::get_if<Commit>(&content.content);
  if (commit == nullptr) return Error(Errc::invalid_argument, "not a commit");
  const bool external = content.sender.sender_type() == SenderType::new_member_commit;
  const std::optional<LeafIndex> member = content.sender.leaf_index();
  if (!external && !member.has_value()) return commit_error("MLS-V-COMMIT-004");

  CV_TRY(ProposalEffects effects,
         apply_proposals(tree, context, proposals, Committer{member}, options));
  if ((effects.path_required || external) && !commit->path.has_value()) {
    return commit_error("MLS-V-COMMIT-001");
  }
  if (effects.reinit.has_value() && commit->path.has_value()) {
    // Section 12.1.5: a ReInit commit does not change the tree.
    return commit_error("MLS-V-COMMIT-001");
  }

  LeafIndex committer = member.value_or(LeafIndex{});
  if (external) {
    const LeafNode& leaf = commit->path->leaf_node;
    if (!effects.removed.empty()) {
      // A resync: the new leaf must be acceptable as an Update of the
      // removed one (the same credential).
      const LeafNode* removed = tree.leaf(effects.removed.front());
      if (removed == nullptr || !(removed->credential == leaf.credential)) {
        return commit_error("MLS-V-COMMIT-006");
      }
    }
    // The joiner takes the leftmost blank leaf (section 12.4.3.2).
    CV_TRY(committer, effects.tree.add_leaf(leaf));
  }

  GroupContext next_context = context;
  next_context.epoch = context.epoch + 1;
  next_context.extensions = effects.extensions;

  if (commit->path.has_value()) {
    const UpdatePath& path = *commit->path;
    LeafValidationContext leaf_context{tree.suite(), context.group_id, next_context.extensions};
    leaf_context.tree = &effects.tree;
    leaf_context.leaf_index = committer;
    leaf_context.replacing = committer;
    leaf_context.source = LeafNodeSource::commit;
    leaf_context.verifier = options.verifier;
    // Both callers merge the path next, which verifies this signature.
    leaf_context.verify_signature = false;
    CV_TRY_STATUS(validate_leaf_node(path.leaf_node, leaf_context));
    if (!external &&
        equal(path.leaf_node.encryption_key, effects.tree.leaf(committer)->encryption_key)) {
      return commit_error("MLS-V-COMMIT-002");
    }
    for (const auto& node : path.nodes) {
      if (effects.tree.find_node_by_encryption_key(node.encryption_key).has_value()) {
        return commit_error("MLS-V-COMMIT-008");
      }
    }
  }
  return CheckedCommit{std::move(effects), committer, external, std::move(next_context)};
}

}  // namespace conclave::mls
