#include "conclave/mls/secret_tree.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace conclave::mls {

namespace {

constexpr uint64_t kGenerationLimit = uint64_t{1} << 32;  // generations are uint32

bool is_power_of_two(uint32_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

}  // namespace

Result<SecretTree> SecretTree::create(const CipherSuite& suite, SecretBytes encryption_secret,
                                      uint32_t n_leaves, SecretTreeLimits limits) {
  // 2^31 leaves would need node indices past uint32.
  if (!is_power_of_two(n_leaves) || n_leaves > (uint32_t{1} << 30)) {
    return Error(Errc::invalid_argument, "secret tree size must be a power of two");
  }
  if (encryption_secret.size() != suite.hash_size()) {
    return Error(Errc::invalid_argument, "encryption_secret must be KDF.Nh bytes");
  }
  return SecretTree(suite, std::move(encryption_secret), n_leaves, limits);
}

SecretTree::SecretTree(const CipherSuite& suite, SecretBytes root, uint32_t n_leaves,
                       SecretTreeLimits limits)
    : suite_(suite), n_leaves_(n_leaves), limits_(limits) {
  node_secrets_.emplace(tree_math::root(n_leaves).value, std::move(root));
}

Result<SecretTree::LeafRatchets*> SecretTree::derive_leaf(LeafIndex sender) {
  const NodeIndex leaf = sender.node();
  // The lowest stored node on the leaf's path: every consumed node on the
  // path left both of its children behind, so going up from the leaf finds
  // the one to start from.
  std::vector<NodeIndex> down;  // from the stored ancestor (exclusive) to the leaf
  NodeIndex start = leaf;
  while (node_secrets_.find(start.value) == node_secrets_.end()) {
    down.push_back(start);
    const auto parent = tree_math::parent(start, n_leaves_);
    // No secret on the whole path: the leaf was set up before (and its
    // ratchets are looked up before calling here), so this is a bug.
    CV_CHECK(parent.has_value());
    start = *parent;
  }
  std::reverse(down.begin(), down.end());

  // Walk down, consuming each secret on the path and keeping the sibling.
  NodeIndex current = start;
  for (const NodeIndex next : down) {
    auto it = node_secrets_.find(current.value);
    CV_CHECK(it != node_secrets_.end());
    const SecretBytes secret = std::move(it->second);
    node_secrets_.erase(it);
    const size_t nh = suite_.hash_size();
    CV_TRY(SecretBytes left, suite_.expand_with_label(secret.view(), "tree", as_bytes("left"), nh));
    CV_TRY(SecretBytes right,
           suite_.expand_with_label(secret.view(), "tree", as_bytes("right"), nh));
    node_secrets_.insert_or_assign(tree_math::left(current).value, std::move(left));
    node_secrets_.insert_or_assign(tree_math::right(current).value, std::move(right));
    current = next;
  }

  auto it = node_secrets_.find(leaf.value);
  CV_CHECK(it != node_secrets_.end());
  const SecretBytes leaf_secret = std::move(it->second);
  node_secrets_.erase(it);
  const size_t nh = suite_.hash_size();
  CV_TRY(SecretBytes handshake, suite_.expand_with_label(leaf_secret.view(), "handshake", {}, nh));
  CV_TRY(SecretBytes application,
         suite_.expand_with_label(leaf_secret.view(), "application", {}, nh));
  LeafRatchets ratchets;
  ratchets.handshake.secret = std::move(handshake);
  ratchets.application.secret = std::move(application);
  auto [pos, inserted] = leaves_.emplace(sender.value, std::move(ratchets));
  CV_CHECK(inserted);
  return &pos->second;
}

Result<SecretTree::Ratchet*> SecretTree::ratchet(LeafIndex sender, RatchetType type) {
  if (sender.value >= n_leaves_) return Error(Errc::invalid_leaf_index, "MLS-V-ST-001");
  auto it = leaves_.find(sender.value);
  if (it != leaves_.end()) return &it->second.get(type);
  CV_TRY(LeafRatchets * leaf, derive_leaf(sender));
  return &leaf->get(type);
}

Result<RatchetKey> SecretTree::step(Ratchet& r) const {
  if (r.next >= kGenerationLimit) return Errc::generation_exhausted;
  const auto generation = static_cast<uint32_t>(r.next);
  RatchetKey out;
  out.generation = generation;
  CV_TRY(out.key, suite_.derive_tree_secret(r.secret.view(), "key", generation, suite_.key_size()));
  CV_TRY(out.nonce,
         suite_.derive_tree_secret(r.secret.view(), "nonce", generation, suite_.nonce_size()));
  CV_TRY(SecretBytes next_secret,
         suite_.derive_tree_secret(r.secret.view(), "secret", generation, suite_.hash_size()));
  ++r.next;
  // The last generation leaves no secret behind.
  r.secret = r.next < kGenerationLimit ? std::move(next_secret) : SecretBytes();
  return out;
}

Result<RatchetKey> SecretTree::next_key(LeafIndex sender, RatchetType type) {
  CV_TRY(Ratchet * r, ratchet(sender, type));
  return step(*r);
}

Result<RatchetKey> SecretTree::take_key(LeafIndex sender, RatchetType type, uint32_t generation) {
  CV_TRY(PendingKey pending, peek_key(sender, type, generation));
  return commit_key(std::move(pending));
}

Result<SecretTree::PendingKey> SecretTree::peek_key(LeafIndex sender, RatchetType type,
                                                    uint32_t generation) {
  CV_TRY(Ratchet * r, ratchet(sender, type));
  PendingKey pending;
  pending.sender_ = sender;
  pending.type_ = type;
  pending.base_next_ = r->next;
  if (generation < r->next) {
    auto it = r->retained.find(generation);
    if (it == r->retained.end()) return Error(Errc::generation_consumed, "MLS-V-ST-003");
    pending.key_ = it->second;
    pending.from_retained_ = true;
    return pending;
  }
  if (generation - r->next > limits_.max_forward_distance) {
    return Error(Errc::generation_too_far, "MLS-V-ST-002");
  }
  // Step a copy of the ratchet; the tree keeps its own state until commit.
  Ratchet copy;
  copy.secret = r->secret;
  copy.next = r->next;
  while (copy.next < generation) {
    CV_TRY(RatchetKey skipped, step(copy));
    if (limits_.max_retained_keys != 0) pending.skipped_.push_back(std::move(skipped));
  }
  CV_TRY(pending.key_, step(copy));
  pending.next_secret_ = std::move(copy.secret);
  pending.next_ = copy.next;
  return pending;
}

Result<RatchetKey> SecretTree::commit_key(PendingKey&& pending) {
  CV_TRY(Ratchet * r, ratchet(pending.sender_, pending.type_));
  if (r->next != pending.base_next_) {
    return take_key(pending.sender_, pending.type_, pending.key_.generation);
  }
  if (pending.from_retained_) {
    if (r->retained.erase(pending.key_.generation) == 0) {
      return Error(Errc::generation_consumed, "MLS-V-ST-003");
    }
    return std::move(pending.key_);
  }
  for (RatchetKey& skipped : pending.skipped_) {
    if (r->retained.size() >= limits_.max_retained_keys) r->retained.erase(r->retained.begin());
    const uint32_t g = skipped.generation;
    r->retained.emplace(g, std::move(skipped));
  }
  r->secret = std::move(pending.next_secret_);
  r->next = pending.next_;
  return std::move(pending.key_);
}

Result<uint64_t> SecretTree::next_generation(LeafIndex sender, RatchetType type) const {
  if (sender.value >= n_leaves_) return Error(Errc::invalid_leaf_index, "MLS-V-ST-001");
  auto it = leaves_.find(sender.value);
  if (it == leaves_.end()) return uint64_t{0};
  return it->second.get(type).next;
}

size_t SecretTree::retained_keys(LeafIndex sender, RatchetType type) const {
  auto it = leaves_.find(sender.value);
  return it == leaves_.end() ? 0 : it->second.get(type).retained.size();
}

Result<KeyAndNonce> derive_sender_data_key(const CipherSuite& suite, BytesView sender_data_secret,
                                           BytesView ciphertext) {
  const BytesView sample = ciphertext.first(std::min(ciphertext.size(), suite.hash_size()));
  KeyAndNonce out;
  CV_TRY(out.key, suite.expand_with_label(sender_data_secret, "key", sample, suite.key_size()));
  CV_TRY(out.nonce,
         suite.expand_with_label(sender_data_secret, "nonce", sample, suite.nonce_size()));
  return out;
}

}  // namespace conclave::mls
