// RatchetTree: the extension form and its structural rules, resolution,
// tree and parent hashes (cached vs fresh), proposal application and the
// join-time validation rules MLS-V-TREE-001..012.
#include "conclave/mls/ratchet_tree.h"

#include <gtest/gtest.h>

#include <functional>
#include <string_view>
#include <thread>

#include "conclave/mls/treekem.h"
#include "tree_test_util.h"

namespace conclave::mls {
namespace {

using tree_test::make_members;
using tree_test::suite;
using tree_test::tree_of;

void expect_rule(const Status& st, std::string_view rule) {
  ASSERT_FALSE(st.ok()) << "expected " << rule;
  EXPECT_EQ(st.error().detail(), rule);
}

const Bytes kGroupId = to_bytes("group");

GroupContext context_for(const RatchetTree&) {
  GroupContext c;
  c.cipher_suite = suite().id();
  c.group_id = kGroupId;
  c.epoch = 7;
  return c;
}

// A tree of n members where member 0 committed (non-blank parents).
RatchetTree committed_tree(const std::vector<tree_test::Member>& members) {
  RatchetTree tree = tree_of(members);
  auto path = generate_update_path(tree, LeafIndex{0}, members[0].signer, context_for(tree));
  EXPECT_TRUE(path.ok()) << path.error().to_string();
  return tree;
}

TEST(RatchetTree, CreateRejectsMalformedTrees) {
  const auto members = make_members(2);
  expect_rule(RatchetTree::create(suite(), {}).error(), "MLS-V-TREE-001");
  expect_rule(RatchetTree::create(suite(), {Node{members[0].leaf}, std::nullopt}).error(),
              "MLS-V-TREE-002");
  expect_rule(RatchetTree::create(suite(), {Node{ParentNode{}}}).error(), "MLS-V-TREE-003");
  expect_rule(
      RatchetTree::create(suite(), {Node{members[0].leaf}, Node{members[1].leaf}, Node{members[1].leaf}})
          .error(),
      "MLS-V-TREE-003");
}

TEST(RatchetTree, PadsToFullWidthAndTrimsOnEncode) {
  const auto members = make_members(3);
  auto tree = RatchetTree::create(
      suite(), {Node{members[0].leaf}, std::nullopt, Node{members[1].leaf}, std::nullopt,
                Node{members[2].leaf}});
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->leaf_count(), 4u);
  EXPECT_EQ(tree->width(), 7u);
  EXPECT_TRUE(tree->is_blank(NodeIndex{6}));
  const auto ext = tree->to_extension();
  EXPECT_EQ(ext.nodes.size(), 5u);
  auto back = RatchetTree::decode(suite(), tree->encode());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *tree);
  EXPECT_EQ(back->root_tree_hash(), tree->root_tree_hash());
}

TEST(RatchetTree, AddFillsLeftmostBlankOrExtends) {
  const auto members = make_members(5);
  RatchetTree tree = RatchetTree::with_leaf(suite(), members[0].leaf);
  EXPECT_EQ(tree.leaf_count(), 1u);
  EXPECT_EQ(tree.add_leaf(members[1].leaf).value(), LeafIndex{1});
  EXPECT_EQ(tree.leaf_count(), 2u);
  EXPECT_EQ(tree.add_leaf(members[2].leaf).value(), LeafIndex{2});
  EXPECT_EQ(tree.leaf_count(), 4u);
  ASSERT_TRUE(tree.remove_leaf(LeafIndex{1}).ok());
  EXPECT_EQ(tree.add_leaf(members[3].leaf).value(), LeafIndex{1});
  EXPECT_EQ(tree.add_leaf(members[4].leaf).value(), LeafIndex{3});
  EXPECT_EQ(tree.find_leaf_by_signature_key(members[4].leaf.signature_key), LeafIndex{3});
  EXPECT_EQ(tree.find_leaf_by_encryption_key(members[3].leaf.encryption_key), LeafIndex{1});
  EXPECT_FALSE(tree.find_leaf_by_signature_key(members[1].leaf.signature_key).has_value());
}

TEST(RatchetTree, RemoveTruncatesBlankRightHalves) {
  const auto members = make_members(5);
  RatchetTree tree = tree_of(members);
  EXPECT_EQ(tree.leaf_count(), 8u);
  ASSERT_TRUE(tree.remove_leaf(LeafIndex{4}).ok());
  EXPECT_EQ(tree.leaf_count(), 4u);
  ASSERT_TRUE(tree.remove_leaf(LeafIndex{1}).ok());
  EXPECT_EQ(tree.leaf_count(), 4u);
  ASSERT_TRUE(tree.remove_leaf(LeafIndex{3}).ok());
  EXPECT_EQ(tree.leaf_count(), 4u);  // leaf 2 still in the right half
  ASSERT_TRUE(tree.remove_leaf(LeafIndex{2}).ok());
  EXPECT_EQ(tree.leaf_count(), 1u);
  expect_rule(tree.remove_leaf(LeafIndex{2}), "MLS-V-TREE-012");
  expect_rule(tree.update_leaf(LeafIndex{1}, members[1].leaf), "MLS-V-TREE-012");
}

TEST(RatchetTree, UnmergedLeavesAndResolution) {
  const auto members = make_members(4);
  std::vector<tree_test::Member> first(members.begin(), members.begin() + 3);
  RatchetTree tree = committed_tree(first);
  // Member 0 committed: nodes 1 and 3 are set, leaf 3 is blank.
  EXPECT_FALSE(tree.is_blank(NodeIndex{1}));
  EXPECT_FALSE(tree.is_blank(NodeIndex{3}));
  EXPECT_TRUE(tree.is_blank(NodeIndex{5}));
  EXPECT_EQ(tree.resolution(NodeIndex{5}), (std::vector<NodeIndex>{NodeIndex{4}}));
  EXPECT_EQ(tree.add_leaf(members[3].leaf).value(), LeafIndex{3});
  EXPECT_EQ(tree.parent(NodeIndex{3})->unmerged_leaves, (std::vector<LeafIndex>{LeafIndex{3}}));
  EXPECT_EQ(tree.resolution(NodeIndex{3}), (std::vector<NodeIndex>{NodeIndex{3}, NodeIndex{6}}));
  EXPECT_EQ(tree.resolution(NodeIndex{5}), (std::vector<NodeIndex>{NodeIndex{4}, NodeIndex{6}}));
  EXPECT_EQ(tree.filtered_direct_path(LeafIndex{0}),
            (std::vector<NodeIndex>{NodeIndex{1}, NodeIndex{3}}));
  // The tree with an unmerged leaf is still valid.
  EXPECT_TRUE(tree.validate(kGroupId).ok()) << tree.validate(kGroupId).error().to_string();
}

TEST(RatchetTree, CachedHashesMatchAFreshTree) {
  const auto members = make_members(6);
  RatchetTree tree = committed_tree(members);
  const Bytes before = tree.root_tree_hash();
  ASSERT_TRUE(tree.remove_leaf(LeafIndex{5}).ok());
  ASSERT_TRUE(tree.add_leaf(members[5].leaf).ok());
  ASSERT_TRUE(tree.update_leaf(LeafIndex{2}, members[2].leaf).ok());
  const Bytes after = tree.root_tree_hash();
  EXPECT_NE(before, after);
  auto fresh = RatchetTree::decode(suite(), tree.encode());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->root_tree_hash(), after);
  for (uint32_t i = 0; i < tree.width(); ++i) {
    EXPECT_EQ(fresh->tree_hash(NodeIndex{i}), tree.tree_hash(NodeIndex{i})) << i;
  }
}

TEST(RatchetTree, CommittedTreeValidates) {
  RatchetTree tree = committed_tree(make_members(5));
  EXPECT_TRUE(tree.verify_parent_hashes().ok());
  EXPECT_TRUE(tree.verify_leaf_signatures(kGroupId).ok());
  EXPECT_TRUE(tree.validate(kGroupId).ok());
  // The commit leaf is signed for this group only.
  expect_rule(tree.verify_leaf_signatures(to_bytes("other")), "MLS-V-TREE-006");
}

TEST(RatchetTree, TamperedParentFailsParentHash) {
  const auto members = make_members(4);
  RatchetTree tree = committed_tree(members);
  ParentNode p = *tree.parent(NodeIndex{3});
  p.encryption_key = tree_test::make_member("fresh").leaf.encryption_key;
  tree.set_node(NodeIndex{3}, Node{p});
  expect_rule(tree.verify_parent_hashes(), "MLS-V-TREE-005");
  expect_rule(tree.validate(kGroupId), "MLS-V-TREE-005");
}

TEST(RatchetTree, TamperedLeafFailsSignature) {
  const auto members = make_members(3);
  RatchetTree tree = tree_of(members);
  LeafNode leaf = *tree.leaf(LeafIndex{2});
  leaf.credential = Credential::basic(to_bytes("mallory"));
  tree.set_node(LeafIndex{2}.node(), Node{leaf});
  expect_rule(tree.verify_leaf_signatures(kGroupId), "MLS-V-TREE-006");
}

// A ParallelFor that runs the pieces on two threads, last index first on
// one of them, as an application's workers might.
ParallelFor two_threads() {
  return [](size_t n, const std::function<void(size_t)>& body) {
    std::thread other([&] {
      for (size_t i = n; i-- > n / 2;) body(i);
    });
    for (size_t i = 0; i < n / 2; ++i) body(i);
    other.join();
  };
}

TEST(RatchetTree, LeafSignaturesCheckedOnLentWorkers) {
  const auto members = make_members(9);
  RatchetTree tree = tree_of(members);
  const ParallelFor workers = two_threads();
  EXPECT_TRUE(tree.verify_leaf_signatures(kGroupId, &workers).ok());
  EXPECT_TRUE(tree.validate(kGroupId, &workers).ok());
  // One bad leaf among many, wherever it falls, fails the whole check.
  for (uint32_t bad : {0u, 4u, 8u}) {
    RatchetTree t = tree;
    LeafNode leaf = *t.leaf(LeafIndex{bad});
    leaf.credential = Credential::basic(to_bytes("mallory"));
    t.set_node(LeafIndex{bad}.node(), Node{leaf});
    expect_rule(t.verify_leaf_signatures(kGroupId, &workers), "MLS-V-TREE-006");
  }
  // The copy shares its nodes with the original, which is unchanged.
  EXPECT_TRUE(tree.verify_leaf_signatures(kGroupId, &workers).ok());
}

TEST(RatchetTree, DuplicateKeysAreRejected) {
  const auto members = make_members(3);
  {
    RatchetTree tree = tree_of({members[0], members[1], members[0]});
    expect_rule(tree.validate(kGroupId), "MLS-V-TREE-007");
  }
  {
    auto twin = tree_test::make_member("twin");
    // Same signature key as member 1, new encryption key, re-signed.
    twin.leaf.signature_key = members[1].leaf.signature_key;
    twin.leaf.signature = suite()
                              .sign_with_label(members[1].signer, "LeafNodeTBS",
                                               encode_leaf_node_tbs(twin.leaf, {}, LeafIndex{}))
                              .value();
    RatchetTree tree = tree_of({members[0], members[1], twin});
    expect_rule(tree.validate(kGroupId), "MLS-V-TREE-008");
  }
}

TEST(RatchetTree, BadUnmergedLeavesAreRejected) {
  const auto members = make_members(4);
  ParentNode root;
  root.encryption_key = tree_test::make_member("x").leaf.encryption_key;
  root.unmerged_leaves = {LeafIndex{3}};
  ParentNode mid;
  mid.encryption_key = tree_test::make_member("y").leaf.encryption_key;
  const auto build = [&](const ParentNode& r, const ParentNode& m) {
    return RatchetTree::create(suite(), {Node{members[0].leaf}, std::nullopt,
                                         Node{members[1].leaf}, Node{r}, Node{members[2].leaf},
                                         Node{m}, Node{members[3].leaf}})
        .value();
  };
  // Leaf 3 unmerged at the root but not at node 5 between them.
  expect_rule(build(root, mid).validate(kGroupId), "MLS-V-TREE-010");
  // Leaf 0 is not below node 5.
  ParentNode bad_mid = mid;
  bad_mid.unmerged_leaves = {LeafIndex{0}};
  expect_rule(build(ParentNode{root.encryption_key, {}, {}}, bad_mid).validate(kGroupId),
              "MLS-V-TREE-009");
  // A blank leaf cannot be unmerged.
  auto blanked = build(ParentNode{root.encryption_key, {}, {}}, mid);
  ParentNode with_blank = mid;
  with_blank.unmerged_leaves = {LeafIndex{3}};
  blanked.set_node(NodeIndex{5}, Node{with_blank});
  blanked.set_node(NodeIndex{6}, std::nullopt);
  expect_rule(blanked.validate(kGroupId), "MLS-V-TREE-009");
  // Consistent unmerged lists pass the structural rules (and fail later on
  // the parent hashes, which these hand-made parents do not carry).
  ParentNode good_mid = mid;
  good_mid.unmerged_leaves = {LeafIndex{3}};
  expect_rule(build(root, good_mid).validate(kGroupId), "MLS-V-TREE-005");
}

}  // namespace
}  // namespace conclave::mls
