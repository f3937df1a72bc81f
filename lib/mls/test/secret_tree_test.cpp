// SecretTree: sender and receiver agree, out-of-order delivery within the
// window, the forward-secrecy and replay rules (MLS-V-ST-001..003), and the
// deletion of consumed tree secrets. Known-answer values are checked by
// secret-tree.json (lib/vectors/test/secret_tree_test.cpp).
#include "conclave/mls/secret_tree.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace conclave::mls {
namespace {

CipherSuite suite1() {
  auto s = CipherSuite::create(CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

SecretBytes secret(uint8_t fill, size_t n = 32) {
  return SecretBytes(Bytes(n, fill));
}

SecretTree make_tree(uint32_t n_leaves, SecretTreeLimits limits = {}) {
  auto t = SecretTree::create(suite1(), secret(0x11), n_leaves, limits);
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

void expect_same(const RatchetKey& a, const RatchetKey& b) {
  EXPECT_EQ(a.generation, b.generation);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.nonce, b.nonce);
}

TEST(SecretTree, CreateChecksItsArguments) {
  const CipherSuite s = suite1();
  for (uint32_t n : {0u, 3u, 5u, 6u, 12u}) {
    auto t = SecretTree::create(s, secret(1), n);
    ASSERT_FALSE(t.ok()) << n;
    EXPECT_TRUE(t.error().is(Errc::invalid_argument));
  }
  for (uint32_t n : {1u, 2u, 4u, 1024u}) EXPECT_TRUE(SecretTree::create(s, secret(1), n).ok());
  auto short_secret = SecretTree::create(s, secret(1, 16), 4);
  ASSERT_FALSE(short_secret.ok());
  EXPECT_TRUE(short_secret.error().is(Errc::invalid_argument));
}

TEST(SecretTree, SenderAndReceiverDeriveTheSameKeys) {
  SecretTree sender = make_tree(8);
  SecretTree receiver = make_tree(8);
  const LeafIndex leaf{5};
  for (uint32_t g = 0; g < 5; ++g) {
    auto out = sender.next_key(leaf, RatchetType::application);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->generation, g);
    EXPECT_EQ(out->key.size(), 16u);
    EXPECT_EQ(out->nonce.size(), 12u);
    auto in = receiver.take_key(leaf, RatchetType::application, g);
    ASSERT_TRUE(in.ok());
    expect_same(*out, *in);
  }
  auto next = sender.next_generation(leaf, RatchetType::application);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 5u);
  auto untouched = sender.next_generation(leaf, RatchetType::handshake);
  ASSERT_TRUE(untouched.ok());
  EXPECT_EQ(*untouched, 0u);
}

TEST(SecretTree, KeysDifferAcrossLeavesRatchetsAndGenerations) {
  SecretTree tree = make_tree(4);
  std::set<Bytes> keys;
  std::set<Bytes> nonces;
  for (uint32_t leaf = 0; leaf < 4; ++leaf) {
    for (auto type : {RatchetType::handshake, RatchetType::application}) {
      for (int i = 0; i < 3; ++i) {
        auto k = tree.next_key(LeafIndex{leaf}, type);
        ASSERT_TRUE(k.ok());
        keys.insert(k->key.reveal_copy());
        nonces.insert(k->nonce.reveal_copy());
      }
    }
  }
  EXPECT_EQ(keys.size(), 24u);
  EXPECT_EQ(nonces.size(), 24u);
}

TEST(SecretTree, OtherEncryptionSecretGivesOtherKeys) {
  SecretTree a = make_tree(2);
  auto b_tree = SecretTree::create(suite1(), secret(0x12), 2);
  ASSERT_TRUE(b_tree.ok());
  auto ka = a.next_key(LeafIndex{0}, RatchetType::handshake);
  auto kb = b_tree->next_key(LeafIndex{0}, RatchetType::handshake);
  ASSERT_TRUE(ka.ok() && kb.ok());
  EXPECT_NE(ka->key.reveal_copy(), kb->key.reveal_copy());
}

TEST(SecretTree, LeafOutsideTheTreeIsRejected) {  // MLS-V-ST-001
  SecretTree tree = make_tree(4);
  auto k = tree.take_key(LeafIndex{4}, RatchetType::application, 0);
  ASSERT_FALSE(k.ok());
  EXPECT_TRUE(k.error().is(Errc::invalid_leaf_index));
  EXPECT_EQ(k.error().detail(), "MLS-V-ST-001");
  EXPECT_FALSE(tree.next_key(LeafIndex{0xFFFFFFFF}, RatchetType::handshake).ok());
  EXPECT_FALSE(tree.next_generation(LeafIndex{4}, RatchetType::handshake).ok());
}

TEST(SecretTree, OutOfOrderWithinTheWindowDecrypts) {
  SecretTree sender = make_tree(2);
  SecretTree receiver = make_tree(2);
  std::vector<RatchetKey> sent;
  for (int i = 0; i < 6; ++i) {
    auto k = sender.next_key(LeafIndex{1}, RatchetType::application);
    ASSERT_TRUE(k.ok());
    sent.push_back(std::move(k).value());
  }
  for (uint32_t g : {5u, 2u, 0u, 4u, 1u, 3u}) {
    auto k = receiver.take_key(LeafIndex{1}, RatchetType::application, g);
    ASSERT_TRUE(k.ok()) << g;
    expect_same(sent[g], *k);
  }
  EXPECT_EQ(receiver.retained_keys(LeafIndex{1}, RatchetType::application), 0u);
}

TEST(SecretTree, ConsumedGenerationIsRejected) {  // MLS-V-ST-003: replay, forward secrecy
  SecretTree tree = make_tree(2);
  ASSERT_TRUE(tree.take_key(LeafIndex{0}, RatchetType::handshake, 3).ok());
  auto replay = tree.take_key(LeafIndex{0}, RatchetType::handshake, 3);
  ASSERT_FALSE(replay.ok());
  EXPECT_TRUE(replay.error().is(Errc::generation_consumed));
  EXPECT_EQ(replay.error().detail(), "MLS-V-ST-003");
  // A skipped generation is usable exactly once.
  ASSERT_TRUE(tree.take_key(LeafIndex{0}, RatchetType::handshake, 1).ok());
  EXPECT_FALSE(tree.take_key(LeafIndex{0}, RatchetType::handshake, 1).ok());
  // The sender's own keys are not handed out again either.
  SecretTree sender = make_tree(2);
  ASSERT_TRUE(sender.next_key(LeafIndex{1}, RatchetType::application).ok());
  EXPECT_FALSE(sender.take_key(LeafIndex{1}, RatchetType::application, 0).ok());
}

TEST(SecretTree, GenerationBeyondTheWindowIsRejected) {  // MLS-V-ST-002
  SecretTreeLimits limits;
  limits.max_forward_distance = 50;
  SecretTree tree = make_tree(2, limits);
  auto far = tree.take_key(LeafIndex{0}, RatchetType::application, 51);
  ASSERT_FALSE(far.ok());
  EXPECT_TRUE(far.error().is(Errc::generation_too_far));
  EXPECT_EQ(far.error().detail(), "MLS-V-ST-002");
  auto huge = tree.take_key(LeafIndex{0}, RatchetType::application, 0xFFFFFFFF);
  ASSERT_FALSE(huge.ok());
  EXPECT_TRUE(huge.error().is(Errc::generation_too_far));
  // Nothing was derived by the refused requests.
  auto next = tree.next_generation(LeafIndex{0}, RatchetType::application);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 0u);
  // Exactly at the limit is fine, and the window moves with the ratchet.
  ASSERT_TRUE(tree.take_key(LeafIndex{0}, RatchetType::application, 50).ok());
  EXPECT_TRUE(tree.take_key(LeafIndex{0}, RatchetType::application, 101).ok());
}

TEST(SecretTree, DefaultWindowAllowsAThousandGenerations) {
  SecretTree tree = make_tree(1);
  EXPECT_GE(tree.limits().max_forward_distance, 1000u);
  EXPECT_TRUE(tree.take_key(LeafIndex{0}, RatchetType::application, 1000).ok());
}

TEST(SecretTree, RetainedKeysAreBounded) {
  SecretTreeLimits limits;
  limits.max_retained_keys = 4;
  SecretTree tree = make_tree(2, limits);
  SecretTree reference = make_tree(2);
  ASSERT_TRUE(tree.take_key(LeafIndex{1}, RatchetType::application, 10).ok());
  EXPECT_EQ(tree.retained_keys(LeafIndex{1}, RatchetType::application), 4u);
  // The oldest skipped keys were dropped; the newest four remain.
  auto dropped = tree.take_key(LeafIndex{1}, RatchetType::application, 5);
  ASSERT_FALSE(dropped.ok());
  EXPECT_TRUE(dropped.error().is(Errc::generation_consumed));
  for (uint32_t g = 6; g < 10; ++g) {
    auto k = tree.take_key(LeafIndex{1}, RatchetType::application, g);
    ASSERT_TRUE(k.ok()) << g;
    auto want = reference.take_key(LeafIndex{1}, RatchetType::application, g);
    ASSERT_TRUE(want.ok());
    expect_same(*want, *k);
  }
  EXPECT_EQ(tree.retained_keys(LeafIndex{1}, RatchetType::application), 0u);
}

TEST(SecretTree, NoRetentionMeansStrictOrder) {
  SecretTreeLimits limits;
  limits.max_retained_keys = 0;
  SecretTree tree = make_tree(2, limits);
  ASSERT_TRUE(tree.take_key(LeafIndex{0}, RatchetType::handshake, 2).ok());
  EXPECT_EQ(tree.retained_keys(LeafIndex{0}, RatchetType::handshake), 0u);
  EXPECT_FALSE(tree.take_key(LeafIndex{0}, RatchetType::handshake, 1).ok());
}

// Section 9.2: the secrets on a leaf's path are deleted once used; only the
// siblings needed for other leaves stay.
TEST(SecretTree, ConsumedTreeSecretsAreDeleted) {
  SecretTree tree = make_tree(8);
  EXPECT_EQ(tree.stored_node_secrets(), 1u);  // the root
  ASSERT_TRUE(tree.next_key(LeafIndex{0}, RatchetType::application).ok());
  // Root 7, nodes 3 and 1 and leaf 0 consumed; siblings 11, 5 and 2 stay.
  EXPECT_EQ(tree.stored_node_secrets(), 3u);
  ASSERT_TRUE(tree.next_key(LeafIndex{1}, RatchetType::application).ok());
  EXPECT_EQ(tree.stored_node_secrets(), 2u);  // 11 and 5
  ASSERT_TRUE(tree.next_key(LeafIndex{0}, RatchetType::handshake).ok());
  EXPECT_EQ(tree.stored_node_secrets(), 2u);  // no re-walk for a known leaf
  ASSERT_TRUE(tree.next_key(LeafIndex{7}, RatchetType::handshake).ok());
  EXPECT_EQ(tree.stored_node_secrets(), 3u);  // 11 and 13 consumed: 5, 9 and 12
  for (uint32_t leaf : {2u, 3u, 4u, 5u, 6u}) {
    ASSERT_TRUE(tree.next_key(LeafIndex{leaf}, RatchetType::handshake).ok());
  }
  EXPECT_EQ(tree.stored_node_secrets(), 0u);
}

TEST(SecretTree, LeafOrderDoesNotChangeKeys) {
  SecretTree a = make_tree(8);
  SecretTree b = make_tree(8);
  ASSERT_TRUE(b.next_key(LeafIndex{6}, RatchetType::handshake).ok());
  ASSERT_TRUE(b.next_key(LeafIndex{1}, RatchetType::handshake).ok());
  auto ka = a.next_key(LeafIndex{3}, RatchetType::application);
  auto kb = b.next_key(LeafIndex{3}, RatchetType::application);
  ASSERT_TRUE(ka.ok() && kb.ok());
  expect_same(*ka, *kb);
}

TEST(SecretTree, MovedTreeKeepsItsState) {
  SecretTree a = make_tree(2);
  ASSERT_TRUE(a.next_key(LeafIndex{0}, RatchetType::handshake).ok());
  SecretTree b = std::move(a);
  auto k = b.next_key(LeafIndex{0}, RatchetType::handshake);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->generation, 1u);
}

TEST(SenderDataKey, UsesTheFirstNhBytesOfTheCiphertext) {
  const CipherSuite s = suite1();
  const Bytes sds(32, 0x5A);
  Bytes ct(77);
  for (size_t i = 0; i < ct.size(); ++i) ct[i] = static_cast<uint8_t>(i);
  auto full = derive_sender_data_key(s, sds, ct);
  auto sample = derive_sender_data_key(s, sds, BytesView(ct).first(32));
  auto shorter = derive_sender_data_key(s, sds, BytesView(ct).first(31));
  ASSERT_TRUE(full.ok() && sample.ok() && shorter.ok());
  EXPECT_EQ(full->key, sample->key);
  EXPECT_EQ(full->nonce, sample->nonce);
  EXPECT_NE(full->key.reveal_copy(), shorter->key.reveal_copy());
  EXPECT_EQ(full->key.size(), 16u);
  EXPECT_EQ(full->nonce.size(), 12u);
  // A ciphertext shorter than Nh is used whole, even an empty one.
  EXPECT_TRUE(derive_sender_data_key(s, sds, {}).ok());
}

TEST(RatchetType, FollowsTheContentType) {
  EXPECT_EQ(ratchet_type_for(ContentType::application), RatchetType::application);
  EXPECT_EQ(ratchet_type_for(ContentType::proposal), RatchetType::handshake);
  EXPECT_EQ(ratchet_type_for(ContentType::commit), RatchetType::handshake);
}

TEST(SecretTree, PeekKeyConsumesNothing) {
  SecretTree sender = make_tree(4);
  SecretTree receiver = make_tree(4);
  const LeafIndex leaf{2};
  std::vector<RatchetKey> sent;
  for (int i = 0; i < 4; ++i) {
    auto k = sender.next_key(leaf, RatchetType::handshake);
    ASSERT_TRUE(k.ok());
    sent.push_back(std::move(k).value());
  }
  // Ahead of the ratchet: the same key twice, and the ratchet has not moved.
  auto peek3 = receiver.peek_key(leaf, RatchetType::handshake, 3);
  ASSERT_TRUE(peek3.ok());
  expect_same(peek3->key(), sent[3]);
  auto again = receiver.peek_key(leaf, RatchetType::handshake, 3);
  ASSERT_TRUE(again.ok());
  expect_same(again->key(), sent[3]);
  EXPECT_EQ(receiver.next_generation(leaf, RatchetType::handshake).value(), 0u);
  EXPECT_EQ(receiver.retained_keys(leaf, RatchetType::handshake), 0u);
  // A retained key peeked stays retained; take_key then consumes it.
  ASSERT_TRUE(receiver.take_key(leaf, RatchetType::handshake, 3).ok());
  auto peek1 = receiver.peek_key(leaf, RatchetType::handshake, 1);
  ASSERT_TRUE(peek1.ok());
  expect_same(peek1->key(), sent[1]);
  EXPECT_EQ(receiver.retained_keys(leaf, RatchetType::handshake), 3u);
  auto take1 = receiver.commit_key(std::move(peek1).value());
  ASSERT_TRUE(take1.ok());
  expect_same(*take1, sent[1]);
  EXPECT_EQ(receiver.retained_keys(leaf, RatchetType::handshake), 2u);
  // The same errors as take_key.
  auto consumed = receiver.peek_key(leaf, RatchetType::handshake, 1);
  ASSERT_FALSE(consumed.ok());
  EXPECT_TRUE(consumed.error().is(Errc::generation_consumed));
  EXPECT_EQ(consumed.error().detail(), "MLS-V-ST-003");
  auto too_far = receiver.peek_key(leaf, RatchetType::handshake, 4 + 1024 + 1);
  ASSERT_FALSE(too_far.ok());
  EXPECT_TRUE(too_far.error().is(Errc::generation_too_far));
  auto outside = receiver.peek_key(LeafIndex{4}, RatchetType::handshake, 0);
  ASSERT_FALSE(outside.ok());
  EXPECT_TRUE(outside.error().is(Errc::invalid_leaf_index));
}

// Committing a peeked key applies the ratchet state the peek derived (the
// skipped keys are retained); a pending key whose ratchet moved in between
// is taken afresh with the same checks.
TEST(SecretTree, CommitKeyAppliesThePeekedRatchet) {
  SecretTree sender = make_tree(4);
  SecretTree receiver = make_tree(4);
  const LeafIndex leaf{1};
  std::vector<RatchetKey> sent;
  for (int i = 0; i < 6; ++i) {
    auto k = sender.next_key(leaf, RatchetType::application);
    ASSERT_TRUE(k.ok());
    sent.push_back(std::move(k).value());
  }
  auto pending2 = receiver.peek_key(leaf, RatchetType::application, 2);
  ASSERT_TRUE(pending2.ok());
  auto got2 = receiver.commit_key(std::move(pending2).value());
  ASSERT_TRUE(got2.ok());
  expect_same(*got2, sent[2]);
  EXPECT_EQ(receiver.next_generation(leaf, RatchetType::application).value(), 3u);
  EXPECT_EQ(receiver.retained_keys(leaf, RatchetType::application), 2u);
  auto got0 = receiver.take_key(leaf, RatchetType::application, 0);
  ASSERT_TRUE(got0.ok());
  expect_same(*got0, sent[0]);

  auto pending5 = receiver.peek_key(leaf, RatchetType::application, 5);
  ASSERT_TRUE(pending5.ok());
  ASSERT_TRUE(receiver.take_key(leaf, RatchetType::application, 4).ok());  // ratchet moves
  auto got5 = receiver.commit_key(std::move(pending5).value());
  ASSERT_TRUE(got5.ok());
  expect_same(*got5, sent[5]);
  auto replay = receiver.take_key(leaf, RatchetType::application, 5);
  ASSERT_FALSE(replay.ok());
  EXPECT_TRUE(replay.error().is(Errc::generation_consumed));
}

}  // namespace
}  // namespace conclave::mls
