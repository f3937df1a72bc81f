// Array-based tree arithmetic (RFC 9420 section 4.1 and Appendix C).
//
// A ratchet tree with n leaves is stored as an array of 2n - 1 nodes: leaf i
// sits at node 2i, parents at odd indices. MLS trees always have a power of
// two leaves (the tree is extended on the right when it grows), so the
// relationships below are those of a complete binary tree:
//
//                 3                  level 2
//          1             5           level 1
//       0     2      4      6        level 0 (leaves 0..3)
//
// LeafIndex and NodeIndex are distinct types so that a leaf number is never
// used as a node number by accident. Functions that need the tree size take
// the leaf count; none of them allocates except the path functions.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <vector>

#include "conclave/codec/tls.h"

namespace conclave::mls {

struct NodeIndex;

// uint32 leaf_index (RFC 9420 section 6: Sender, and throughout).
struct LeafIndex {
  uint32_t value = 0;
  CV_TLS_FIELDS(value)
  constexpr NodeIndex node() const;
  friend constexpr auto operator<=>(LeafIndex, LeafIndex) = default;
};

struct NodeIndex {
  uint32_t value = 0;
  CV_TLS_FIELDS(value)
  constexpr bool is_leaf() const { return (value & 1u) == 0; }
  // The leaf at this node; only for is_leaf() nodes.
  constexpr LeafIndex leaf() const { return LeafIndex{value >> 1}; }
  friend constexpr auto operator<=>(NodeIndex, NodeIndex) = default;
};

constexpr NodeIndex LeafIndex::node() const { return NodeIndex{value * 2}; }

namespace tree_math {

// Exponent of the largest power of two <= x (0 for x = 0).
uint32_t log2(uint32_t x);
// Leaves are level 0, their parents level 1, ...
uint32_t level(NodeIndex x);
// Number of nodes for n leaves: 2(n - 1) + 1, or 0.
uint32_t node_width(uint32_t n_leaves);
// The root of a tree with n leaves.
NodeIndex root(uint32_t n_leaves);
// Children of a parent node (level > 0).
NodeIndex left(NodeIndex x);
NodeIndex right(NodeIndex x);
// Parent and sibling; nullopt for the root.
std::optional<NodeIndex> parent(NodeIndex x, uint32_t n_leaves);
std::optional<NodeIndex> sibling(NodeIndex x, uint32_t n_leaves);
// From the node's parent up to the root (empty for the root).
std::vector<NodeIndex> direct_path(NodeIndex x, uint32_t n_leaves);
// The sibling of each node on the path from x (inclusive) up to but
// excluding the root.
std::vector<NodeIndex> copath(NodeIndex x, uint32_t n_leaves);
// The lowest node that is x or y or an ancestor of both.
NodeIndex common_ancestor(NodeIndex x, NodeIndex y);
// Whether `ancestor` is x itself or lies on x's direct path.
bool is_in_subtree(NodeIndex ancestor, NodeIndex x);

}  // namespace tree_math
}  // namespace conclave::mls
