// RatchetTree: the public ratchet tree of a group (RFC 9420 sections 4, 7.1,
// 7.7-7.9, 12.1.8 tree parts, 12.4.3.1, 12.4.3.3).
//
//   nodes_: one shared, immutable Node per array slot (null = blank),
//           2 * leaf_count - 1 of them (leaf i at node 2i; leaf_count
//           always a power of two). Copying a tree copies pointers, not
//           nodes, and a change replaces the slot's pointer (copy on
//           write), so the group's next epoch shares every node that its
//           commit did not change.
//
//   create(suite, nodes)     ratchet_tree extension form -> tree (pads to the
//                            full width; structural rules MLS-V-TREE-001..004)
//   to_extension()/encode()  back, trailing blank nodes trimmed
//   resolution, tree_hash, parent_hash, filtered_direct_path
//   verify_parent_hashes / verify_leaf_signatures / validate (join time)
//   add_leaf / update_leaf / remove_leaf (proposal application, section 12.1)
//
// Tree hashes are cached per node (one flat array of Nh-byte slots) and
// invalidated along the direct path of a changed node, so a change
// followed by root_tree_hash() costs O(log n) hashes. Every rule a receiver checks has a stable ID (Error detail
// "MLS-V-TREE-xxx"), listed in docs/mls-validation-rules.md. The cache
// makes const methods not thread-safe: a RatchetTree is thread-compatible
// only if not shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/parallel.h"
#include "conclave/base/result.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/ratchet_tree_node.h"
#include "conclave/mls/tree_math.h"

namespace conclave::mls {

class RatchetTree {
 public:
  // The largest tree we accept: 2^31 leaves would overflow uint32 node indices.
  static constexpr uint32_t kMaxLeaves = uint32_t{1} << 30;

  // A tree with one member (a new group).
  static RatchetTree with_leaf(const CipherSuite& suite, LeafNode leaf);
  // From the ratchet_tree extension form. Errc::invalid_tree with
  // MLS-V-TREE-001 (empty), -002 (last node blank), -003 (a leaf slot holding
  // a parent node or the reverse), -004 (too large).
  static Result<RatchetTree> create(const CipherSuite& suite, std::vector<std::optional<Node>> nodes);
  // Decodes the extension bytes (optional<Node> ratchet_tree<V>) and creates.
  static Result<RatchetTree> decode(const CipherSuite& suite, BytesView data);

  // The extension form: trailing blank nodes removed.
  RatchetTreeExtension to_extension() const;
  Bytes encode() const;

  const CipherSuite& suite() const { return suite_; }
  uint32_t leaf_count() const { return leaf_count_; }
  // 2 * leaf_count - 1.
  uint32_t width() const { return static_cast<uint32_t>(nodes_.size()); }

  // Blank and out-of-range nodes are nullptr.
  const Node* node(NodeIndex x) const;
  bool is_blank(NodeIndex x) const { return node(x) == nullptr; }
  const LeafNode* leaf(LeafIndex i) const;
  const ParentNode* parent(NodeIndex x) const;
  // The encryption key of a non-blank node, else nullptr.
  const HPKEPublicKey* encryption_key(NodeIndex x) const;

  // Section 4.1.1, with unmerged leaves: node order as in the RFC (a
  // non-blank parent first, then its unmerged leaves in list order).
  std::vector<NodeIndex> resolution(NodeIndex x) const;
  // Section 4.1.2: the direct-path nodes whose copath child has a non-empty
  // resolution, leaf to root.
  std::vector<NodeIndex> filtered_direct_path(LeafIndex leaf) const;

  // Section 7.8 (cached).
  Bytes tree_hash(NodeIndex x) const;
  Bytes root_tree_hash() const;
  // Section 7.9: the parent hash of parent P with copath child S (S a child
  // of P), using the original sibling tree hash of S (P's unmerged leaves
  // removed).
  Bytes parent_hash(NodeIndex p, NodeIndex s) const;

  // Section 7.9.2: every non-blank parent is parent-hash valid, by exactly
  // one descendant. Errc::parent_hash_mismatch, MLS-V-TREE-005.
  Status verify_parent_hashes() const;
  // Section 7.3: every leaf's signature over its LeafNodeTBS (group_id and
  // leaf index for the update and commit sources).
  // Errc::invalid_leaf_signature, MLS-V-TREE-006. With `parallel`, the
  // checks run on the caller's workers (they dominate joining a large
  // group: one signature verification per member).
  Status verify_leaf_signatures(BytesView group_id, const ParallelFor* parallel = nullptr) const;
  // Section 12.4.3.1 as far as the tree alone allows: parent hashes, leaf
  // signatures, unique encryption keys (MLS-V-TREE-007) and signature keys
  // (MLS-V-TREE-008), unmerged leaves that are non-blank descendants
  // (MLS-V-TREE-009) also listed by every non-blank intermediate parent
  // (MLS-V-TREE-010). Comparing the tree hash with the GroupInfo's, leaf
  // lifetimes and capability compatibility are the caller's.
  Status validate(BytesView group_id, const ParallelFor* parallel = nullptr) const;

  // Section 12.1.1: the leftmost blank leaf, or a new one after doubling the
  // tree; its index is added to the unmerged_leaves of the non-blank parents
  // on its direct path. Errc::invalid_tree MLS-V-TREE-004 when full.
  Result<LeafIndex> add_leaf(LeafNode leaf);
  // Section 12.1.2: replace a non-blank leaf and blank its direct path.
  // Errc::invalid_leaf_index MLS-V-TREE-012 for a blank or absent leaf.
  Status update_leaf(LeafIndex i, LeafNode leaf);
  // Section 12.1.3: blank the leaf and its direct path, then truncate while
  // the right half of the tree holds only blank leaves. MLS-V-TREE-012.
  Status remove_leaf(LeafIndex i);

  std::optional<LeafIndex> find_leaf_by_signature_key(BytesView key) const;
  std::optional<LeafIndex> find_leaf_by_encryption_key(BytesView key) const;
  // Any node (leaf or parent) with this encryption key.
  std::optional<NodeIndex> find_node_by_encryption_key(BytesView key) const;

  // Raw mutation for TreeKEM (invalidates the cached hashes on the path).
  void set_node(NodeIndex x, std::optional<Node> node);
  void blank_direct_path(LeafIndex i);

  // Structural equality (suite and nodes).
  friend bool operator==(const RatchetTree& a, const RatchetTree& b);

 private:
  RatchetTree(const CipherSuite& suite, std::vector<std::optional<Node>> nodes);
  void invalidate(NodeIndex x) const;
  void resize(size_t width);
  void set_slot(NodeIndex x, std::shared_ptr<const Node> node);
  Bytes tree_hash_without(NodeIndex x, const std::vector<LeafIndex>& removed) const;

  CipherSuite suite_;
  std::vector<std::shared_ptr<const Node>> nodes_;
  uint32_t leaf_count_ = 0;
  // Tree hash per node: Nh bytes at x * Nh, valid when hash_valid_[x].
  mutable std::vector<uint8_t> hashes_;
  mutable std::vector<uint8_t> hash_valid_;
};

}  // namespace conclave::mls
