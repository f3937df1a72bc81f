// Ratchet tree nodes on the wire (RFC 9420 sections 7.1, 7.8, 7.9, 12.4.3.3):
// ParentNode, Node (a leaf or a parent), the ratchet_tree extension payload,
// and the inputs of the tree hash and the parent hash.
//
//   ratchet_tree = [ node 0, node 1, ... ]   optional<Node>, blank = nullopt
//
// The tree hash of a node hashes a TreeHashInput (LeafNodeHashInput or
// ParentNodeHashInput); the parent hash of a parent P hashes a
// ParentHashInput. Only the encodings are here; hashing is done with the
// cipher suite by the tree code.
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     HPKEPublicKey encryption_key;
//     opaque parent_hash<V>;
//     uint32 unmerged_leaves<V>;
// } ParentNode;
struct ParentNode {
  // Its tag as an arm of Node.
  static constexpr NodeType kType = NodeType::parent;

  HPKEPublicKey encryption_key;
  Bytes parent_hash;
  std::vector<LeafIndex> unmerged_leaves;
  CV_TLS_FIELDS(encryption_key, parent_hash, unmerged_leaves)
  bool operator==(const ParentNode&) const = default;
};

// struct {
//     NodeType node_type;
//     select (Node.node_type) {
//         case leaf:   LeafNode leaf_node;
//         case parent: ParentNode parent_node;
//     };
// } Node;
struct Node {
  std::variant<LeafNode, ParentNode> node;
  CV_TLS_FIELDS(node)
  bool operator==(const Node&) const = default;

  NodeType node_type() const { return codec::variant_tag(node); }
  const LeafNode* leaf_node() const { return std::get_if<LeafNode>(&node); }
  LeafNode* leaf_node() { return std::get_if<LeafNode>(&node); }
  const ParentNode* parent_node() const { return std::get_if<ParentNode>(&node); }
  ParentNode* parent_node() { return std::get_if<ParentNode>(&node); }
};

// optional<Node> ratchet_tree<V>;   (extension ratchet_tree, in GroupInfo)
//
// Nodes in array order (section 4.1); blank nodes are nullopt. The sender
// MUST NOT include blank nodes after the last non-blank one, and the
// receiver MUST check that the last node is non-blank: that rule belongs to
// the tree code, decoding accepts any list.
struct RatchetTreeExtension {
  static constexpr ExtensionType kExtensionType = ExtensionType::ratchet_tree;
  std::vector<std::optional<Node>> nodes;
  CV_TLS_FIELDS(nodes)
  bool operator==(const RatchetTreeExtension&) const = default;
};

// Wire encodings (instantiated in ratchet_tree_node.cpp).
Bytes encode(const Node& node);
Bytes encode(const RatchetTreeExtension& tree);
Result<Node> decode_node(BytesView data);
Result<RatchetTreeExtension> decode_ratchet_tree(BytesView data);

// struct {
//   NodeType node_type;
//   select (TreeHashInput.node_type) {
//     case leaf:   LeafNodeHashInput leaf_node;
//     case parent: ParentNodeHashInput parent_node;
//   };
// } TreeHashInput;
//
// struct {
//     uint32 leaf_index;
//     optional<LeafNode> leaf_node;
// } LeafNodeHashInput;
//
// The TreeHashInput of a leaf (node_type leaf included); leaf is nullptr
// for a blank leaf.
Bytes encode_leaf_node_hash_input(LeafIndex leaf_index, const LeafNode* leaf);

// struct {
//     optional<ParentNode> parent_node;
//     opaque left_hash<V>;
//     opaque right_hash<V>;
// } ParentNodeHashInput;
//
// The TreeHashInput of a parent (node_type parent included); parent is
// nullptr for a blank parent.
Bytes encode_parent_node_hash_input(const ParentNode* parent, BytesView left_hash,
                                    BytesView right_hash);

// struct {
//     HPKEPublicKey encryption_key;
//     opaque parent_hash<V>;
//     opaque original_sibling_tree_hash<V>;
// } ParentHashInput;
struct ParentHashInput {
  HPKEPublicKey encryption_key;
  Bytes parent_hash;
  Bytes original_sibling_tree_hash;
  CV_TLS_FIELDS(encryption_key, parent_hash, original_sibling_tree_hash)
  bool operator==(const ParentHashInput&) const = default;
};

// The encoded ParentHashInput (without copying the inputs into a struct).
Bytes encode_parent_hash_input(BytesView encryption_key, BytesView parent_hash,
                               BytesView original_sibling_tree_hash);

}  // namespace conclave::mls
