// SecretTree: the per-sender message keys of one epoch (RFC 9420 section 9),
// and the sender-data key (section 6.3.2).
//
//                 encryption_secret (root)
//            "tree","left" /      \ "tree","right"
//                       ...        ...
//                    leaf L secret
//          "handshake" /          \ "application"
//        handshake ratchet       application ratchet
//        secret_0 ─> key_0, nonce_0      (DeriveTreeSecret "key"/"nonce", j)
//           │
//        secret_1 ─> key_1, nonce_1      (DeriveTreeSecret "secret", j)
//           ...
//
// Node secrets are derived lazily: the first key requested for a leaf walks
// down from the lowest stored ancestor, keeps the siblings it derives on the
// way, deletes every secret it consumed (the path and the leaf secret), and
// sets up the leaf's two ratchets. Later keys of that leaf only step its
// ratchet: nothing is derived twice.
//
// Forward secrecy (section 9.2): a key is returned once and then forgotten.
// next_key() gives a sender the next unused generation. take_key() gives a
// receiver the key of a given generation; generations skipped on the way
// are kept, up to SecretTreeLimits::max_retained_keys per ratchet (the
// oldest are dropped first), so that out-of-order messages still decrypt. A
// generation asked for twice (a replay), or dropped, is refused with
// Errc::generation_consumed (MLS-V-ST-003); one more than
// max_forward_distance ahead of the ratchet is refused with
// Errc::generation_too_far (MLS-V-ST-002) so that a sender cannot make us
// derive and store an unbounded number of keys. take_key() consumes the key
// even if the caller's AEAD then fails: only members can produce the
// encrypted sender data that names a generation, and a key must never be
// usable twice.
//
// The reuse guard (section 6.3.1) is applied to the nonce by the framing
// layer. A SecretTree is move-only: a stray copy would keep secrets alive
// that forward secrecy requires to be deleted.
#pragma once

#include <cstdint>
#include <map>
#include <vector>
#include <unordered_map>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

enum class RatchetType : uint8_t { handshake, application };

// Application data uses the application ratchet, proposals and commits the
// handshake ratchet.
constexpr RatchetType ratchet_type_for(ContentType t) {
  return t == ContentType::application ? RatchetType::application : RatchetType::handshake;
}

// The key and nonce of one generation of a sender ratchet.
struct RatchetKey {
  uint32_t generation = 0;
  SecretBytes key;    // AEAD.Nk bytes
  SecretBytes nonce;  // AEAD.Nn bytes, before the reuse guard
};

struct SecretTreeLimits {
  // How far past the next unused generation take_key() may reach. Each
  // generation on the way costs three KDF calls, so this bounds the work a
  // single message can cause.
  uint32_t max_forward_distance = 1024;
  // Keys of skipped generations kept per ratchet for out-of-order delivery.
  uint32_t max_retained_keys = 128;
};

class SecretTree {
 public:
  // A tree of n_leaves leaves (a power of two, as every RFC 9420 ratchet
  // tree; Errc::invalid_argument otherwise) rooted at encryption_secret
  // (Nh bytes).
  static Result<SecretTree> create(const CipherSuite& suite, SecretBytes encryption_secret,
                                   uint32_t n_leaves, SecretTreeLimits limits = {});

  SecretTree(SecretTree&&) noexcept = default;
  SecretTree& operator=(SecretTree&&) noexcept = default;
  SecretTree(const SecretTree&) = delete;
  SecretTree& operator=(const SecretTree&) = delete;
  ~SecretTree() = default;

  uint32_t n_leaves() const { return n_leaves_; }
  const SecretTreeLimits& limits() const { return limits_; }

  // Sender: the key of the next unused generation of `sender`'s ratchet,
  // which then moves past it. Errc::invalid_leaf_index (MLS-V-ST-001),
  // Errc::generation_exhausted after 2^32 generations.
  Result<RatchetKey> next_key(LeafIndex sender, RatchetType type);
  // Receiver: the key of `generation`, consumed by this call.
  // Errc::invalid_leaf_index (MLS-V-ST-001), generation_too_far
  // (MLS-V-ST-002), generation_consumed (MLS-V-ST-003).
  Result<RatchetKey> take_key(LeafIndex sender, RatchetType type, uint32_t generation);
  // Receiver, two-phase take: peek_key() derives the key take_key() would
  // return, with the same checks and errors, but consumes, retains and drops
  // nothing (only the leaf's ratchets may be set up, which loses nothing).
  // The framing layer peeks, decrypts and verifies, and calls commit_key()
  // only for a message that proved authentic, so that a forged or corrupted
  // message cannot burn a key. The pending key carries the ratchet state it
  // derived, so committing derives nothing again.
  class PendingKey {
   public:
    const RatchetKey& key() const { return key_; }

   private:
    friend class SecretTree;
    RatchetKey key_;
    LeafIndex sender_;
    RatchetType type_ = RatchetType::handshake;
    uint64_t base_next_ = 0;           // the ratchet's next generation when peeked
    bool from_retained_ = false;       // a skipped key kept earlier
    SecretBytes next_secret_;          // the ratchet after the key (future keys)
    uint64_t next_ = 0;
    std::vector<RatchetKey> skipped_;  // keys stepped over, to retain
  };
  Result<PendingKey> peek_key(LeafIndex sender, RatchetType type, uint32_t generation);
  // Consumes a peeked key and returns it. If the ratchet moved since the
  // peek, the key is taken afresh with take_key()'s checks.
  Result<RatchetKey> commit_key(PendingKey&& pending);

  // The next generation the ratchet would produce (0 before its first use).
  // Errc::invalid_leaf_index.
  Result<uint64_t> next_generation(LeafIndex sender, RatchetType type) const;
  // Number of retained (skipped, not yet used) keys of one ratchet.
  size_t retained_keys(LeafIndex sender, RatchetType type) const;
  // Number of tree-node secrets currently stored (for tests of the
  // deletion schedule).
  size_t stored_node_secrets() const { return node_secrets_.size(); }

 private:
  struct Ratchet {
    SecretBytes secret;  // ratchet_secret_[next]; empty once exhausted
    uint64_t next = 0;   // its generation; 2^32 when exhausted
    std::map<uint32_t, RatchetKey> retained;
  };
  struct LeafRatchets {
    Ratchet handshake;
    Ratchet application;
    Ratchet& get(RatchetType t) { return t == RatchetType::handshake ? handshake : application; }
    const Ratchet& get(RatchetType t) const {
      return t == RatchetType::handshake ? handshake : application;
    }
  };

  SecretTree(const CipherSuite& suite, SecretBytes root, uint32_t n_leaves,
             SecretTreeLimits limits);

  // The ratchets of a leaf, derived on first use.
  Result<Ratchet*> ratchet(LeafIndex sender, RatchetType type);
  Result<LeafRatchets*> derive_leaf(LeafIndex sender);
  // Derives generation `ratchet.next` and advances the ratchet.
  Result<RatchetKey> step(Ratchet& ratchet) const;

  CipherSuite suite_;
  uint32_t n_leaves_;
  SecretTreeLimits limits_;
  // Node index -> tree_node_[N]_secret, only for nodes not yet consumed
  // whose secret has been derived.
  std::unordered_map<uint32_t, SecretBytes> node_secrets_;
  // Leaf index -> its two ratchets, once set up.
  std::unordered_map<uint32_t, LeafRatchets> leaves_;
};

// Section 6.3.2: the key and nonce protecting SenderData, from
// sender_data_secret and the first KDF.Nh bytes of the content ciphertext
// (all of it when shorter).
Result<KeyAndNonce> derive_sender_data_key(const CipherSuite& suite, BytesView sender_data_secret,
                                           BytesView ciphertext);

}  // namespace conclave::mls
