// PublicGroup: the secret-free view of a group that the delivery service
// runs (RFC 9420 sections 12.4.2 and 16.x "the DS can validate handshake
// messages when they are PublicMessages"). It holds no key of the group:
// the public ratchet tree, the GroupContext and the interim transcript
// hash.
//
//   PublicGroup::create(GroupInfo)   signature by the signer's leaf, tree
//                                    validity, tree hash (as a joiner)
//   handle_proposal(PublicMessage)   sender and signature checked, stored
//   stage_commit(PublicMessage) const -> next PublicGroup (not applied)
//
// What it checks on a commit: group, epoch, sender (a member leaf, or a new
// member for external commits), the FramedContentTBS signature, every
// proposal-list rule (proposal_list.h), the UpdatePath's shape, parent
// hashes and leaf signature (merge_update_path), and it derives the next
// tree hash and transcript hashes. What it cannot check without the
// group's secrets: the membership tag, the confirmation tag and the
// encrypted path secrets. A commit that passes here can still be refused
// by members; one refused here would be refused by every member.
#pragma once

#include <optional>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/group_info.h"
#include "conclave/mls/mls_message.h"
#include "conclave/mls/proposal_list.h"
#include "conclave/mls/proposal_store.h"
#include "conclave/mls/ratchet_tree.h"

namespace conclave::mls {

class PublicGroup {
 public:
  // From a GroupInfo (e.g. the one a creator uploads) and the tree, given
  // or in its ratchet_tree extension: MLS-V-WEL-007 signature,
  // MLS-V-WEL-010 tree hash, MLS-V-WEL-012 no tree, the tree rules.
  static Result<PublicGroup> create(const GroupInfo& group_info,
                                    std::optional<RatchetTree> tree = std::nullopt,
                                    ProposalCheckOptions options = {},
                                    const ParallelFor* parallel = nullptr);

  const CipherSuite& suite() const { return tree_.suite(); }
  const GroupContext& context() const { return context_; }
  uint64_t epoch() const { return context_.epoch; }
  const RatchetTree& tree() const { return tree_; }
  const Bytes& interim_transcript_hash() const { return interim_; }
  const ProposalStore& proposal_store() const { return store_; }
  // The non-blank leaves, in order.
  std::vector<LeafIndex> members() const;

  // A proposal sent as a PublicMessage: checked and stored for commits
  // that cover it by reference.
  Result<ProposalRef> handle_proposal(const PublicMessage& message);

  struct Staged;
  // A commit sent as a PublicMessage, checked as above. This view is not
  // changed; Staged::next is the view of the next epoch.
  Result<Staged> stage_commit(const PublicMessage& message) const;

 private:
  PublicGroup(RatchetTree tree, GroupContext context, Bytes interim, ProposalCheckOptions options)
      : tree_(std::move(tree)),
        context_(std::move(context)),
        interim_(std::move(interim)),
        options_(options) {}

  // Sender checks shared by proposals and commits: MLS-V-FRAME-001..005,
  // 007, 008 (as far as they need no secret).
  Status check_framing(const PublicMessage& message) const;

  RatchetTree tree_;
  GroupContext context_;
  Bytes interim_;
  ProposalCheckOptions options_;
  ProposalStore store_;
};

struct PublicGroup::Staged {
  PublicGroup next;
  Sender committer;
  LeafIndex committer_leaf;  // the new leaf for an external commit
  std::vector<ResolvedProposal> proposals;
  std::vector<LeafIndex> added;
  std::vector<LeafIndex> removed;
};

}  // namespace conclave::mls
