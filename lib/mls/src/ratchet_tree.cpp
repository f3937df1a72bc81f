#include "conclave/mls/ratchet_tree.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <utility>

#include "conclave/codec/tls.h"
#include "conclave/mls/errc.h"

namespace conclave::mls {

namespace {

uint32_t leaf_count_for_width(size_t width) {
  uint32_t n = 1;
  while (size_t{2} * n - 1 < width) n *= 2;
  return n;
}

bool contains_leaf(const std::vector<LeafIndex>& leaves, LeafIndex l) {
  return std::find(leaves.begin(), leaves.end(), l) != leaves.end();
}

}  // namespace

RatchetTree::RatchetTree(const CipherSuite& suite, std::vector<std::optional<Node>> nodes)
    : suite_(suite) {
  nodes_.reserve(nodes.size());
  for (auto& n : nodes) {
    nodes_.push_back(n ? std::make_shared<const Node>(std::move(*n)) : nullptr);
  }
  leaf_count_ = static_cast<uint32_t>((nodes_.size() + 1) / 2);
  hashes_.assign(nodes_.size() * suite_.hash_size(), 0);
  hash_valid_.assign(nodes_.size(), 0);
}

bool operator==(const RatchetTree& a, const RatchetTree& b) {
  if (!(a.suite_ == b.suite_) || a.nodes_.size() != b.nodes_.size()) return false;
  for (size_t i = 0; i < a.nodes_.size(); ++i) {
    const Node* x = a.nodes_[i].get();
    const Node* y = b.nodes_[i].get();
    if (x == y) continue;
    if (x == nullptr || y == nullptr || !(*x == *y)) return false;
  }
  return true;
}

void RatchetTree::resize(size_t width) {
  nodes_.resize(width);
  hashes_.resize(width * suite_.hash_size());
  hash_valid_.resize(width);
}

void RatchetTree::set_slot(NodeIndex x, std::shared_ptr<const Node> node) {
  if (x.value >= nodes_.size()) return;
  nodes_[x.value] = std::move(node);
  invalidate(x);
}

RatchetTree RatchetTree::with_leaf(const CipherSuite& suite, LeafNode leaf) {
  std::vector<std::optional<Node>> nodes;
  nodes.emplace_back(Node{std::move(leaf)});
  return RatchetTree(suite, std::move(nodes));
}

Result<RatchetTree> RatchetTree::create(const CipherSuite& suite,
                                        std::vector<std::optional<Node>> nodes) {
  if (nodes.empty()) return Error(Errc::invalid_tree, "MLS-V-TREE-001");
  if (!nodes.back().has_value()) return Error(Errc::invalid_tree, "MLS-V-TREE-002");
  if (nodes.size() > size_t{2} * kMaxLeaves - 1) return Error(Errc::invalid_tree, "MLS-V-TREE-004");
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i]) continue;
    const bool leaf_slot = (i & 1u) == 0;
    if (leaf_slot != (nodes[i]->node_type() == NodeType::leaf)) {
      return Error(Errc::invalid_tree, "MLS-V-TREE-003");
    }
  }
  const uint32_t n = leaf_count_for_width(nodes.size());
  nodes.resize(size_t{2} * n - 1);
  return RatchetTree(suite, std::move(nodes));
}

Result<RatchetTree> RatchetTree::decode(const CipherSuite& suite, BytesView data) {
  CV_TRY(auto ext, decode_ratchet_tree(data));
  return create(suite, std::move(ext.nodes));
}

RatchetTreeExtension RatchetTree::to_extension() const {
  RatchetTreeExtension ext;
  size_t end = nodes_.size();
  while (end > 0 && !nodes_[end - 1]) --end;
  ext.nodes.reserve(end);
  for (size_t i = 0; i < end; ++i) {
    ext.nodes.push_back(nodes_[i] ? std::optional<Node>(*nodes_[i]) : std::nullopt);
  }
  return ext;
}

Bytes RatchetTree::encode() const {
  // optional<Node> ratchet_tree<V>, written from the shared nodes without
  // copying them (a GroupInfo of a large group carries the whole tree).
  size_t end = nodes_.size();
  while (end > 0 && !nodes_[end - 1]) --end;
  codec::Writer w;
  w.write_vector([&](codec::Writer& v) {
    for (size_t i = 0; i < end; ++i) {
      if (nodes_[i]) {
        v.write_u8(1);
        codec::encode(v, *nodes_[i]);
      } else {
        v.write_u8(0);
      }
    }
  });
  return w.take();
}

const Node* RatchetTree::node(NodeIndex x) const {
  if (x.value >= nodes_.size()) return nullptr;
  return nodes_[x.value].get();
}

const LeafNode* RatchetTree::leaf(LeafIndex i) const {
  if (i.value >= leaf_count_) return nullptr;
  const auto& n = nodes_[i.node().value];
  return n ? n->leaf_node() : nullptr;
}

const ParentNode* RatchetTree::parent(NodeIndex x) const {
  const Node* n = node(x);
  return n ? n->parent_node() : nullptr;
}

const HPKEPublicKey* RatchetTree::encryption_key(NodeIndex x) const {
  const Node* n = node(x);
  if (!n) return nullptr;
  if (const auto* l = n->leaf_node()) return &l->encryption_key;
  if (const auto* p = n->parent_node()) return &p->encryption_key;
  return nullptr;
}

std::vector<NodeIndex> RatchetTree::resolution(NodeIndex x) const {
  std::vector<NodeIndex> out;
  if (x.value >= nodes_.size()) return out;
  const auto& n = nodes_[x.value];
  if (n) {
    out.push_back(x);
    if (const auto* p = n->parent_node()) {
      for (LeafIndex l : p->unmerged_leaves) out.push_back(l.node());
    }
    return out;
  }
  if (x.is_leaf()) return out;
  out = resolution(tree_math::left(x));
  auto right = resolution(tree_math::right(x));
  out.insert(out.end(), right.begin(), right.end());
  return out;
}

std::vector<NodeIndex> RatchetTree::filtered_direct_path(LeafIndex leaf) const {
  std::vector<NodeIndex> out;
  if (leaf.value >= leaf_count_) return out;
  NodeIndex child = leaf.node();
  for (NodeIndex p : tree_math::direct_path(child, leaf_count_)) {
    const NodeIndex sib =
        tree_math::left(p) == child ? tree_math::right(p) : tree_math::left(p);
    if (!resolution(sib).empty()) out.push_back(p);
    child = p;
  }
  return out;
}

Bytes RatchetTree::tree_hash(NodeIndex x) const {
  if (x.value >= nodes_.size()) return {};
  const size_t nh = suite_.hash_size();
  const auto slot = hashes_.begin() + static_cast<std::ptrdiff_t>(x.value * nh);
  if (hash_valid_[x.value] != 0) return Bytes(slot, slot + static_cast<std::ptrdiff_t>(nh));
  const Node* n = nodes_[x.value].get();
  Bytes hash;
  if (x.is_leaf()) {
    hash = suite_.hash(encode_leaf_node_hash_input(x.leaf(), n ? n->leaf_node() : nullptr));
  } else {
    const Bytes left = tree_hash(tree_math::left(x));
    const Bytes right = tree_hash(tree_math::right(x));
    hash = suite_.hash(encode_parent_node_hash_input(n ? n->parent_node() : nullptr, left, right));
  }
  std::copy(hash.begin(), hash.end(), slot);
  hash_valid_[x.value] = 1;
  return hash;
}

Bytes RatchetTree::root_tree_hash() const {
  return tree_hash(tree_math::root(leaf_count_));
}

Bytes RatchetTree::tree_hash_without(NodeIndex x, const std::vector<LeafIndex>& removed) const {
  bool touched = false;
  for (LeafIndex l : removed) {
    if (tree_math::is_in_subtree(x, l.node())) {
      touched = true;
      break;
    }
  }
  if (!touched) return tree_hash(x);
  if (x.is_leaf()) return suite_.hash(encode_leaf_node_hash_input(x.leaf(), nullptr));
  const Bytes left = tree_hash_without(tree_math::left(x), removed);
  const Bytes right = tree_hash_without(tree_math::right(x), removed);
  const ParentNode* p = parent(x);
  if (p == nullptr) return suite_.hash(encode_parent_node_hash_input(nullptr, left, right));
  ParentNode copy = *p;
  std::erase_if(copy.unmerged_leaves, [&](LeafIndex l) { return contains_leaf(removed, l); });
  return suite_.hash(encode_parent_node_hash_input(&copy, left, right));
}

Bytes RatchetTree::parent_hash(NodeIndex p, NodeIndex s) const {
  const ParentNode* pn = parent(p);
  if (pn == nullptr) return {};
  const Bytes sibling_hash = tree_hash_without(s, pn->unmerged_leaves);
  return suite_.hash(encode_parent_hash_input(pn->encryption_key, pn->parent_hash, sibling_hash));
}

Status RatchetTree::verify_parent_hashes() const {
  for (uint32_t i = 1; i < nodes_.size(); i += 2) {
    const NodeIndex p{i};
    const ParentNode* pn = parent(p);
    if (pn == nullptr) continue;
    int matches = 0;
    for (int side = 0; side < 2; ++side) {
      const NodeIndex c = side == 0 ? tree_math::left(p) : tree_math::right(p);
      const NodeIndex s = side == 0 ? tree_math::right(p) : tree_math::left(p);
      const Bytes expected = parent_hash(p, s);
      const auto res = resolution(c);
      std::vector<NodeIndex> unmerged_under_c;
      for (LeafIndex l : pn->unmerged_leaves) {
        if (tree_math::is_in_subtree(c, l.node())) unmerged_under_c.push_back(l.node());
      }
      std::sort(unmerged_under_c.begin(), unmerged_under_c.end());
      for (NodeIndex d : res) {
        const Bytes* dh = nullptr;
        if (const LeafNode* l = d.is_leaf() ? leaf(d.leaf()) : nullptr) {
          dh = l->parent_hash();
        } else if (const ParentNode* q = parent(d)) {
          dh = &q->parent_hash;
        }
        if (dh == nullptr || !equal(*dh, expected)) continue;
        std::vector<NodeIndex> rest;
        for (NodeIndex r : res) {
          if (r != d) rest.push_back(r);
        }
        std::sort(rest.begin(), rest.end());
        if (rest == unmerged_under_c) ++matches;
      }
    }
    if (matches != 1) return Error(Errc::parent_hash_mismatch, "MLS-V-TREE-005");
  }
  return {};
}

Status RatchetTree::verify_leaf_signatures(BytesView group_id,
                                           const ParallelFor* parallel) const {
  std::vector<LeafIndex> leaves;
  for (uint32_t i = 0; i < leaf_count_; ++i) {
    if (leaf(LeafIndex{i}) != nullptr) leaves.push_back(LeafIndex{i});
  }
  // Each check reads only its own leaf: workers may run them concurrently.
  std::atomic<bool> all_valid{true};
  auto check = [&](size_t k) {
    const LeafNode& l = *leaf(leaves[k]);
    const Bytes tbs = encode_leaf_node_tbs(l, group_id, leaves[k]);
    if (!suite_.verify_with_label(l.signature_key, "LeafNodeTBS", tbs, l.signature).ok()) {
      all_valid.store(false, std::memory_order_relaxed);
    }
  };
  if (parallel != nullptr && *parallel) {
    (*parallel)(leaves.size(), check);
  } else {
    for (size_t k = 0; k < leaves.size(); ++k) check(k);
  }
  if (!all_valid.load()) return Error(Errc::invalid_leaf_signature, "MLS-V-TREE-006");
  return {};
}

Status RatchetTree::validate(BytesView group_id, const ParallelFor* parallel) const {
  // Structural rules first (cheap), then parent hashes and signatures.
  std::set<Bytes> encryption_keys;
  std::set<Bytes> signature_keys;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    const auto& n = nodes_[i];
    if (!n) continue;
    const HPKEPublicKey* key = encryption_key(NodeIndex{i});
    if (key != nullptr && !encryption_keys.insert(*key).second) {
      return Error(Errc::invalid_tree, "MLS-V-TREE-007");
    }
    if (const auto* l = n->leaf_node()) {
      if (!signature_keys.insert(l->signature_key).second) {
        return Error(Errc::invalid_tree, "MLS-V-TREE-008");
      }
      continue;
    }
    const NodeIndex p{i};
    const ParentNode* pn = n->parent_node();
    if (pn == nullptr) continue;
    for (LeafIndex l : pn->unmerged_leaves) {
      if (leaf(l) == nullptr || l.node() == p || !tree_math::is_in_subtree(p, l.node())) {
        return Error(Errc::invalid_tree, "MLS-V-TREE-009");
      }
      for (NodeIndex q : tree_math::direct_path(l.node(), leaf_count_)) {
        if (q == p) break;
        const ParentNode* qn = parent(q);
        if (qn != nullptr && !contains_leaf(qn->unmerged_leaves, l)) {
          return Error(Errc::invalid_tree, "MLS-V-TREE-010");
        }
      }
    }
  }
  CV_TRY_STATUS(verify_parent_hashes());
  return verify_leaf_signatures(group_id, parallel);
}

void RatchetTree::invalidate(NodeIndex x) const {
  if (x.value >= hash_valid_.size()) return;
  hash_valid_[x.value] = 0;
  for (NodeIndex p : tree_math::direct_path(x, leaf_count_)) hash_valid_[p.value] = 0;
}

void RatchetTree::set_node(NodeIndex x, std::optional<Node> n) {
  set_slot(x, n ? std::make_shared<const Node>(std::move(*n)) : nullptr);
}

void RatchetTree::blank_direct_path(LeafIndex i) {
  if (i.value >= leaf_count_) return;
  for (NodeIndex p : tree_math::direct_path(i.node(), leaf_count_)) {
    nodes_[p.value].reset();
    hash_valid_[p.value] = 0;
  }
}

Result<LeafIndex> RatchetTree::add_leaf(LeafNode new_leaf) {
  uint32_t index = 0;
  while (index < leaf_count_ && nodes_[LeafIndex{index}.node().value]) ++index;
  if (index == leaf_count_) {
    if (leaf_count_ >= kMaxLeaves) return Error(Errc::invalid_tree, "MLS-V-TREE-004");
    leaf_count_ *= 2;
    // The old tree becomes the left half: its cached hashes stay valid.
    resize(size_t{2} * leaf_count_ - 1);
  }
  const LeafIndex l{index};
  set_node(l.node(), Node{std::move(new_leaf)});
  for (NodeIndex p : tree_math::direct_path(l.node(), leaf_count_)) {
    const ParentNode* pn = parent(p);
    if (pn == nullptr) continue;
    ParentNode changed = *pn;
    changed.unmerged_leaves.push_back(l);
    set_slot(p, std::make_shared<const Node>(Node{std::move(changed)}));
  }
  return l;
}

Status RatchetTree::update_leaf(LeafIndex i, LeafNode new_leaf) {
  if (leaf(i) == nullptr) return Error(Errc::invalid_leaf_index, "MLS-V-TREE-012");
  set_node(i.node(), Node{std::move(new_leaf)});
  blank_direct_path(i);
  return {};
}

Status RatchetTree::remove_leaf(LeafIndex i) {
  if (leaf(i) == nullptr) return Error(Errc::invalid_leaf_index, "MLS-V-TREE-012");
  set_node(i.node(), std::nullopt);
  blank_direct_path(i);
  while (leaf_count_ > 1) {
    const uint32_t half = leaf_count_ / 2;
    bool right_blank = true;
    for (uint32_t j = half; j < leaf_count_; ++j) {
      if (nodes_[LeafIndex{j}.node().value]) {
        right_blank = false;
        break;
      }
    }
    if (!right_blank) break;
    leaf_count_ = half;
    resize(size_t{2} * leaf_count_ - 1);
    // The root moved: the new root's cached hash is still valid (it is
    // the old root's left child), nothing else changed.
  }
  return {};
}

std::optional<LeafIndex> RatchetTree::find_leaf_by_signature_key(BytesView key) const {
  for (uint32_t i = 0; i < leaf_count_; ++i) {
    const LeafNode* l = leaf(LeafIndex{i});
    if (l != nullptr && equal(l->signature_key, key)) return LeafIndex{i};
  }
  return std::nullopt;
}

std::optional<LeafIndex> RatchetTree::find_leaf_by_encryption_key(BytesView key) const {
  for (uint32_t i = 0; i < leaf_count_; ++i) {
    const LeafNode* l = leaf(LeafIndex{i});
    if (l != nullptr && equal(l->encryption_key, key)) return LeafIndex{i};
  }
  return std::nullopt;
}

std::optional<NodeIndex> RatchetTree::find_node_by_encryption_key(BytesView key) const {
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    const HPKEPublicKey* k = encryption_key(NodeIndex{i});
    if (k != nullptr && equal(*k, key)) return NodeIndex{i};
  }
  return std::nullopt;
}

}  // namespace conclave::mls
