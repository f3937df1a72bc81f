#include "conclave/meeting/meeting_policy.h"

#include <algorithm>

#include "conclave/codec/tls.h"

namespace conclave::meeting {

std::string_view error_domain(Errc) { return "meeting"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::missing_policy: return "CV-POLICY-007: the group has no meeting policy";
    case Errc::malformed_policy: return "CV-POLICY-007: the meeting policy is malformed";
    case Errc::external_commit: return "CV-POLICY-001: a commit from a non-member";
    case Errc::add_by_non_host: return "CV-POLICY-002: an Add committed by a non-host";
    case Errc::add_while_locked: return "CV-POLICY-003: an Add while the meeting is locked";
    case Errc::policy_change: return "CV-POLICY-004: a policy change not allowed";
    case Errc::server_proposal: return "CV-POLICY-005: the server may propose Remove only";
    case Errc::forbidden_proposal: return "CV-POLICY-006: a proposal type meetings do not use";
  }
  return "unknown meeting error";
}

bool MeetingPolicy::is_host(BytesView signature_key) const {
  if (signature_key.empty()) return false;
  return std::any_of(hosts.begin(), hosts.end(), [&](const mls::SignaturePublicKey& host) {
    return std::equal(host.begin(), host.end(), signature_key.begin(), signature_key.end());
  });
}

namespace {

Result<MeetingPolicy> decode_policy(std::span<const mls::Extension> extensions) {
  auto found = mls::find_extension<MeetingPolicy>(extensions);
  if (!found.ok()) return Error(Errc::malformed_policy, "does not decode");
  if (!found->has_value()) return Errc::missing_policy;
  MeetingPolicy policy = std::move(**found);
  if (policy.hosts.empty()) return Error(Errc::malformed_policy, "no host");
  if (policy.locked > 1) return Error(Errc::malformed_policy, "locked is not 0 or 1");
  for (const auto& host : policy.hosts) {
    if (host.empty()) return Error(Errc::malformed_policy, "empty host key");
  }
  return policy;
}

const mls::Extension* find(std::span<const mls::Extension> extensions, mls::ExtensionType type) {
  return mls::find_extension(extensions, type);
}

}  // namespace

Result<MeetingPolicy> policy_of(const mls::GroupContext& context) {
  return decode_policy(context.extensions);
}

std::vector<mls::Extension> initial_extensions(const mls::SignaturePublicKey& creator_key,
                                               const mls::ExternalSender& server) {
  MeetingPolicy policy;
  policy.hosts.push_back(creator_key);
  mls::ExternalSenders senders;
  senders.external_senders.push_back(server);
  mls::RequiredCapabilities required;
  required.extension_types.push_back(MeetingPolicy::kExtensionType);
  return {mls::make_extension(required), mls::make_extension(senders),
          mls::make_extension(policy)};
}

Status check_proposal(const mls::Proposal& proposal, const mls::Sender& sender) {
  switch (proposal.proposal_type()) {
    case mls::ProposalType::reinit:
    case mls::ProposalType::external_init:
    case mls::ProposalType::psk:
      return Errc::forbidden_proposal;
    default:
      break;
  }
  switch (sender.sender_type()) {
    case mls::SenderType::member:
      return {};
    case mls::SenderType::external:
      if (proposal.proposal_type() != mls::ProposalType::remove) return Errc::server_proposal;
      return {};
    default:
      // A new member proposing its own Add: joins go through a host.
      return Errc::server_proposal;
  }
}

Status check_commit(const mls::GroupContext& context, const mls::Sender& committer,
                    BytesView committer_key, std::span<const mls::ResolvedProposal> proposals) {
  CV_TRY(MeetingPolicy policy, policy_of(context));
  if (committer.sender_type() != mls::SenderType::member) return Errc::external_commit;
  bool host = policy.is_host(committer_key);
  for (const auto& resolved : proposals) {
    CV_TRY_STATUS(check_proposal(resolved.proposal, resolved.sender));
    switch (resolved.proposal.proposal_type()) {
      case mls::ProposalType::add:
        if (!host) return Errc::add_by_non_host;
        if (policy.locked != 0) return Errc::add_while_locked;
        break;
      case mls::ProposalType::group_context_extensions: {
        if (!host || resolved.sender != committer) {
          return Error(Errc::policy_change, "not by the committing host");
        }
        const auto& next =
            std::get<mls::GroupContextExtensions>(resolved.proposal.content).extensions;
        auto next_policy = decode_policy(next);
        if (!next_policy.ok()) return Error(Errc::policy_change, "no well-formed policy");
        const mls::Extension* old_senders =
            find(context.extensions, mls::ExtensionType::external_senders);
        const mls::Extension* new_senders = find(next, mls::ExtensionType::external_senders);
        bool same = (old_senders == nullptr && new_senders == nullptr) ||
                    (old_senders != nullptr && new_senders != nullptr &&
                     old_senders->extension_data == new_senders->extension_data);
        if (!same) return Error(Errc::policy_change, "external_senders changed");
        break;
      }
      default:
        break;
    }
  }
  return {};
}

}  // namespace conclave::meeting
