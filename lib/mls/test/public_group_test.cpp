#include "conclave/mls/public_group.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "conclave/mls/group.h"
#include "group_test_util.h"

namespace conclave::mls {
namespace {

using namespace group_test;  // NOLINT(google-build-using-namespace)
using group_test::follow;

PublicGroup follow(const PublicGroup& view, const MLSMessage& commit) {
  auto staged = view.stage_commit(std::get<PublicMessage>(commit.message));
  EXPECT_TRUE(staged.ok()) << staged.error().to_string();
  return std::move(staged->next);
}

void expect_view_of(const PublicGroup& view, const Group& member) {
  EXPECT_EQ(view.context(), member.context());
  EXPECT_EQ(view.tree(), member.tree());
  EXPECT_EQ(view.interim_transcript_hash(), member.interim_transcript_hash());
}

TEST(PublicGroup, FollowsAGroupThroughAddsUpdatesRemovesAndExternalJoins) {
  const auto alice_kp = bundle_for("alice"), bob_kp = bundle_for("bob");
  Group alice = Group::create(suite1(), to_bytes("pub"), alice_kp).value();
  PublicGroup view = PublicGroup::create(alice.group_info().value()).value();
  expect_view_of(view, alice);
  EXPECT_EQ(view.members().size(), 1u);

  CommitOptions add;
  add.proposals = {Proposal{Add{bob_kp.key_package}}};
  auto r1 = alice.commit(add).value();
  view = follow(view, r1.commit);
  Group bob = Group::join(*r1.welcome->welcome(), bob_kp).value();
  alice = std::move(r1.next);
  expect_view_of(view, alice);
  EXPECT_EQ(view.members().size(), 2u);

  const CommitOptions update = self_update();
  auto r2 = bob.commit(update).value();
  view = follow(view, r2.commit);
  alice = follow(alice, r2.commit);
  bob = std::move(r2.next);
  expect_view_of(view, bob);

  auto joined = Group::join_external(alice.group_info().value(), bundle_for("carol")).value();
  view = follow(view, joined.commit);
  alice = follow(alice, joined.commit);
  bob = follow(bob, joined.commit);
  expect_view_of(view, joined.group);
  EXPECT_EQ(view.members().size(), 3u);

  // A proposal by reference: the view stores it, then follows the commit.
  auto proposal = bob.propose(Proposal{Remove{LeafIndex{2}}}).value();
  ASSERT_TRUE(view.handle_proposal(std::get<PublicMessage>(proposal.message)).ok());
  ASSERT_TRUE(alice.handle(proposal).ok());
  auto r3 = alice.commit().value();
  auto staged = view.stage_commit(std::get<PublicMessage>(r3.commit.message)).value();
  ASSERT_EQ(staged.removed.size(), 1u);
  EXPECT_EQ(staged.removed[0], LeafIndex{2});
  expect_view_of(staged.next, r3.next);
  EXPECT_EQ(staged.next.members().size(), 2u);
  // Staging changed nothing.
  EXPECT_EQ(view.epoch(), 3u);
}

TEST(PublicGroup, RefusesForgedAndStaleCommits) {
  const auto alice_kp = bundle_for("alice"), bob_kp = bundle_for("bob");
  Group alice = Group::create(suite1(), to_bytes("pub"), alice_kp).value();
  PublicGroup view = PublicGroup::create(alice.group_info().value()).value();
  CommitOptions add;
  add.proposals = {Proposal{Add{bob_kp.key_package}}};
  auto r1 = alice.commit(add).value();

  // Any change to the signed content breaks the signature.
  PublicMessage forged = std::get<PublicMessage>(r1.commit.message);
  forged.content.authenticated_data = to_bytes("x");
  auto refused = view.stage_commit(forged);
  expect_rule(refused, "MLS-V-FRAME-008");

  // A commit claiming a sender leaf that does not exist.
  PublicMessage ghost = std::get<PublicMessage>(r1.commit.message);
  ghost.content.sender = Sender::member(LeafIndex{5});
  refused = view.stage_commit(ghost);
  expect_rule(refused, "MLS-V-FRAME-005");

  // The view moves on; the same commit is then of a past epoch.
  PublicGroup next = follow(view, r1.commit);
  refused = next.stage_commit(std::get<PublicMessage>(r1.commit.message));
  expect_rule(refused, "MLS-V-FRAME-003");
}

TEST(PublicGroup, RefusesAGroupInfoWithAnotherTree) {
  Group alice = Group::create(suite1(), to_bytes("pub"), bundle_for("alice")).value();
  Group other = Group::create(suite1(), to_bytes("pub"), bundle_for("mallory")).value();
  auto created = PublicGroup::create(alice.group_info().value(), other.tree());
  ASSERT_FALSE(created.ok());
}

}  // namespace
}  // namespace conclave::mls
