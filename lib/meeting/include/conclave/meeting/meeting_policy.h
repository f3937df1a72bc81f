// MeetingPolicy: the meeting rules that every member enforces, carried in
// the MLS group context (a private-use extension, so a commit that changes
// them is seen and checked by everyone) and checked on every commit and
// every proposal before it is applied:
//
//   struct {
//       SignaturePublicKey hosts<V>;   // leaves allowed to admit
//       uint8 locked;                  // 1: no Adds at all
//   } MeetingPolicy;                   // extension type 0xF0C1
//
// Rules (stable IDs, negative tests in meeting_policy_test.cpp):
//   CV-POLICY-001  a commit comes from a member: no external joins
//                  (new_member_commit), no commit by an external sender
//   CV-POLICY-002  Adds only from a host (its leaf's signature key is in
//                  `hosts` of the epoch the commit ends)
//   CV-POLICY-003  no Adds while the meeting is locked
//   CV-POLICY-004  a GroupContextExtensions proposal comes from a host, keeps
//                  a well-formed MeetingPolicy with at least one host and
//                  leaves external_senders unchanged
//   CV-POLICY-005  the server (an external sender) proposes Remove only
//   CV-POLICY-006  no ReInit, ExternalInit or PreSharedKey proposals
//   CV-POLICY-007  the group context carries a well-formed MeetingPolicy
//
// The server runs the same checks on its PublicGroup before it sequences a
// commit, but members do not rely on it: a hostile server is what these
// rules are for.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/proposal_list.h"
#include "conclave/mls/types.h"

namespace conclave::meeting {

enum class Errc {
  missing_policy = 1,   // CV-POLICY-007: no MeetingPolicy in the group context
  malformed_policy,     // CV-POLICY-007/004: the extension does not decode or has no host
  external_commit,      // CV-POLICY-001
  add_by_non_host,      // CV-POLICY-002
  add_while_locked,     // CV-POLICY-003
  policy_change,        // CV-POLICY-004
  server_proposal,      // CV-POLICY-005
  forbidden_proposal,   // CV-POLICY-006
};
std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

struct MeetingPolicy {
  static constexpr mls::ExtensionType kExtensionType = static_cast<mls::ExtensionType>(0xF0C1);
  std::vector<mls::SignaturePublicKey> hosts;
  uint8_t locked = 0;
  CV_TLS_FIELDS(hosts, locked)
  bool operator==(const MeetingPolicy&) const = default;

  bool is_host(BytesView signature_key) const;
};

// CV-POLICY-007: the policy of a group context (missing_policy,
// malformed_policy).
Result<MeetingPolicy> policy_of(const mls::GroupContext& context);

// The GroupContext extensions a meeting's creator starts the group with:
// the policy (creator as the only host, unlocked), the server as the only
// external sender, and required_capabilities naming the policy extension.
std::vector<mls::Extension> initial_extensions(const mls::SignaturePublicKey& creator_key,
                                               const mls::ExternalSender& server);

// What a proposal's receiver checks at once (CV-POLICY-005, 006): a
// proposal the policy never allows is rejected before it is stored.
Status check_proposal(const mls::Proposal& proposal, const mls::Sender& sender);

// The checks of a commit (CV-POLICY-001..006) against the context of the
// epoch it ends. `committer_key` is the committer's leaf signature key
// (empty when the committer is not a member). `proposals` is the resolved
// list (inline and by reference) with each proposal's sender.
Status check_commit(const mls::GroupContext& context, const mls::Sender& committer,
                    BytesView committer_key, std::span<const mls::ResolvedProposal> proposals);

}  // namespace conclave::meeting
