#include "conclave/server/meeting_sequencer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "conclave/mls/group.h"
#include "conclave/server/errc.h"

namespace conclave::server {
namespace {

mls::CipherSuite suite1() {
  return mls::CipherSuite::create(mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519)
      .value();
}

mls::KeyPackageBundle bundle_for(const std::string& name) {
  const auto suite = suite1();
  return mls::make_key_package(suite, mls::Credential::basic(to_bytes(name)),
                               suite.generate_signature_key().value())
      .value();
}

Bytes wire(const mls::MLSMessage& m) { return mls::encode(m); }

mls::Group follow(mls::Group& g, BytesView message) {
  auto received = g.handle(mls::decode_mls_message(message).value());
  if (!received.ok()) {
    ADD_FAILURE() << received.error().to_string();
    std::abort();
  }
  auto next = mls::Group::apply(std::get<mls::StagedCommit>(std::move(received).value()));
  if (!next.has_value()) {
    ADD_FAILURE() << "removed";
    std::abort();
  }
  return std::move(*next);
}

// A meeting whose group lists the server as its external sender 0, with
// Alice (creator), Bob and Carol, followed by a sequencer.
struct Meeting {
  crypto::SignaturePrivateKey server_key = suite1().generate_signature_key().value();
  std::optional<mls::Group> alice, bob, carol;
  std::optional<MeetingSequencer> sequencer;

  Meeting() {
    mls::ExternalSenders senders;
    senders.external_senders.push_back(
        {server_key.public_key().bytes(), mls::Credential::basic(to_bytes("conclave-server"))});
    const auto a = bundle_for("alice"), b = bundle_for("bob"), c = bundle_for("carol");
    alice = mls::Group::create(suite1(), to_bytes("meeting"), a, {mls::make_extension(senders)})
                .value();
    sequencer = MeetingSequencer::create(
                    wire({mls::ProtocolVersion::mls10, alice->group_info().value()}))
                    .value();
    mls::CommitOptions add;
    add.proposals = {mls::Proposal{mls::Add{b.key_package}}, mls::Proposal{mls::Add{c.key_package}}};
    auto r = alice->commit(add).value();
    EXPECT_TRUE(sequencer->submit_commit(wire(r.commit)).ok());
    bob = mls::Group::join(*r.welcome->welcome(), b).value();
    carol = mls::Group::join(*r.welcome->welcome(), c).value();
    alice = std::move(r.next);
  }
};

mls::CommitOptions self_update() {
  mls::CommitOptions o;
  o.force_path = true;
  return o;
}

TEST(MeetingSequencer, FollowsTheGroupAndReportsWhoJoined) {
  Meeting m;
  EXPECT_EQ(m.sequencer->epoch(), 1u);
  EXPECT_EQ(m.sequencer->group().context(), m.alice->context());
  EXPECT_EQ(m.sequencer->group().members().size(), 3u);
  EXPECT_FALSE(m.sequencer->last_commit().empty());
}

TEST(MeetingSequencer, FirstCommitOfAnEpochWinsTheOtherIsStale) {
  Meeting m;
  auto from_bob = m.bob->commit(self_update()).value();
  auto from_carol = m.carol->commit(self_update()).value();
  auto accepted = m.sequencer->submit_commit(wire(from_bob.commit));
  ASSERT_TRUE(accepted.ok()) << accepted.error().to_string();
  EXPECT_EQ(accepted->epoch, 2u);
  EXPECT_EQ(accepted->committer, mls::Sender::member(mls::LeafIndex{1}));
  auto stale = m.sequencer->submit_commit(wire(from_carol.commit));
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.error().is(Errc::stale_commit));
  EXPECT_EQ(m.sequencer->epoch(), 2u);
  // Carol, told she lost, follows Bob's commit and agrees with the server.
  mls::Group carol = follow(*m.carol, wire(from_bob.commit));
  EXPECT_EQ(m.sequencer->group().context(), carol.context());
}

TEST(MeetingSequencer, StagingChangesNothingUntilAccepted) {
  Meeting m;
  auto r = m.bob->commit(self_update()).value();
  const auto before = m.sequencer->group().context();
  auto staged = m.sequencer->stage_commit(wire(r.commit));
  ASSERT_TRUE(staged.ok()) << staged.error().to_string();
  EXPECT_EQ(staged->staged.committer_leaf, mls::LeafIndex{1});
  EXPECT_EQ(m.sequencer->group().context(), before);
  auto accepted = m.sequencer->accept(std::move(staged).value());
  EXPECT_EQ(accepted.epoch, 2u);
  EXPECT_EQ(m.sequencer->last_commit(), wire(r.commit));
  EXPECT_EQ(m.sequencer->group().context(), follow(*m.alice, wire(r.commit)).context());
}

TEST(MeetingSequencer, AnInvalidCommitChangesNothing) {
  Meeting m;
  auto r = m.bob->commit(self_update()).value();
  mls::MLSMessage forged = r.commit;
  std::get<mls::PublicMessage>(forged.message).content.authenticated_data = to_bytes("x");
  const auto before = m.sequencer->group().context();
  auto refused = m.sequencer->submit_commit(wire(forged));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().detail(), "MLS-V-FRAME-008");
  EXPECT_EQ(m.sequencer->group().context(), before);
  EXPECT_TRUE(m.sequencer->submit_commit(wire(r.commit)).ok());
  // Application data, a Welcome or garbage are not handshake messages.
  auto app = m.alice->protect(to_bytes("hi")).value();
  EXPECT_TRUE(m.sequencer->submit_commit(wire(app)).error().is(Errc::not_handshake));
  EXPECT_FALSE(m.sequencer->submit_commit(Bytes{1, 2, 3}).ok());
  EXPECT_FALSE(m.sequencer->submit_proposal(wire(r.commit)).ok());
}

TEST(MeetingSequencer, ServerRemoveIsCommittedByAMember) {
  Meeting m;
  auto proposal = m.sequencer->propose_remove(mls::LeafIndex{2}, m.server_key, 0);
  ASSERT_TRUE(proposal.ok()) << proposal.error().to_string();
  ASSERT_EQ(m.sequencer->epoch_messages().size(), 1u);
  const auto message = mls::decode_mls_message(*proposal).value();
  ASSERT_TRUE(m.alice->handle(message).ok());
  ASSERT_TRUE(m.bob->handle(message).ok());
  auto r = m.alice->commit().value();  // covers the server's proposal by reference
  auto accepted = m.sequencer->submit_commit(wire(r.commit));
  ASSERT_TRUE(accepted.ok()) << accepted.error().to_string();
  ASSERT_EQ(accepted->removed.size(), 1u);
  EXPECT_EQ(accepted->removed[0], mls::LeafIndex{2});
  EXPECT_TRUE(m.sequencer->epoch_messages().empty());
  mls::Group bob = follow(*m.bob, wire(r.commit));
  EXPECT_EQ(m.sequencer->group().context(), bob.context());
  EXPECT_EQ(m.sequencer->group().members().size(), 2u);

  // A key that is not the group's external sender cannot propose.
  auto impostor = suite1().generate_signature_key().value();
  auto refused = m.sequencer->propose_remove(mls::LeafIndex{1}, impostor, 0);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().detail(), "MLS-V-FRAME-008");
  EXPECT_FALSE(m.sequencer->propose_remove(mls::LeafIndex{1}, m.server_key, 5).ok());
}

}  // namespace
}  // namespace conclave::server
