// TreeKEM: UpdatePath generation and processing between real members,
// joiner exclusion, and the receiver's rules MLS-V-TREE-013..020.
#include "conclave/mls/treekem.h"

#include <gtest/gtest.h>

#include <string_view>

#include "tree_test_util.h"

namespace conclave::mls {
namespace {

using tree_test::make_members;
using tree_test::Member;
using tree_test::suite;
using tree_test::tree_of;

void expect_rule(const Error& e, std::string_view rule) { EXPECT_EQ(e.detail(), rule); }

GroupContext context() {
  GroupContext c;
  c.cipher_suite = suite().id();
  c.group_id = to_bytes("treekem group");
  c.epoch = 3;
  c.confirmed_transcript_hash = Bytes(32, 0x11);
  return c;
}

TreePrivateKeys keys_of(const std::vector<Member>& members, uint32_t i) {
  TreePrivateKeys k(LeafIndex{i});
  k.set_key(LeafIndex{i}.node(), members[i].hpke);
  return k;
}

struct Group {
  std::vector<Member> members;
  RatchetTree tree;
  std::vector<TreePrivateKeys> keys;
};

Group make_group(size_t n) {
  auto members = make_members(n);
  RatchetTree tree = tree_of(members);
  std::vector<TreePrivateKeys> keys;
  for (uint32_t i = 0; i < n; ++i) keys.push_back(keys_of(members, i));
  return Group{std::move(members), std::move(tree), std::move(keys)};
}

TEST(TreeKem, AllMembersDeriveTheCommitSecretRepeatedly) {
  Group g = make_group(7);
  // Three commits from different members, every other member follows.
  for (uint32_t sender : {0u, 5u, 2u}) {
    RatchetTree committer_tree = g.tree;
    auto gen = generate_update_path(committer_tree, LeafIndex{sender}, g.members[sender].signer,
                                    context());
    ASSERT_TRUE(gen.ok()) << gen.error().to_string();
    EXPECT_EQ(gen->path.nodes.size(), committer_tree.filtered_direct_path(LeafIndex{sender}).size());
    EXPECT_TRUE(gen->keys.check_against(committer_tree).ok());
    EXPECT_EQ(gen->context.tree_hash, committer_tree.root_tree_hash());
    for (uint32_t j = 0; j < g.members.size(); ++j) {
      if (j == sender) continue;
      RatchetTree t = g.tree;
      auto applied = apply_update_path(t, LeafIndex{sender}, gen->path, context(), g.keys[j]);
      ASSERT_TRUE(applied.ok()) << j << ": " << applied.error().to_string();
      EXPECT_EQ(applied->commit_secret, gen->commit_secret) << j;
      EXPECT_EQ(t, committer_tree) << j;
      EXPECT_TRUE(g.keys[j].check_against(t).ok()) << j;
      // The decrypted secret is the committer's at the common ancestor.
      const SecretBytes* ps = gen->keys.path_secret(applied->decrypted_at);
      ASSERT_NE(ps, nullptr);
      EXPECT_EQ(*ps, applied->path_secret);
    }
    g.keys[sender] = gen->keys;
    g.tree = committer_tree;
    EXPECT_TRUE(g.tree.validate(context().group_id).ok());
  }
}

TEST(TreeKem, FixedLeafSecretIsDeterministicUpToHpke) {
  Group g = make_group(3);
  const Bytes leaf_secret(32, 0x42);
  RatchetTree a = g.tree;
  RatchetTree b = g.tree;
  auto pa = generate_update_path(a, LeafIndex{1}, g.members[1].signer, context(), {}, leaf_secret);
  auto pb = generate_update_path(b, LeafIndex{1}, g.members[1].signer, context(), {}, leaf_secret);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_EQ(pa->commit_secret, pb->commit_secret);
  EXPECT_EQ(pa->path.leaf_node.encryption_key, pb->path.leaf_node.encryption_key);
  ASSERT_EQ(pa->path.nodes.size(), pb->path.nodes.size());
  for (size_t i = 0; i < pa->path.nodes.size(); ++i) {
    EXPECT_EQ(pa->path.nodes[i].encryption_key, pb->path.nodes[i].encryption_key);
  }
}

TEST(TreeKem, JoinersGetNoCiphertexts) {
  Group g = make_group(3);
  const Member joiner = tree_test::make_member("joiner");
  const LeafIndex joined = g.tree.add_leaf(joiner.leaf).value();
  ASSERT_EQ(joined, LeafIndex{3});
  RatchetTree t = g.tree;
  const LeafIndex exclude[] = {joined};
  auto gen = generate_update_path(t, LeafIndex{0}, g.members[0].signer, context(), exclude);
  ASSERT_TRUE(gen.ok());
  // Node 3 (root) is encrypted to node 5's resolution {4, 6} minus the joiner.
  ASSERT_EQ(gen->path.nodes.size(), 2u);
  EXPECT_EQ(gen->path.nodes[1].encrypted_path_secret.size(), 1u);
  RatchetTree other = g.tree;
  TreePrivateKeys k2 = g.keys[2];
  auto applied = apply_update_path(other, LeafIndex{0}, gen->path, context(), k2, exclude);
  ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  EXPECT_EQ(applied->commit_secret, gen->commit_secret);
}

TEST(TreeKem, ReceiverRulesLeaveStateUnchanged) {
  Group g = make_group(4);
  RatchetTree committed = g.tree;
  auto gen = generate_update_path(committed, LeafIndex{0}, g.members[0].signer, context());
  ASSERT_TRUE(gen.ok());

  const auto expect_rejected = [&](const UpdatePath& path, std::string_view rule,
                                   const GroupContext& ctx = context()) {
    RatchetTree t = g.tree;
    TreePrivateKeys k = g.keys[3];
    auto r = apply_update_path(t, LeafIndex{0}, path, ctx, k);
    ASSERT_FALSE(r.ok()) << rule;
    expect_rule(r.error(), rule);
    EXPECT_EQ(t, g.tree) << rule;
    EXPECT_EQ(k.size(), 1u) << rule;
  };

  UpdatePath fewer = gen->path;
  fewer.nodes.pop_back();
  expect_rejected(fewer, "MLS-V-TREE-013");

  UpdatePath not_commit = gen->path;
  not_commit.leaf_node.source = LeafNodeUpdateSource{};
  expect_rejected(not_commit, "MLS-V-TREE-014");

  UpdatePath other_key = gen->path;
  other_key.nodes[1].encryption_key = g.members[1].leaf.encryption_key;
  expect_rejected(other_key, "MLS-V-TREE-015");

  UpdatePath bad_sig = gen->path;
  bad_sig.leaf_node.signature[0] ^= 1;
  expect_rejected(bad_sig, "MLS-V-TREE-016");

  UpdatePath bad_ct = gen->path;
  for (auto& ct : bad_ct.nodes[1].encrypted_path_secret) ct.ciphertext[0] ^= 1;
  expect_rejected(bad_ct, "MLS-V-TREE-017");

  // Another epoch in the context: the HPKE context differs.
  GroupContext other_epoch = context();
  other_epoch.epoch += 1;
  expect_rejected(gen->path, "MLS-V-TREE-017", other_epoch);

  UpdatePath extra_ct = gen->path;
  extra_ct.nodes[1].encrypted_path_secret.push_back(extra_ct.nodes[1].encrypted_path_secret[0]);
  expect_rejected(extra_ct, "MLS-V-TREE-018");

  // The sender cannot process its own path.
  RatchetTree t = g.tree;
  TreePrivateKeys k0 = g.keys[0];
  auto own = apply_update_path(t, LeafIndex{0}, gen->path, context(), k0);
  ASSERT_FALSE(own.ok());
  expect_rule(own.error(), "MLS-V-TREE-017");
}

TEST(TreeKem, WrongDerivedKeyIsDetected) {
  // A committer that puts a root key not derived from the path secret, with
  // a consistent parent-hash chain and signature: member 1 decrypts at node
  // 1, derives the root key and sees the difference.
  Group g = make_group(4);
  RatchetTree a = g.tree;
  auto pa = generate_update_path(a, LeafIndex{0}, g.members[0].signer, context());
  ASSERT_TRUE(pa.ok());
  UpdatePath lie = pa->path;
  lie.nodes[1].encryption_key = tree_test::make_member("z").leaf.encryption_key;
  RatchetTree t = g.tree;
  t.blank_direct_path(LeafIndex{0});
  t.set_node(NodeIndex{3}, Node{ParentNode{lie.nodes[1].encryption_key, {}, {}}});
  t.set_node(NodeIndex{1}, Node{ParentNode{lie.nodes[0].encryption_key,
                                           t.parent_hash(NodeIndex{3}, NodeIndex{5}), {}}});
  lie.leaf_node.source = LeafNodeCommitSource{t.parent_hash(NodeIndex{1}, NodeIndex{2})};
  lie.leaf_node.signature =
      suite()
          .sign_with_label(g.members[0].signer, "LeafNodeTBS",
                           encode_leaf_node_tbs(lie.leaf_node, context().group_id, LeafIndex{0}))
          .value();
  RatchetTree merged = g.tree;
  ASSERT_TRUE(merge_update_path(merged, LeafIndex{0}, lie, context().group_id).ok());
  // The ciphertexts were made under the honest tree hash: re-encrypt node 1's
  // secret for member 1 under the lying tree's context.
  GroupContext ctx = context();
  ctx.tree_hash = merged.root_tree_hash();
  const SecretBytes* ps = pa->keys.path_secret(NodeIndex{1});
  ASSERT_NE(ps, nullptr);
  auto sealed = suite().encrypt_with_label(g.members[1].leaf.encryption_key, "UpdatePathNode",
                                           encode(ctx), ps->view());
  ASSERT_TRUE(sealed.ok());
  lie.nodes[0].encrypted_path_secret = {HPKECiphertext{sealed->enc, sealed->ct}};
  RatchetTree r_tree = g.tree;
  TreePrivateKeys k1 = g.keys[1];
  auto r = apply_update_path(r_tree, LeafIndex{0}, lie, context(), k1);
  ASSERT_FALSE(r.ok());
  expect_rule(r.error(), "MLS-V-TREE-019");
  EXPECT_EQ(r_tree, g.tree);
}

TEST(TreeKem, PrivateKeysMustMatchTheTree) {
  Group g = make_group(2);
  TreePrivateKeys wrong(LeafIndex{0});
  wrong.set_key(LeafIndex{0}.node(), g.members[1].hpke);
  auto st = wrong.check_against(g.tree);
  ASSERT_FALSE(st.ok());
  expect_rule(st.error(), "MLS-V-TREE-020");
  EXPECT_TRUE(g.keys[0].check_against(g.tree).ok());
  TreePrivateKeys blank(LeafIndex{0});
  blank.set_key(NodeIndex{1}, g.members[0].hpke);  // node 1 is blank
  EXPECT_FALSE(blank.check_against(g.tree).ok());
}

}  // namespace
}  // namespace conclave::mls
