#include "conclave/meeting/meeting_policy.h"

#include <gtest/gtest.h>

#include "conclave/codec/tls.h"

namespace conclave::meeting {
namespace {

using mls::ExtensionType;
using mls::Proposal;
using mls::ProposalType;
using mls::ResolvedProposal;
using mls::Sender;

const Bytes kHost(32, 0xAA);
const Bytes kOther(32, 0xBB);

mls::ExternalSender server_sender() {
  return {Bytes(32, 0x5E), mls::Credential{mls::BasicCredential{Bytes{'s', 'r', 'v'}}}};
}

mls::GroupContext context_with(std::vector<mls::Extension> extensions) {
  mls::GroupContext context;
  context.cipher_suite = static_cast<mls::CipherSuiteId>(1);
  context.group_id = Bytes{1, 2, 3};
  context.extensions = std::move(extensions);
  return context;
}

mls::GroupContext meeting_context(bool locked = false) {
  auto extensions = initial_extensions(kHost, server_sender());
  if (locked) {
    for (auto& ext : extensions) {
      if (ext.extension_type == MeetingPolicy::kExtensionType) {
        MeetingPolicy policy{{kHost}, 1};
        ext = mls::make_extension(policy);
      }
    }
  }
  return context_with(std::move(extensions));
}

Proposal add() { return Proposal{mls::Add{}}; }
Proposal remove(uint32_t leaf) { return Proposal{mls::Remove{mls::LeafIndex{leaf}}}; }

Proposal gce(std::vector<mls::Extension> extensions) {
  return Proposal{mls::GroupContextExtensions{std::move(extensions)}};
}

ResolvedProposal by(Proposal p, Sender s) { return ResolvedProposal{std::move(p), s, {}}; }

const Sender kHostLeaf = Sender::member(mls::LeafIndex{0});
const Sender kMemberLeaf = Sender::member(mls::LeafIndex{1});

template <typename R>
void expect_error(const R& result, Errc code) {
  ASSERT_FALSE(result.ok()) << "expected " << error_message(code);
  EXPECT_TRUE(result.error().is(code)) << result.error().to_string();
}

TEST(MeetingPolicy, InitialExtensionsCarryPolicyServerAndRequirement) {
  auto context = meeting_context();
  auto policy = policy_of(context);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->hosts, std::vector<Bytes>{kHost});
  EXPECT_EQ(policy->locked, 0);
  EXPECT_TRUE(policy->is_host(kHost));
  EXPECT_FALSE(policy->is_host(kOther));
  EXPECT_FALSE(policy->is_host({}));

  auto senders = mls::find_extension<mls::ExternalSenders>(context.extensions);
  ASSERT_TRUE(senders.ok() && senders->has_value());
  ASSERT_EQ((*senders)->external_senders.size(), 1u);
  EXPECT_EQ((*senders)->external_senders[0], server_sender());
  auto required = mls::find_extension<mls::RequiredCapabilities>(context.extensions);
  ASSERT_TRUE(required.ok() && required->has_value());
  EXPECT_EQ((*required)->extension_types,
            std::vector<ExtensionType>{MeetingPolicy::kExtensionType});
}

TEST(MeetingPolicy, RoundTripsThroughTheWireEncoding) {
  MeetingPolicy policy{{kHost, kOther}, 1};
  auto back = codec::decode<MeetingPolicy>(codec::encode(policy));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, policy);
}

TEST(MeetingPolicy, Rule007MissingOrMalformedPolicy) {
  expect_error(policy_of(context_with({})), Errc::missing_policy);
  mls::Extension garbage{MeetingPolicy::kExtensionType, Bytes{0x05, 0x01}};
  expect_error(policy_of(context_with({garbage})), Errc::malformed_policy);
  expect_error(policy_of(context_with({mls::make_extension(MeetingPolicy{{}, 0})})),
               Errc::malformed_policy);
  expect_error(policy_of(context_with({mls::make_extension(MeetingPolicy{{kHost}, 2})})),
               Errc::malformed_policy);
  expect_error(
      policy_of(context_with({mls::make_extension(MeetingPolicy{{Bytes{}}, 0})})),
      Errc::malformed_policy);
  // And a commit is checked against it.
  std::vector<ResolvedProposal> none;
  expect_error(check_commit(context_with({}), kHostLeaf, kHost, none), Errc::missing_policy);
}

TEST(MeetingPolicy, Rule001CommitsComeFromMembers) {
  std::vector<ResolvedProposal> none;
  EXPECT_TRUE(check_commit(meeting_context(), kHostLeaf, kHost, none).ok());
  EXPECT_TRUE(check_commit(meeting_context(), kMemberLeaf, kOther, none).ok());
  expect_error(check_commit(meeting_context(), Sender::new_member_commit(), {}, none),
               Errc::external_commit);
  expect_error(check_commit(meeting_context(), Sender::external(0), {}, none),
               Errc::external_commit);
}

TEST(MeetingPolicy, Rule002AddsOnlyFromHosts) {
  std::vector<ResolvedProposal> adds{by(add(), kHostLeaf)};
  EXPECT_TRUE(check_commit(meeting_context(), kHostLeaf, kHost, adds).ok());
  std::vector<ResolvedProposal> member_adds{by(add(), kMemberLeaf)};
  expect_error(check_commit(meeting_context(), kMemberLeaf, kOther, member_adds),
               Errc::add_by_non_host);
  // A host cannot launder a non-host's Add either way round: the rule is on
  // the committer, whoever proposed.
  EXPECT_TRUE(check_commit(meeting_context(), kHostLeaf, kHost, member_adds).ok());
}

TEST(MeetingPolicy, Rule003NoAddsWhileLocked) {
  std::vector<ResolvedProposal> adds{by(add(), kHostLeaf)};
  expect_error(check_commit(meeting_context(true), kHostLeaf, kHost, adds),
               Errc::add_while_locked);
  std::vector<ResolvedProposal> removes{by(remove(1), kHostLeaf)};
  EXPECT_TRUE(check_commit(meeting_context(true), kHostLeaf, kHost, removes).ok());
}

TEST(MeetingPolicy, Rule004PolicyChanges) {
  auto context = meeting_context();
  auto next_extensions = initial_extensions(kHost, server_sender());
  for (auto& ext : next_extensions) {
    if (ext.extension_type == MeetingPolicy::kExtensionType) {
      ext = mls::make_extension(MeetingPolicy{{kHost, kOther}, 0});
    }
  }
  std::vector<ResolvedProposal> ok{by(gce(next_extensions), kHostLeaf)};
  EXPECT_TRUE(check_commit(context, kHostLeaf, kHost, ok).ok());

  // Not by a host.
  std::vector<ResolvedProposal> by_member{by(gce(next_extensions), kMemberLeaf)};
  expect_error(check_commit(context, kMemberLeaf, kOther, by_member), Errc::policy_change);
  // Proposed by someone else than the committing host.
  expect_error(check_commit(context, kHostLeaf, kHost, by_member), Errc::policy_change);
  // Dropping the policy.
  std::vector<mls::Extension> without_policy;
  for (const auto& ext : next_extensions) {
    if (ext.extension_type != MeetingPolicy::kExtensionType) without_policy.push_back(ext);
  }
  std::vector<ResolvedProposal> drop{by(gce(without_policy), kHostLeaf)};
  expect_error(check_commit(context, kHostLeaf, kHost, drop), Errc::policy_change);
  // Swapping the server's key.
  mls::ExternalSender other_server = server_sender();
  other_server.signature_key = Bytes(32, 0x66);
  std::vector<ResolvedProposal> swap{
      by(gce(initial_extensions(kHost, other_server)), kHostLeaf)};
  expect_error(check_commit(context, kHostLeaf, kHost, swap), Errc::policy_change);
}

TEST(MeetingPolicy, Rule005TheServerProposesRemoveOnly) {
  EXPECT_TRUE(check_proposal(remove(2), Sender::external(0)).ok());
  expect_error(check_proposal(add(), Sender::external(0)), Errc::server_proposal);
  expect_error(check_proposal(gce({}), Sender::external(0)), Errc::server_proposal);
  expect_error(check_proposal(add(), Sender::new_member_proposal()), Errc::server_proposal);
  // Inside a commit too, even one by a host.
  std::vector<ResolvedProposal> server_add{by(add(), Sender::external(0))};
  expect_error(check_commit(meeting_context(), kHostLeaf, kHost, server_add),
               Errc::server_proposal);
  std::vector<ResolvedProposal> server_remove{by(remove(1), Sender::external(0))};
  EXPECT_TRUE(check_commit(meeting_context(), kMemberLeaf, kOther, server_remove).ok());
}

TEST(MeetingPolicy, Rule006ProposalTypesMeetingsDoNotUse) {
  expect_error(check_proposal(Proposal{mls::ReInit{}}, kHostLeaf), Errc::forbidden_proposal);
  expect_error(check_proposal(Proposal{mls::ExternalInit{}}, kHostLeaf),
               Errc::forbidden_proposal);
  expect_error(check_proposal(Proposal{mls::PreSharedKey{}}, kHostLeaf),
               Errc::forbidden_proposal);
  EXPECT_TRUE(check_proposal(Proposal{mls::Update{}}, kMemberLeaf).ok());
  EXPECT_TRUE(check_proposal(remove(0), kMemberLeaf).ok());
}

}  // namespace
}  // namespace conclave::meeting
