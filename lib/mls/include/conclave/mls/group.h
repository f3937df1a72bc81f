// Group: one member's state of an MLS group in one epoch (RFC 9420
// sections 11-12), as a value.
//
//   Group::create ─────────────┐       (a new one-member group, epoch 0)
//   Group::join(Welcome) ──────┤       (added by a member)
//   Group::join_external ──────┤       (joins by an external commit it sends)
//                              ▼
//                       Group (epoch n)
//     commit(options) const ──> CommitResult { commit message, Welcome,
//                                              GroupInfo, next Group (n+1) }
//     handle(message) ───────> application data | stored proposal |
//                              StagedCommit (validated, not applied)
//     apply(StagedCommit) ───> next Group (n+1), or nothing when removed
//
// Committing never changes the group it is called on: the caller sends the
// commit and moves to CommitResult::next only once the delivery service
// confirms it (and drops it when another commit won). Handling a commit
// validates everything (framing, proposals, UpdatePath, key schedule,
// confirmation tag) into a StagedCommit and changes nothing either.
// handle() does change two things that must change: the secret tree (a
// received application message's key is consumed) and the proposal store.
//
// Commits this group creates are PublicMessages, so that the delivery
// service can check them (PublicGroup); received commits may be either.
// Application data is always a PrivateMessage.
//
// Policy beyond RFC 9420 (who may add, locked meetings) is the caller's:
// StagedCommit exposes the proposals and the committer so the caller can
// refuse to apply a commit.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/parallel.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/dh.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/credential_verifier.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/group_info.h"
#include "conclave/mls/key_package.h"
#include "conclave/mls/key_schedule.h"
#include "conclave/mls/message_protection.h"
#include "conclave/mls/mls_message.h"
#include "conclave/mls/proposal_list.h"
#include "conclave/mls/proposal_store.h"
#include "conclave/mls/ratchet_tree.h"
#include "conclave/mls/treekem.h"
#include "conclave/mls/welcome_processing.h"

namespace conclave::mls {

// A KeyPackage with the private keys behind it.
struct KeyPackageBundle {
  KeyPackage key_package;
  crypto::DhPrivateKey init_key;        // for the Welcome
  crypto::DhPrivateKey encryption_key;  // of the leaf
  crypto::SignaturePrivateKey signer;
};

struct KeyPackageOptions {
  Capabilities capabilities;            // versions and the suite are always added
  std::optional<Lifetime> lifetime;     // default: now - 1 h to now + 90 days
  std::vector<Extension> leaf_extensions;
  std::vector<Extension> extensions;    // of the KeyPackage
};

// A fresh init key and leaf key, signed with `signer`.
Result<KeyPackageBundle> make_key_package(const CipherSuite& suite, Credential credential,
                                          crypto::SignaturePrivateKey signer,
                                          const KeyPackageOptions& options = {});

// Behaviour, shared by every epoch of a group.
struct GroupOptions {
  // Credentials of new and updated leaves (nullptr: any, see proposal_list.h).
  std::shared_ptr<const CredentialVerifier> verifier;
  // Unix seconds for KeyPackage lifetimes; empty = system clock.
  std::function<uint64_t()> now;
  // External PSKs this client holds.
  PskLookup external_psks;
  SecretTreeLimits secret_tree_limits;
  // Welcomes and GroupInfos carry the ratchet_tree extension.
  bool ratchet_tree_extension = true;
  // GroupInfos carry external_pub (so that others can join by external commit).
  bool external_pub_extension = true;
  // Resumption PSKs of earlier epochs kept for PSK proposals.
  size_t resumption_psk_epochs = 8;
  // The caller's workers for the leaf signature checks of a joined tree
  // (empty: the calling thread). See conclave/base/parallel.h.
  ParallelFor parallel;
};

struct CommitOptions {
  // Proposals sent inline by the committer.
  std::vector<Proposal> proposals;
  // Cover every proposal of the store by reference.
  bool include_stored_proposals = true;
  // An UpdatePath even when no proposal requires one.
  bool force_path = false;
  Bytes authenticated_data;
  // Tests: the leaf secret of the UpdatePath.
  std::optional<Bytes> leaf_secret;
};

class Group;

struct ReceivedApplication {
  LeafIndex sender;
  Bytes data;
  Bytes authenticated_data;
};

struct ReceivedProposal {
  ProposalRef ref;
  Proposal proposal;
  Sender sender;
};

// A received commit, checked and ready to apply.
class StagedCommit {
 public:
  StagedCommit(StagedCommit&&) noexcept;
  StagedCommit& operator=(StagedCommit&&) noexcept;
  ~StagedCommit();

  const Sender& committer() const { return committer_; }
  const std::vector<ResolvedProposal>& proposals() const { return proposals_; }
  const std::vector<LeafIndex>& added() const { return added_; }
  const std::vector<LeafIndex>& removed() const { return removed_; }
  bool has_path() const { return has_path_; }
  // This member is removed by the commit: there is no next group.
  bool removes_me() const { return next_ == nullptr; }
  uint64_t epoch() const { return epoch_; }
  // The commit as received.
  const AuthenticatedContent& content() const { return content_; }

 private:
  friend class Group;
  StagedCommit() = default;
  Sender committer_;
  std::vector<ResolvedProposal> proposals_;
  std::vector<LeafIndex> added_;
  std::vector<LeafIndex> removed_;
  bool has_path_ = false;
  uint64_t epoch_ = 0;
  AuthenticatedContent content_;
  std::unique_ptr<Group> next_;
};

using Received = std::variant<ReceivedApplication, ReceivedProposal, StagedCommit>;

struct CommitResult;
struct ExternalJoinResult;

class Group {
 public:
  // A one-member group (section 11). `leaf_key` is the private key of the
  // leaf's encryption_key and `leaf` the creator's LeafNode (usually from
  // its own KeyPackage).
  static Result<Group> create(const CipherSuite& suite, Bytes group_id,
                              const KeyPackageBundle& creator,
                              std::vector<Extension> extensions = {},
                              std::shared_ptr<const GroupOptions> options = nullptr);

  // Joins from a Welcome (section 12.4.3.1). `ratchet_tree` is the tree
  // when it comes out of band; otherwise the GroupInfo's ratchet_tree
  // extension must carry it. Checks every rule of process_welcome() and
  // the tree's (MLS-V-TREE-*), the tree hash against the GroupContext
  // (MLS-V-WEL-010) and our leaf (MLS-V-WEL-011).
  static Result<Group> join(const Welcome& welcome, const KeyPackageBundle& bundle,
                            std::optional<RatchetTree> ratchet_tree = std::nullopt,
                            std::shared_ptr<const GroupOptions> options = nullptr);

  // Joins by external commit (section 12.4.3.2) from a GroupInfo carrying
  // external_pub (and the tree, unless given). `remove_prior` removes an
  // earlier leaf of ours (resync). Returns the commit to send and the
  // group it leads to.
  static Result<ExternalJoinResult> join_external(
      const GroupInfo& group_info, const KeyPackageBundle& bundle,
      std::optional<RatchetTree> ratchet_tree = std::nullopt,
      std::optional<LeafIndex> remove_prior = std::nullopt,
      std::vector<PreSharedKeyID> psks = {},
      std::shared_ptr<const GroupOptions> options = nullptr);

  Group(Group&&) noexcept;
  Group& operator=(Group&&) noexcept;
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
  ~Group();

  // ------------------------------------------------------------ state
  const CipherSuite& suite() const;
  const GroupContext& context() const;
  const Bytes& group_id() const { return context().group_id; }
  uint64_t epoch() const { return context().epoch; }
  const RatchetTree& tree() const;
  LeafIndex own_leaf() const;
  const LeafNode& own_leaf_node() const;
  const Bytes& interim_transcript_hash() const;
  const SecretBytes& epoch_authenticator() const;
  // MLS-Exporter(label, context, length).
  Result<SecretBytes> export_secret(std::string_view label, BytesView context,
                                    size_t length) const;
  const ProposalStore& proposal_store() const;
  // A ReInit was committed: the group sends nothing more.
  const std::optional<ReInit>& pending_reinit() const;
  // The resumption PSK of this or an earlier epoch still kept.
  std::optional<SecretBytes> resumption_psk(uint64_t epoch) const;

  // A signed GroupInfo of this epoch (with the tree and external_pub as
  // the options say).
  Result<GroupInfo> group_info() const;

  // --------------------------------------------------------- sending
  // A proposal as a PublicMessage; it is also stored, so a later commit of
  // ours covers it.
  Result<MLSMessage> propose(Proposal proposal, Bytes authenticated_data = {});
  // An Update proposal with a fresh leaf key.
  Result<MLSMessage> propose_update(Bytes authenticated_data = {});
  Result<CommitResult> commit(const CommitOptions& options = {}) const;
  // Application data as a PrivateMessage. Errc::invalid_argument after a
  // ReInit.
  Result<MLSMessage> protect(BytesView data, BytesView authenticated_data = {},
                             size_t padding = 0);

  // -------------------------------------------------------- receiving
  // A PublicMessage or PrivateMessage of this group and epoch.
  Result<Received> handle(const MLSMessage& message);
  // The group after a staged commit (nullopt when it removed us).
  static std::optional<Group> apply(StagedCommit&& staged);

  // The epoch's state (opaque; group.cpp).
  struct State;

 private:
  explicit Group(std::unique_ptr<State> state);

  Result<StagedCommit> stage_commit(const AuthenticatedContent& content) const;
  Result<MLSMessage> send_proposal(Proposal proposal, Bytes authenticated_data,
                                   std::optional<crypto::DhPrivateKey> update_key);
  SenderLookup sender_lookup() const;
  ProposalCheckOptions check_options() const;
  Result<AuthenticatedContent> unprotect(const MLSMessage& message);

  std::unique_ptr<State> state_;
};

struct CommitResult {
  MLSMessage commit;                  // PublicMessage
  std::optional<MLSMessage> welcome;  // when the commit adds members
  Group next;
};

struct ExternalJoinResult {
  MLSMessage commit;  // PublicMessage from a new_member_commit sender
  Group group;
};

}  // namespace conclave::mls
