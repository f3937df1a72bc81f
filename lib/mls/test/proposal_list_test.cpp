// apply_proposals / check_commit: the proposal-list rules of RFC 9420
// section 12.2, the order of section 12.3, and the commit checks that need
// no secret (MLS-V-PROP-*, MLS-V-COMMIT-001/002/004/008), each proven on a
// list that breaks exactly that rule.
#include "conclave/mls/proposal_list.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

#include "conclave/crypto/random.h"
#include "conclave/mls/group.h"
#include "conclave/mls/treekem.h"
#include "tree_test_util.h"

namespace conclave::mls {
namespace {

using tree_test::make_member;
using tree_test::make_members;
using tree_test::suite;
using tree_test::tree_of;

const Bytes kGroupId = to_bytes("group");

template <class T>
void expect_rule(const Result<T>& r, std::string_view rule) {
  ASSERT_FALSE(r.ok()) << "expected " << rule;
  EXPECT_EQ(r.error().detail(), rule);
}

struct Fixture {
  std::vector<tree_test::Member> members = make_members(4);
  RatchetTree tree = tree_of(members);
  GroupContext context;

  Fixture() {
    context.cipher_suite = suite().id();
    context.group_id = kGroupId;
    context.epoch = 3;
    context.tree_hash = tree.root_tree_hash();
  }

  Result<ProposalEffects> apply(std::vector<ResolvedProposal> list,
                                std::optional<LeafIndex> committer = LeafIndex{0}) const {
    return apply_proposals(tree, context, list, Committer{committer});
  }

  // A signed Update leaf for member i.
  LeafNode update_leaf(uint32_t i) const {
    LeafNode leaf = members[i].leaf;
    leaf.encryption_key = suite().generate_hpke_key_pair().value().public_key().bytes();
    leaf.source = LeafNodeUpdateSource{};
    leaf.signature = suite()
                         .sign_with_label(members[i].signer, "LeafNodeTBS",
                                          encode_leaf_node_tbs(leaf, kGroupId, LeafIndex{i}))
                         .value();
    return leaf;
  }
};

ResolvedProposal by(uint32_t leaf, Proposal p) {
  return {std::move(p), Sender::member(LeafIndex{leaf}), std::nullopt};
}

KeyPackage fresh_key_package(const std::string& name) {
  return make_key_package(suite(), Credential::basic(to_bytes(name)),
                          suite().generate_signature_key().value())
      .value()
      .key_package;
}

PreSharedKeyID external_psk(std::string_view id) {
  return PreSharedKeyID{ExternalPSK{to_bytes(id)}, crypto::random_bytes(32)};
}

TEST(ProposalList, AppliesInRfcOrderAndSaysWhetherAPathIsNeeded) {
  Fixture f;
  const KeyPackage kp = fresh_key_package("new");
  auto effects = f.apply({by(0, Proposal{Add{kp}}), by(1, Proposal{Update{f.update_leaf(1)}}),
                          by(0, Proposal{Remove{LeafIndex{2}}})});
  ASSERT_TRUE(effects.ok()) << effects.error().to_string();
  // The Remove frees leaf 2 before the Add takes the leftmost blank leaf.
  ASSERT_EQ(effects->added.size(), 1u);
  EXPECT_EQ(effects->added[0], LeafIndex{2});
  EXPECT_EQ(effects->updated, std::vector<LeafIndex>{LeafIndex{1}});
  EXPECT_TRUE(effects->path_required);
  // The input tree is untouched.
  EXPECT_EQ(f.tree, tree_of(f.members));

  auto add_only = f.apply({by(0, Proposal{Add{kp}})});
  ASSERT_TRUE(add_only.ok());
  EXPECT_FALSE(add_only->path_required);
  auto empty = f.apply({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->path_required);
}

TEST(ProposalList, CommitterUpdateIsRefused) {
  Fixture f;
  expect_rule(f.apply({by(0, Proposal{Update{f.update_leaf(0)}})}), "MLS-V-PROP-001");
}

TEST(ProposalList, CommitterRemovalIsRefused) {
  Fixture f;
  expect_rule(f.apply({by(1, Proposal{Remove{LeafIndex{0}}})}), "MLS-V-PROP-002");
}

TEST(ProposalList, TwoChangesToOneLeafAreRefused) {
  Fixture f;
  expect_rule(f.apply({by(1, Proposal{Update{f.update_leaf(1)}}),
                       by(2, Proposal{Remove{LeafIndex{1}}})}),
              "MLS-V-PROP-003");
  expect_rule(f.apply({by(2, Proposal{Remove{LeafIndex{1}}}),
                       by(3, Proposal{Remove{LeafIndex{1}}})}),
              "MLS-V-PROP-003");
}

TEST(ProposalList, DuplicateOrExistingClientsAreRefused) {
  Fixture f;
  const KeyPackage kp = fresh_key_package("new");
  expect_rule(f.apply({by(0, Proposal{Add{kp}}), by(1, Proposal{Add{kp}})}), "MLS-V-PROP-004");
  // Member 3's signature key again, while member 3 stays.
  auto again = make_key_package(suite(), Credential::basic(to_bytes("member3")),
                                f.members[3].signer)
                   .value();
  expect_rule(f.apply({by(0, Proposal{Add{again.key_package}})}), "MLS-V-PROP-004");
  // ... unless the same list removes member 3.
  EXPECT_TRUE(f.apply({by(0, Proposal{Remove{LeafIndex{3}}}),
                       by(0, Proposal{Add{again.key_package}})})
                  .ok());
}

TEST(ProposalList, DuplicatePskIsRefused) {
  Fixture f;
  const auto id = external_psk("p");
  expect_rule(f.apply({by(0, Proposal{PreSharedKey{id}}), by(1, Proposal{PreSharedKey{id}})}),
              "MLS-V-PROP-005");
}

TEST(ProposalList, TwoGroupContextExtensionsAreRefused) {
  Fixture f;
  expect_rule(f.apply({by(0, Proposal{GroupContextExtensions{}}),
                       by(1, Proposal{GroupContextExtensions{}})}),
              "MLS-V-PROP-006");
}

TEST(ProposalList, ReInitMustBeAlone) {
  Fixture f;
  const ReInit reinit{to_bytes("next"), ProtocolVersion::mls10, suite().id(), {}};
  EXPECT_TRUE(f.apply({by(1, Proposal{reinit})}).ok());
  expect_rule(f.apply({by(1, Proposal{reinit}), by(0, Proposal{Remove{LeafIndex{2}}})}),
              "MLS-V-PROP-007");
}

TEST(ProposalList, ExternalInitOnlyInExternalCommits) {
  Fixture f;
  expect_rule(f.apply({by(0, Proposal{ExternalInit{to_bytes("kem")}})}), "MLS-V-PROP-008");
}

TEST(ProposalList, ExternalCommitListIsNarrow) {
  Fixture f;
  const auto joiner = Sender::new_member_commit();
  const Proposal init{ExternalInit{to_bytes("kem")}};
  EXPECT_TRUE(f.apply({{init, joiner, std::nullopt}}, std::nullopt).ok());
  expect_rule(f.apply({}, std::nullopt), "MLS-V-PROP-009");
  expect_rule(f.apply({{init, joiner, std::nullopt}, {init, joiner, std::nullopt}}, std::nullopt),
              "MLS-V-PROP-009");
  expect_rule(f.apply({{init, joiner, std::nullopt},
                       {Proposal{Add{fresh_key_package("x")}}, joiner, std::nullopt}},
                      std::nullopt),
              "MLS-V-PROP-009");
  expect_rule(f.apply({{init, joiner, std::nullopt},
                       {Proposal{Remove{LeafIndex{1}}}, joiner, std::nullopt},
                       {Proposal{Remove{LeafIndex{2}}}, joiner, std::nullopt}},
                      std::nullopt),
              "MLS-V-PROP-009");
  expect_rule(f.apply({{init, joiner, Bytes{1, 2, 3}}}, std::nullopt), "MLS-V-PROP-009");
}

TEST(ProposalList, ChangesToAbsentLeavesAreRefused) {
  Fixture f;
  expect_rule(f.apply({by(0, Proposal{Remove{LeafIndex{9}}})}), "MLS-V-PROP-010");
  RatchetTree blanked = f.tree;
  ASSERT_TRUE(blanked.remove_leaf(LeafIndex{2}).ok());
  expect_rule(apply_proposals(blanked, f.context, std::vector<ResolvedProposal>{by(0, Proposal{Remove{LeafIndex{2}}})},
                              Committer{LeafIndex{0}}),
              "MLS-V-PROP-010");
  // An Update can only come from a member.
  expect_rule(f.apply({{Proposal{Update{f.update_leaf(1)}}, Sender::external(0), std::nullopt}}),
              "MLS-V-PROP-010");
}

TEST(ProposalList, PskOfTheWrongShapeIsRefused) {
  Fixture f;
  PreSharedKeyID short_nonce{ExternalPSK{to_bytes("p")}, Bytes(5, 1)};
  expect_rule(f.apply({by(0, Proposal{PreSharedKey{short_nonce}})}), "MLS-V-PROP-011");
  PreSharedKeyID reinit_psk{ResumptionPSK{ResumptionPSKUsage::reinit, kGroupId, 2},
                            crypto::random_bytes(32)};
  expect_rule(f.apply({by(0, Proposal{PreSharedKey{reinit_psk}})}), "MLS-V-PROP-011");
}

TEST(ProposalList, ReInitToAnUnknownSuiteIsRefused) {
  Fixture f;
  const ReInit reinit{to_bytes("next"), ProtocolVersion::mls10, static_cast<CipherSuiteId>(0x7777),
                      {}};
  expect_rule(f.apply({by(1, Proposal{reinit})}), "MLS-V-PROP-012");
}

TEST(ProposalList, ExtensionsSomeMemberLacksAreRefused) {
  Fixture f;
  RequiredCapabilities required;
  required.extension_types = {static_cast<ExtensionType>(0x0f0f)};
  expect_rule(f.apply({by(0, Proposal{GroupContextExtensions{{make_extension(required)}}})}),
              "MLS-V-PROP-013");
  const Extension unknown{static_cast<ExtensionType>(0x0f0f), to_bytes("x")};
  expect_rule(f.apply({by(0, Proposal{GroupContextExtensions{{unknown}}})}), "MLS-V-PROP-013");
  const Extension garbled{ExtensionType::required_capabilities, Bytes{0xff}};
  expect_rule(f.apply({by(0, Proposal{GroupContextExtensions{{garbled}}})}), "MLS-V-PROP-013");
}

// --------------------------------------------------------------- commits

FramedContent commit_content(Sender sender, Commit commit) {
  return FramedContent{kGroupId, 3, std::move(sender), {}, std::move(commit)};
}

TEST(CheckCommit, PathRequiredWhereTheProposalsNeedOne) {
  Fixture f;
  Commit commit;
  commit.proposals.push_back(ProposalOrRef{Proposal{Remove{LeafIndex{2}}}});
  const std::vector<ResolvedProposal> list{by(0, Proposal{Remove{LeafIndex{2}}})};
  expect_rule(check_commit(f.tree, f.context, commit_content(Sender::member(LeafIndex{0}), commit),
                           list),
              "MLS-V-COMMIT-001");
}

TEST(CheckCommit, OnlyMembersAndNewMembersCommit) {
  Fixture f;
  expect_rule(check_commit(f.tree, f.context, commit_content(Sender::external(0), Commit{}), {}),
              "MLS-V-COMMIT-004");
}

// A real UpdatePath from member 0 over the fixture's tree.
UpdatePath path_from_member0(const Fixture& f) {
  RatchetTree copy = f.tree;
  GroupContext provisional = f.context;
  provisional.epoch += 1;
  return generate_update_path(copy, LeafIndex{0}, f.members[0].signer, provisional).value().path;
}

TEST(CheckCommit, AValidPathPasses) {
  Fixture f;
  Commit commit;
  commit.path = path_from_member0(f);
  auto checked =
      check_commit(f.tree, f.context, commit_content(Sender::member(LeafIndex{0}), commit), {});
  ASSERT_TRUE(checked.ok()) << checked.error().to_string();
  EXPECT_EQ(checked->committer, LeafIndex{0});
  EXPECT_EQ(checked->next_context.epoch, 4u);
}

TEST(CheckCommit, PathKeepingTheCommittersKeyIsRefused) {
  Fixture f;
  Commit commit;
  commit.path = path_from_member0(f);
  LeafNode& leaf = commit.path->leaf_node;
  leaf.encryption_key = f.members[0].leaf.encryption_key;
  leaf.signature = suite()
                       .sign_with_label(f.members[0].signer, "LeafNodeTBS",
                                        encode_leaf_node_tbs(leaf, kGroupId, LeafIndex{0}))
                       .value();
  expect_rule(check_commit(f.tree, f.context, commit_content(Sender::member(LeafIndex{0}), commit),
                           {}),
              "MLS-V-COMMIT-002");
}

TEST(CheckCommit, PathReusingAKeyOfTheTreeIsRefused) {
  Fixture f;
  Commit commit;
  commit.path = path_from_member0(f);
  commit.path->nodes.back().encryption_key = f.members[3].leaf.encryption_key;
  expect_rule(check_commit(f.tree, f.context, commit_content(Sender::member(LeafIndex{0}), commit),
                           {}),
              "MLS-V-COMMIT-008");
}

TEST(CheckCommit, ExternalJoinerTakesTheLeftmostBlankLeaf) {
  Fixture f;
  RatchetTree tree = f.tree;
  ASSERT_TRUE(tree.remove_leaf(LeafIndex{1}).ok());
  const auto joiner = make_member("joiner");
  RatchetTree with_joiner = tree;
  const LeafIndex slot = with_joiner.add_leaf(joiner.leaf).value();
  EXPECT_EQ(slot, LeafIndex{1});
  GroupContext provisional = f.context;
  provisional.epoch += 1;
  auto generated = generate_update_path(with_joiner, slot, joiner.signer, provisional).value();
  Commit commit;
  commit.proposals.push_back(ProposalOrRef{Proposal{ExternalInit{to_bytes("kem")}}});
  commit.path = generated.path;
  const std::vector<ResolvedProposal> list{
      {Proposal{ExternalInit{to_bytes("kem")}}, Sender::new_member_commit(), std::nullopt}};
  auto checked =
      check_commit(tree, f.context, commit_content(Sender::new_member_commit(), commit), list);
  ASSERT_TRUE(checked.ok()) << checked.error().to_string();
  EXPECT_TRUE(checked->external);
  EXPECT_EQ(checked->committer, LeafIndex{1});
  ASSERT_TRUE(checked->effects.external_init.has_value());
}

}  // namespace
}  // namespace conclave::mls
