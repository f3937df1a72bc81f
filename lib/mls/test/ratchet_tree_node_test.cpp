// Node, the ratchet_tree extension payload and the tree-hash and
// parent-hash inputs.
#include "conclave/mls/ratchet_tree_node.h"

#include <gtest/gtest.h>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

ParentNode parent() {
  return ParentNode{samples::bytes(0x10, 4), samples::bytes(0x20, 2), {LeafIndex{1}, LeafIndex{3}}};
}

TEST(ParentNode, Layout) {
  EXPECT_EQ(codec::encode(parent()), (Bytes{4, 0x10, 0x11, 0x12, 0x13, 2, 0x20, 0x21,  //
                                            8, 0, 0, 0, 1, 0, 0, 0, 3}));
}

TEST(Node, LeafAndParentRoundTrip) {
  const Node leaf{samples::leaf_node(LeafNodeSource::commit)};
  const Node par{parent()};
  EXPECT_EQ(leaf.node_type(), NodeType::leaf);
  EXPECT_EQ(par.node_type(), NodeType::parent);
  EXPECT_NE(leaf.leaf_node(), nullptr);
  EXPECT_EQ(leaf.parent_node(), nullptr);
  EXPECT_EQ(encode(par), concat({Bytes{2}, codec::encode(parent())}));
  for (const Node& n : {leaf, par}) {
    auto back = decode_node(encode(n));
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, n);
  }
  auto bad = decode_node(concat({Bytes{3}, codec::encode(parent())}));
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(codec::Errc::unknown_variant));
}

TEST(RatchetTreeExtension, BlanksAreNullopt) {
  RatchetTreeExtension tree;
  tree.nodes = {Node{samples::leaf_node(LeafNodeSource::key_package)}, Node{parent()}, std::nullopt,
                std::nullopt, Node{samples::leaf_node(LeafNodeSource::update)}};
  const Bytes wire = encode(tree);
  auto back = decode_ratchet_tree(wire);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, tree);
  EXPECT_EQ(make_extension(tree).extension_type, ExtensionType::ratchet_tree);
  EXPECT_EQ(make_extension(tree).extension_data, wire);
  // An optional presence byte other than 0 or 1 is malformed.
  auto bad = decode_ratchet_tree(Bytes{1, 2});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(codec::Errc::invalid_optional));
}

TEST(TreeHashInput, LeafLayout) {
  const LeafNode leaf = samples::leaf_node(LeafNodeSource::key_package);
  EXPECT_EQ(encode_leaf_node_hash_input(LeafIndex{5}, nullptr), (Bytes{1, 0, 0, 0, 5, 0}));
  EXPECT_EQ(encode_leaf_node_hash_input(LeafIndex{5}, &leaf),
            concat({Bytes{1, 0, 0, 0, 5, 1}, encode(leaf)}));
}

TEST(TreeHashInput, ParentLayout) {
  const ParentNode p = parent();
  const Bytes left = {0xAA};
  const Bytes right = {0xBB, 0xCC};
  EXPECT_EQ(encode_parent_node_hash_input(nullptr, left, right),
            (Bytes{2, 0, 1, 0xAA, 2, 0xBB, 0xCC}));
  EXPECT_EQ(encode_parent_node_hash_input(&p, left, right),
            concat({Bytes{2, 1}, codec::encode(p), Bytes{1, 0xAA, 2, 0xBB, 0xCC}}));
}

TEST(ParentHashInput, MatchesTheStruct) {
  const ParentHashInput in{{1, 2}, {}, {3}};
  EXPECT_EQ(
      encode_parent_hash_input(in.encryption_key, in.parent_hash, in.original_sibling_tree_hash),
      codec::encode(in));
  EXPECT_EQ(codec::encode(in), (Bytes{2, 1, 2, 0, 1, 3}));
}

}  // namespace
}  // namespace conclave::mls
