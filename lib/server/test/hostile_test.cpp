// The test-only hostile modes: each does what docs/protocol.md says, and
// real members refuse what it sends.
#include "conclave/server/hostile.h"

#include <gtest/gtest.h>

#include "delivery_fixture.h"

namespace conclave::server {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::json;

TEST(HostileMode, NamesRoundTrip) {
  for (HostileMode mode :
       {HostileMode::server_add, HostileMode::forge_commit, HostileMode::tamper_commit,
        HostileMode::tamper_application, HostileMode::replay, HostileMode::fork}) {
    EXPECT_EQ(parse_hostile_mode(hostile_mode_name(mode)), mode);
  }
  EXPECT_FALSE(parse_hostile_mode("evil").has_value());
  EXPECT_FALSE(parse_hostile_mode("").has_value());
}

TEST(HostileMode, TamperFlipsOneByte) {
  const Bytes original{1, 2, 3};
  const Bytes tampered = hostile::tamper(original);
  ASSERT_EQ(tampered.size(), original.size());
  EXPECT_EQ(tampered[0], 1);
  EXPECT_EQ(tampered[1], 2);
  EXPECT_NE(tampered[2], 3);
  EXPECT_TRUE(hostile::tamper(Bytes{}).empty());
}

class HostileTest : public testing::DeliveryTest {
 protected:
  // The modes are switched on once the meeting is set up honestly (the
  // service reads the config it was given by reference).
  void turn_on(HostileMode mode) { config_.hostile.insert(mode); }
};

TEST_F(HostileTest, TamperApplicationIsDetectedByReceivers) {
  auto m = meeting_of({"Bob"});
  turn_on(HostileMode::tamper_application);
  auto message = m[1]->group->protect(to_bytes("hi")).value();
  send(*m[1], {{"type", "application"}, {"message", testing::b64(message)}});
  json forwarded = only(*m[0], "application");
  EXPECT_NE(testing::unb64(forwarded["message"]), mls::encode(message));
  EXPECT_FALSE(m[0]->group->handle(testing::mls_of(forwarded["message"])).ok());
}

TEST_F(HostileTest, ReplayIsDetectedByReceivers) {
  auto m = meeting_of({"Bob"});
  turn_on(HostileMode::replay);
  auto message = m[1]->group->protect(to_bytes("once")).value();
  send(*m[1], {{"type", "application"}, {"message", testing::b64(message)}});
  auto copies = of_type(*m[0], "application");
  ASSERT_EQ(copies.size(), 2U);
  EXPECT_EQ(copies[0]["message"], copies[1]["message"]);
  EXPECT_TRUE(m[0]->group->handle(testing::mls_of(copies[0]["message"])).ok());
  EXPECT_FALSE(m[0]->group->handle(testing::mls_of(copies[1]["message"])).ok());
}

TEST_F(HostileTest, TamperCommitReachesOthersAlteredAndTheyRefuseIt) {
  auto m = meeting_of({"Bob", "Carol"});
  turn_on(HostileMode::tamper_commit);
  Client& alice = *m[0];
  auto r = alice.group->commit(testing::self_update()).value();
  send(alice, {{"type", "commit"}, {"commit", testing::b64(r.commit)}});
  // The committer gets its own commit back unchanged ...
  EXPECT_EQ(testing::unb64(of_type(alice, "commit").at(0)["commit"]), mls::encode(r.commit));
  // ... the others get a copy they refuse.
  for (Client* other : {m[1], m[2]}) {
    json commit = only(*other, "commit");
    EXPECT_NE(testing::unb64(commit["commit"]), mls::encode(r.commit));
    auto decoded = mls::decode_mls_message(testing::unb64(commit["commit"]));
    ASSERT_TRUE(decoded.ok());  // the last byte is the membership tag's
    EXPECT_FALSE(other->group->handle(*decoded).ok());
  }
}

TEST_F(HostileTest, ServerAddIsAnAddProposalMembersRefuse) {
  auto m = meeting_of({"Bob"});
  turn_on(HostileMode::server_add);
  Client& guest = lobby_guest("Guest");
  upload_key_package(guest);
  only(guest, "ack");
  for (Client* member : m) {
    auto proposals = of_type(*member, "proposal");
    ASSERT_EQ(proposals.size(), 1U);
    EXPECT_EQ(proposals[0]["proposer"], "server");
    auto message = testing::mls_of(proposals[0]["proposal"]);
    const auto& content = std::get<mls::PublicMessage>(message.message).content;
    const auto& proposal = std::get<mls::Proposal>(content.content);
    EXPECT_EQ(proposal.proposal_type(), mls::ProposalType::add);
    EXPECT_EQ(content.sender, mls::Sender::external(0));
    // CV-POLICY-005: the server proposes Remove only.
    auto check = meeting::check_proposal(proposal, content.sender);
    ASSERT_FALSE(check.ok());
    EXPECT_TRUE(check.error().is(meeting::Errc::server_proposal));
  }
  // The server's own sequencer never stored it: a commit by reference
  // covers nothing of the server's.
  EXPECT_EQ(service_->group_epoch(meeting_id_), 1U);
}

TEST_F(HostileTest, ForgeCommitIsRefusedByEveryMember) {
  auto m = meeting_of({"Bob"});
  turn_on(HostileMode::forge_commit);
  Client& guest = lobby_guest("Guest");
  upload_key_package(guest);
  only(guest, "ack");
  for (Client* member : m) {
    auto commits = of_type(*member, "commit");
    ASSERT_EQ(commits.size(), 1U);
    EXPECT_EQ(commits[0]["committer"], m[0]->id);  // claims to be the host
    auto message = testing::mls_of(commits[0]["commit"]);
    const auto& content = std::get<mls::PublicMessage>(message.message).content;
    EXPECT_EQ(content.sender, mls::Sender::member(mls::LeafIndex{0}));
    EXPECT_FALSE(member->group->handle(message).ok()) << member->name;
  }
  EXPECT_EQ(service_->group_epoch(meeting_id_), 1U);
}

TEST_F(HostileTest, ForkSendsEachOfTwoCommitsToHalfTheMembers) {
  auto m = meeting_of({"Bob", "Carol", "Dave"});  // leaves 0..3
  turn_on(HostileMode::fork);
  Client& alice = *m[0];
  Client& bob = *m[1];
  Client& carol = *m[2];
  Client& dave = *m[3];
  auto from_bob = bob.group->commit(testing::self_update()).value();
  auto from_carol = carol.group->commit(testing::self_update()).value();
  send(bob, {{"type", "commit"}, {"commit", testing::b64(from_bob.commit)}});
  for (Client* member : m) EXPECT_TRUE(member->c->take().empty());  // held
  send(carol, {{"type", "commit"}, {"commit", testing::b64(from_carol.commit)}});
  // Bob's goes to Bob and the even leaves (Alice), Carol's to Carol and Dave.
  EXPECT_EQ(of_type(bob, "ack").size(), 1U);
  auto to_carol = carol.c->take();
  ASSERT_EQ(to_carol.size(), 2U);
  EXPECT_EQ(to_carol[0]["type"], "ack");
  EXPECT_EQ(to_carol[1]["committer"], carol.id);
  json to_alice = only(alice, "commit");
  EXPECT_EQ(to_alice["committer"], bob.id);
  json to_dave = only(dave, "commit");
  EXPECT_EQ(to_dave["committer"], carol.id);
  auto follow = [](Client& c, const json& commit) {
    auto staged = c.group->handle(testing::mls_of(commit["commit"]));
    ASSERT_TRUE(staged.ok()) << staged.error().to_string();
    c.group = mls::Group::apply(std::get<mls::StagedCommit>(std::move(staged).value()));
  };
  follow(alice, to_alice);
  follow(dave, to_dave);
  bob.group = std::move(from_bob.next);
  carol.group = std::move(from_carol.next);
  // Same epoch number, two groups: the security codes tell them apart.
  EXPECT_EQ(alice.group->epoch(), dave.group->epoch());
  EXPECT_EQ(alice.group->epoch_authenticator(), bob.group->epoch_authenticator());
  EXPECT_EQ(dave.group->epoch_authenticator(), carol.group->epoch_authenticator());
  EXPECT_NE(alice.group->epoch_authenticator(), dave.group->epoch_authenticator());
}

TEST_F(HostileTest, ForkReleasesALoneCommitAfterTheHold) {
  auto m = meeting_of({"Bob"});
  turn_on(HostileMode::fork);
  auto r = m[1]->group->commit(testing::self_update()).value();
  send(*m[1], {{"type", "commit"}, {"commit", testing::b64(r.commit)}});
  clock_.advance(4s);
  service_->on_tick(clock_.now());
  EXPECT_TRUE(m[0]->c->take().empty());
  clock_.advance(1s);
  service_->on_tick(clock_.now());
  EXPECT_EQ(only(*m[0], "commit")["committer"], m[1]->id);
  EXPECT_EQ(of_type(*m[1], "ack").size(), 1U);
  EXPECT_EQ(service_->group_epoch(meeting_id_), 2U);
}

}  // namespace
}  // namespace conclave::server
