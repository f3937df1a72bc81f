// TreeKEM (RFC 9420 sections 7.4-7.6, 7.9): creating an UpdatePath from a
// leaf and applying one as a receiver, over a RatchetTree.
//
//   committer                             receiver (leaf j)
//   ---------                             -----------------
//   leaf_secret -> leaf key               merge the path's public keys, check
//   path_secret[0] = DeriveSecret(        parent hashes and the leaf signature
//      leaf_secret, "path")               find the copath node holding a key
//   path_secret[i+1] = DeriveSecret(      of mine, decrypt path_secret[k],
//      path_secret[i], "path")            derive upward, check public keys
//   node key = DeriveKeyPair(             commit_secret = DeriveSecret(
//      DeriveSecret(ps, "node"))             last path secret, "path")
//
// Path secrets are encrypted with EncryptWithLabel("UpdatePathNode",
// GroupContext) where the GroupContext carries the tree hash AFTER the path
// is merged (both functions fill context.tree_hash themselves). The path
// follows the filtered direct path; new joiners (exclude) get no
// ciphertexts. TreePrivateKeys is a member's private view of the tree: its
// leaf, the HPKE private keys of nodes it knows and their path secrets.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/dh.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/ratchet_tree.h"
#include "conclave/mls/update_path.h"

namespace conclave::mls {

class TreePrivateKeys {
 public:
  explicit TreePrivateKeys(LeafIndex leaf) : leaf_(leaf) {}

  LeafIndex leaf() const { return leaf_; }
  void set_key(NodeIndex x, crypto::DhPrivateKey key);
  // Stores the path secret and the node key derived from it.
  Status set_path_secret(const CipherSuite& suite, NodeIndex x, SecretBytes path_secret);
  const crypto::DhPrivateKey* key(NodeIndex x) const;
  const SecretBytes* path_secret(NodeIndex x) const;
  void forget(NodeIndex x);
  size_t size() const { return keys_.size(); }
  // Drops every key whose node is blank or holds another public key (after
  // proposals blanked or replaced nodes).
  void retain_matching(const RatchetTree& tree);
  // Every key's public half equals the tree's key at its node.
  // Errc::key_mismatch, MLS-V-TREE-020.
  Status check_against(const RatchetTree& tree) const;

 private:
  LeafIndex leaf_;
  std::map<uint32_t, crypto::DhPrivateKey> keys_;
  std::map<uint32_t, SecretBytes> path_secrets_;
};

// DeriveKeyPair(DeriveSecret(path_secret, "node")).
Result<crypto::DhPrivateKey> derive_node_key(const CipherSuite& suite, BytesView path_secret);

struct GeneratedUpdatePath {
  UpdatePath path;
  SecretBytes commit_secret;
  // The committer's keys after the commit (leaf and filtered path).
  TreePrivateKeys keys;
  // The context used for encryption (tree_hash = root hash after merge).
  GroupContext context;
};

// Creates an UpdatePath for `from` (whose current leaf gives the
// credential, capabilities and extensions of the new leaf, re-signed with
// `signer`) and merges it into `tree`. leaf_secret is random unless given
// (tests). Errc::invalid_leaf_index for a blank leaf.
Result<GeneratedUpdatePath> generate_update_path(
    RatchetTree& tree, LeafIndex from, const crypto::SignaturePrivateKey& signer,
    const GroupContext& context, std::span<const LeafIndex> exclude = {},
    std::optional<BytesView> leaf_secret = std::nullopt);

// Merges the path into `tree` (blank the sender's direct path, set the new
// parent keys and parent hashes, set the leaf) after checking it:
// MLS-V-TREE-013 node count differs from the filtered direct path,
// MLS-V-TREE-014 leaf source is not commit, MLS-V-TREE-015 the leaf's
// parent_hash differs from the recomputed one, MLS-V-TREE-016 leaf
// signature. The tree is unchanged on failure.
Status merge_update_path(RatchetTree& tree, LeafIndex sender, const UpdatePath& path,
                         BytesView group_id);

struct AppliedUpdatePath {
  SecretBytes commit_secret;
  // Where the path secret was decrypted, and its value.
  NodeIndex decrypted_at;
  SecretBytes path_secret;
  GroupContext context;
};

// The receiver side: merge (as above), then decrypt with the first key of
// `mine` found in the resolution of the copath child below the common
// ancestor, derive upward and check every derived public key
// (MLS-V-TREE-017 no usable key or ciphertext, MLS-V-TREE-018 wrong
// ciphertext count, MLS-V-TREE-019 derived key differs). On success the tree
// holds the merged path and `mine` the new keys; on failure neither changes.
Result<AppliedUpdatePath> apply_update_path(RatchetTree& tree, LeafIndex sender,
                                            const UpdatePath& path, const GroupContext& context,
                                            TreePrivateKeys& mine,
                                            std::span<const LeafIndex> exclude = {});

}  // namespace conclave::mls
