// ProposalList: validating and applying the proposals a Commit covers (RFC
// 9420 sections 12.1, 12.2, 12.3). Secret-free: the member's Group and the
// server's PublicGroup both run it, so a commit that one accepts the other
// accepts too.
//
//   Commit.proposals ── resolve refs (ProposalStore) ──> ResolvedProposal[]
//        │ validate_proposal_list(): the list rules of 12.2 and each
//        │ proposal's own rules (12.1.x), regular or external commit
//        ▼
//   apply_proposals(): on a copy of the tree, in RFC order
//        GroupContextExtensions ─> Updates ─> Removes ─> Adds (in order)
//        ─> PSK ids (in order) ─> ExternalInit ─> ReInit
//        ▼
//   ProposalEffects { tree, extensions, added leaves, removed leaves, psks,
//                     external init kem_output, reinit, path_required }
//
// Rules checked here (Error detail = the rule ID, docs/mls-validation-rules.md):
//   MLS-V-PROP-001 an Update sent by the committer
//   MLS-V-PROP-002 a Remove of the committer
//   MLS-V-PROP-003 two Update/Remove proposals for the same leaf
//   MLS-V-PROP-004 two Adds for the same client (signature key), or an Add
//                  for a client in the group that the list does not remove
//   MLS-V-PROP-005 two PreSharedKey proposals with the same PreSharedKeyID
//   MLS-V-PROP-006 two GroupContextExtensions proposals
//   MLS-V-PROP-007 a ReInit with any other proposal
//   MLS-V-PROP-008 an ExternalInit in a regular commit
//   MLS-V-PROP-009 an external commit with other than one ExternalInit, at
//                  most one Remove and PreSharedKeys, or any by reference
//   MLS-V-PROP-010 a Remove or Update of a blank or absent leaf, or an
//                  Update from a sender that is not a member
//   MLS-V-PROP-011 a PreSharedKey with a resumption usage other than
//                  application, or a psk_nonce that is not KDF.Nh bytes
//   MLS-V-PROP-012 a ReInit to an unsupported cipher suite or version
//   MLS-V-PROP-013 a GroupContextExtensions that some member cannot
//                  support (required_capabilities, extension types), or
//                  that cannot be parsed
// The KeyPackage of an Add and the LeafNode of an Update are checked by
// leaf_validation.h and fail with its rule IDs (MLS-V-KP-*, MLS-V-LEAF-*,
// MLS-V-TREE-011, MLS-V-CRED-*).
// A proposal of a type the group does not know cannot be decoded at all.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/credential_verifier.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/proposal.h"
#include "conclave/mls/proposal_store.h"
#include "conclave/mls/ratchet_tree.h"

namespace conclave::mls {

// A proposal a commit covers, with who sent it and, for proposals by
// reference, its ProposalRef.
struct ResolvedProposal {
  Proposal proposal;
  Sender sender;
  std::optional<ProposalRef> ref;
};

// How proposals are checked beyond their structure.
struct ProposalCheckOptions {
  // Credentials of added and updated leaves; nullptr accepts any credential
  // whose type every member supports.
  const CredentialVerifier* verifier = nullptr;
  // Unix seconds for KeyPackage lifetimes; nullopt skips the lifetime check.
  std::optional<uint64_t> now;
};

struct ProposalEffects {
  RatchetTree tree;                    // after every proposal, before any UpdatePath
  std::vector<Extension> extensions;   // the new GroupContext extensions
  std::vector<LeafIndex> added;        // leaves of the Adds, in list order
  std::vector<KeyPackage> added_key_packages;
  std::vector<LeafIndex> removed;
  std::vector<LeafIndex> updated;
  std::vector<PreSharedKeyID> psks;    // in list order
  std::optional<Bytes> external_init;  // the ExternalInit kem_output
  std::optional<ReInit> reinit;
  bool path_required = false;          // an Update, Remove, ExternalInit, GCE, or no proposal
};

// The sender of a commit: a member leaf, or a new member (external commit).
struct Committer {
  std::optional<LeafIndex> leaf;  // nullopt: external commit
};

// Checks the list (12.2) and every proposal in it (12.1), then applies it
// to a copy of `tree` (12.3). `context` is the current GroupContext.
Result<ProposalEffects> apply_proposals(const RatchetTree& tree, const GroupContext& context,
                                        std::span<const ResolvedProposal> proposals,
                                        Committer committer,
                                        const ProposalCheckOptions& options = {});

// The proposals a commit covers: inline ones from the committer, the
// others from `store`. Errc::unknown_proposal (MLS-V-COMMIT-005) for a
// reference the store does not hold.
Result<std::vector<ResolvedProposal>> resolve_proposals(const Commit& commit,
                                                        const Sender& committer,
                                                        const ProposalStore& store);

// What a received commit does to the public state, checked as far as
// public data allows (RFC 9420 section 12.4.2 without the secrets): the
// proposals (above), the UpdatePath's presence, the external joiner's leaf
// and its LeafNode. The caller then merges the path (PublicGroup) or
// merges and decrypts it (Group), and completes the GroupContext.
struct CheckedCommit {
  ProposalEffects effects;    // effects.tree also holds an external joiner's leaf
  LeafIndex committer;        // the leaf the UpdatePath belongs to
  bool external = false;
  GroupContext next_context;  // epoch + 1 and the new extensions
};

// Rules, besides apply_proposals():
//   MLS-V-COMMIT-001 an UpdatePath missing where required (or present with
//                    a ReInit)
// The UpdatePath leaf's signature is left to the merge that follows
// (merge_update_path / apply_update_path, MLS-V-TREE-016).
//   MLS-V-COMMIT-002 the UpdatePath's LeafNode keeps the committer's
//                    encryption key (its other rules: leaf_validation.h,
//                    source commit)
//   MLS-V-COMMIT-004 a commit from a sender that is neither a member nor
//                    a new member
//   MLS-V-COMMIT-006 an external commit removing a leaf whose credential
//                    is not the joiner's
//   MLS-V-COMMIT-008 an UpdatePath public key already in the tree
Result<CheckedCommit> check_commit(const RatchetTree& tree, const GroupContext& context,
                                   const FramedContent& content,
                                   std::span<const ResolvedProposal> proposals,
                                   const ProposalCheckOptions& options = {});

// Whether `proposal_type` requires an UpdatePath in the commit (IANA
// "Path Required" column).
bool requires_path(ProposalType proposal_type);

}  // namespace conclave::mls
