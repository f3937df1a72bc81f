#include "conclave/mls/treekem.h"

#include <algorithm>
#include <utility>

#include "conclave/crypto/random.h"
#include "conclave/mls/errc.h"

namespace conclave::mls {

namespace {

constexpr std::string_view kUpdatePathNode = "UpdatePathNode";

// One node of the filtered direct path and its copath child.
struct PathStep {
  NodeIndex node;
  NodeIndex copath;
};

std::vector<PathStep> path_steps(const RatchetTree& tree, LeafIndex leaf) {
  std::vector<PathStep> out;
  NodeIndex child = leaf.node();
  for (NodeIndex p : tree_math::direct_path(child, tree.leaf_count())) {
    const NodeIndex sib = tree_math::left(p) == child ? tree_math::right(p) : tree_math::left(p);
    if (!tree.resolution(sib).empty()) out.push_back({p, sib});
    child = p;
  }
  return out;
}

// The excluded leaves (new members, who get the path secret through the
// Welcome), sorted once per path so that a commit adding many members
// costs a binary search per recipient.
std::vector<LeafIndex> sorted_leaves(std::span<const LeafIndex> leaves) {
  std::vector<LeafIndex> out(leaves.begin(), leaves.end());
  std::sort(out.begin(), out.end());
  return out;
}

// The copath child's resolution without the excluded leaves.
std::vector<NodeIndex> recipients(const RatchetTree& tree, NodeIndex copath,
                                  const std::vector<LeafIndex>& sorted_exclude) {
  std::vector<NodeIndex> out = tree.resolution(copath);
  if (sorted_exclude.empty()) return out;
  std::erase_if(out, [&](NodeIndex r) {
    return r.is_leaf() &&
           std::binary_search(sorted_exclude.begin(), sorted_exclude.end(), r.leaf());
  });
  return out;
}

// Blanks the direct path, installs the new parent keys and computes their
// parent hashes top-down; returns the parent hash the leaf must carry.
Bytes install_path(RatchetTree& tree, LeafIndex leaf, const std::vector<PathStep>& steps,
                   const std::vector<HPKEPublicKey>& keys) {
  tree.blank_direct_path(leaf);
  for (size_t i = 0; i < steps.size(); ++i) {
    tree.set_node(steps[i].node, Node{ParentNode{keys[i], {}, {}}});
  }
  for (size_t i = steps.size(); i-- > 0;) {
    if (i + 1 == steps.size()) continue;  // the top node's parent_hash stays empty
    ParentNode p = *tree.parent(steps[i].node);
    p.parent_hash = tree.parent_hash(steps[i + 1].node, steps[i + 1].copath);
    tree.set_node(steps[i].node, Node{std::move(p)});
  }
  if (steps.empty()) return {};
  return tree.parent_hash(steps[0].node, steps[0].copath);
}

Result<std::vector<PathStep>> merge(RatchetTree& tree, LeafIndex sender, const UpdatePath& path,
                                    BytesView group_id) {
  if (tree.leaf(sender) == nullptr) return Error(Errc::invalid_leaf_index, "MLS-V-TREE-012");
  auto steps = path_steps(tree, sender);
  if (steps.size() != path.nodes.size()) return Error(Errc::invalid_update_path, "MLS-V-TREE-013");
  const Bytes* leaf_ph = path.leaf_node.parent_hash();
  if (leaf_ph == nullptr) return Error(Errc::invalid_update_path, "MLS-V-TREE-014");
  std::vector<HPKEPublicKey> keys;
  keys.reserve(steps.size());
  for (const auto& n : path.nodes) keys.push_back(n.encryption_key);
  const Bytes expected = install_path(tree, sender, steps, keys);
  if (!equal(expected, *leaf_ph)) return Error(Errc::parent_hash_mismatch, "MLS-V-TREE-015");
  const Bytes tbs = encode_leaf_node_tbs(path.leaf_node, group_id, sender);
  if (!tree.suite()
           .verify_with_label(path.leaf_node.signature_key, "LeafNodeTBS", tbs,
                              path.leaf_node.signature)
           .ok()) {
    return Error(Errc::invalid_leaf_signature, "MLS-V-TREE-016");
  }
  tree.set_node(sender.node(), Node{path.leaf_node});
  return steps;
}

}  // namespace

// ------------------------------------------------------------ TreePrivateKeys

void TreePrivateKeys::set_key(NodeIndex x, crypto::DhPrivateKey key) {
  keys_.insert_or_assign(x.value, std::move(key));
  path_secrets_.erase(x.value);
}

Status TreePrivateKeys::set_path_secret(const CipherSuite& suite, NodeIndex x,
                                        SecretBytes path_secret) {
  CV_TRY(auto key, derive_node_key(suite, path_secret.view()));
  keys_.insert_or_assign(x.value, std::move(key));
  path_secrets_.insert_or_assign(x.value, std::move(path_secret));
  return {};
}

const crypto::DhPrivateKey* TreePrivateKeys::key(NodeIndex x) const {
  auto it = keys_.find(x.value);
  return it == keys_.end() ? nullptr : &it->second;
}

const SecretBytes* TreePrivateKeys::path_secret(NodeIndex x) const {
  auto it = path_secrets_.find(x.value);
  return it == path_secrets_.end() ? nullptr : &it->second;
}

void TreePrivateKeys::forget(NodeIndex x) {
  keys_.erase(x.value);
  path_secrets_.erase(x.value);
}

void TreePrivateKeys::retain_matching(const RatchetTree& tree) {
  for (auto it = keys_.begin(); it != keys_.end();) {
    const HPKEPublicKey* pub = tree.encryption_key(NodeIndex{it->first});
    if (pub == nullptr || !equal(*pub, it->second.public_key().bytes())) {
      path_secrets_.erase(it->first);
      it = keys_.erase(it);
    } else {
      ++it;
    }
  }
}

Status TreePrivateKeys::check_against(const RatchetTree& tree) const {
  for (const auto& [index, key] : keys_) {
    const HPKEPublicKey* pub = tree.encryption_key(NodeIndex{index});
    if (pub == nullptr || !equal(*pub, key.public_key().bytes())) {
      return Error(Errc::key_mismatch, "MLS-V-TREE-020");
    }
  }
  return {};
}

Result<crypto::DhPrivateKey> derive_node_key(const CipherSuite& suite, BytesView path_secret) {
  CV_TRY(auto node_secret, suite.derive_secret(path_secret, "node"));
  return suite.derive_hpke_key_pair(node_secret.view());
}

// ------------------------------------------------------------- generation

Result<GeneratedUpdatePath> generate_update_path(RatchetTree& tree, LeafIndex from,
                                                 const crypto::SignaturePrivateKey& signer,
                                                 const GroupContext& context,
                                                 std::span<const LeafIndex> exclude,
                                                 std::optional<BytesView> leaf_secret) {
  const CipherSuite& suite = tree.suite();
  const LeafNode* old_leaf = tree.leaf(from);
  if (old_leaf == nullptr) return Error(Errc::invalid_leaf_index, "MLS-V-TREE-012");
  LeafNode leaf = *old_leaf;
  RatchetTree next = tree;
  const auto steps = path_steps(next, from);

  SecretBytes secret = leaf_secret ? SecretBytes(*leaf_secret)
                                   : SecretBytes::adopt(crypto::random_bytes(suite.hash_size()));
  CV_TRY(auto leaf_key, derive_node_key(suite, secret.view()));
  std::vector<SecretBytes> path_secrets;
  path_secrets.reserve(steps.size() + 1);
  {
    CV_TRY(auto first, suite.derive_secret(secret.view(), "path"));
    path_secrets.push_back(std::move(first));
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    CV_TRY(auto next_secret, suite.derive_secret(path_secrets.back().view(), "path"));
    path_secrets.push_back(std::move(next_secret));
  }

  GeneratedUpdatePath out{UpdatePath{}, path_secrets.back(), TreePrivateKeys(from), context};
  std::vector<HPKEPublicKey> keys;
  keys.reserve(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    CV_TRY(auto node_key, derive_node_key(suite, path_secrets[i].view()));
    keys.push_back(node_key.public_key().bytes());
    CV_TRY_STATUS(out.keys.set_path_secret(suite, steps[i].node, path_secrets[i]));
  }
  out.keys.set_key(from.node(), leaf_key);

  const Bytes leaf_ph = install_path(next, from, steps, keys);
  leaf.encryption_key = leaf_key.public_key().bytes();
  leaf.source = LeafNodeCommitSource{leaf_ph};
  const Bytes tbs = encode_leaf_node_tbs(leaf, context.group_id, from);
  CV_TRY(auto signature, suite.sign_with_label(signer, "LeafNodeTBS", tbs));
  leaf.signature = std::move(signature);
  next.set_node(from.node(), Node{leaf});

  out.context.tree_hash = next.root_tree_hash();
  const Bytes context_bytes = encode(out.context);
  out.path.leaf_node = std::move(leaf);
  const std::vector<LeafIndex> excluded = sorted_leaves(exclude);
  for (size_t i = 0; i < steps.size(); ++i) {
    UpdatePathNode node{keys[i], {}};
    for (NodeIndex r : recipients(next, steps[i].copath, excluded)) {
      CV_TRY(auto sealed, suite.encrypt_with_label(*next.encryption_key(r), kUpdatePathNode,
                                                   context_bytes, path_secrets[i].view()));
      node.encrypted_path_secret.push_back({std::move(sealed.enc), std::move(sealed.ct)});
    }
    out.path.nodes.push_back(std::move(node));
  }
  tree = std::move(next);
  return out;
}

// ---------------------------------------------------------------- receiving

Status merge_update_path(RatchetTree& tree, LeafIndex sender, const UpdatePath& path,
                         BytesView group_id) {
  RatchetTree next = tree;
  CV_TRY(auto steps, merge(next, sender, path, group_id));
  (void)steps;
  tree = std::move(next);
  return {};
}

Result<AppliedUpdatePath> apply_update_path(RatchetTree& tree, LeafIndex sender,
                                            const UpdatePath& path, const GroupContext& context,
                                            TreePrivateKeys& mine,
                                            std::span<const LeafIndex> exclude) {
  const CipherSuite& suite = tree.suite();
  if (mine.leaf() == sender) return Error(Errc::invalid_update_path, "MLS-V-TREE-017");
  RatchetTree next = tree;
  CV_TRY(auto steps, merge(next, sender, path, context.group_id));

  const NodeIndex me = mine.leaf().node();
  size_t k = steps.size();
  for (size_t i = 0; i < steps.size(); ++i) {
    if (tree_math::is_in_subtree(steps[i].copath, me)) {
      k = i;
      break;
    }
  }
  if (k == steps.size()) return Error(Errc::invalid_update_path, "MLS-V-TREE-017");
  const auto res = recipients(next, steps[k].copath, sorted_leaves(exclude));
  const auto& cts = path.nodes[k].encrypted_path_secret;
  if (cts.size() != res.size()) return Error(Errc::invalid_update_path, "MLS-V-TREE-018");
  size_t idx = res.size();
  for (size_t i = 0; i < res.size(); ++i) {
    if (mine.key(res[i]) != nullptr) {
      idx = i;
      break;
    }
  }
  if (idx == res.size()) return Error(Errc::invalid_update_path, "MLS-V-TREE-017");

  AppliedUpdatePath out{SecretBytes{}, steps[k].node, SecretBytes{}, context};
  out.context.tree_hash = next.root_tree_hash();
  const Bytes context_bytes = encode(out.context);
  auto plain = suite.decrypt_with_label(*mine.key(res[idx]), kUpdatePathNode, context_bytes,
                                        cts[idx].kem_output, cts[idx].ciphertext);
  if (!plain.ok()) return Error(Errc::invalid_update_path, "MLS-V-TREE-017");
  out.path_secret = SecretBytes::adopt(std::move(plain).value());

  TreePrivateKeys updated = mine;
  for (NodeIndex p : tree_math::direct_path(sender.node(), tree.leaf_count())) updated.forget(p);
  SecretBytes ps = out.path_secret;
  for (size_t i = k; i < steps.size(); ++i) {
    CV_TRY(auto key, derive_node_key(suite, ps.view()));
    if (!equal(key.public_key().bytes(), path.nodes[i].encryption_key)) {
      return Error(Errc::invalid_update_path, "MLS-V-TREE-019");
    }
    CV_TRY_STATUS(updated.set_path_secret(suite, steps[i].node, ps));
    CV_TRY(auto next_secret, suite.derive_secret(ps.view(), "path"));
    ps = std::move(next_secret);
  }
  out.commit_secret = std::move(ps);
  mine = std::move(updated);
  tree = std::move(next);
  return out;
}

}  // namespace conclave::mls
