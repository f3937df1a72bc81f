// MessageProtection: PublicMessage and PrivateMessage round trips, and every
// receiver check (MLS-V-FRAME-001..012, with the secret tree's MLS-V-ST-002
// and 003) refusing a tampered, misdirected, replayed or malformed message.
// Known-answer messages are checked by message-protection.json
// (lib/vectors/test/message_protection_test.cpp).
#include "conclave/mls/message_protection.h"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "conclave/crypto/aead.h"

namespace conclave::mls {
namespace {

constexpr uint32_t kLeaves = 4;

CipherSuite suite1() {
  auto s = CipherSuite::create(CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

SecretBytes secret(uint8_t fill) {
  return SecretBytes(Bytes(32, fill));
}

GroupContext context(uint64_t epoch = 7) {
  GroupContext c;
  c.cipher_suite = CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519;
  c.group_id = Bytes{0x67, 0x72, 0x6f, 0x75, 0x70};
  c.epoch = epoch;
  c.tree_hash = Bytes(32, 0xa1);
  c.confirmed_transcript_hash = Bytes(32, 0xa2);
  return c;
}

MessageProtection make_state(GroupContext ctx = context(), SecretTreeLimits limits = {}) {
  const CipherSuite s = suite1();
  auto tree = SecretTree::create(s, secret(0x33), kLeaves, limits);
  EXPECT_TRUE(tree.ok());
  auto state = MessageProtection::create(s, std::move(ctx), secret(0x11), secret(0x22),
                                         std::move(tree).value());
  EXPECT_TRUE(state.ok());
  return std::move(state).value();
}

Proposal remove_proposal(uint32_t leaf) {
  return Proposal{Remove{LeafIndex{leaf}}};
}

// A group of kLeaves members, each with a signature key, plus one external
// sender.
class MessageProtectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint32_t i = 0; i < kLeaves; ++i) {
      auto key = suite_.generate_signature_key();
      ASSERT_TRUE(key.ok());
      keys_.push_back(std::move(key).value());
    }
    auto external = suite_.generate_signature_key();
    ASSERT_TRUE(external.ok());
    external_key_.emplace(std::move(external).value());
  }

  // Members are the leaves not in blank_; keys from keys_ (or the external
  // sender's for sender_index 0).
  SenderLookup lookup() const {
    SenderLookup out;
    out.is_member = [this](LeafIndex leaf) { return leaf.value < kLeaves && leaf.value != blank_; };
    out.signature_key = [this](const FramedContent& content) -> Result<Bytes> {
      if (const auto leaf = content.sender.leaf_index()) {
        if (leaf->value >= kLeaves) return Error(Errc::unknown_sender);
        return keys_[leaf->value].public_key().bytes();
      }
      if (content.sender == Sender::external(0)) return external_key_->public_key().bytes();
      if (content.sender == Sender::new_member_proposal() ||
          content.sender == Sender::new_member_commit()) {
        return external_key_->public_key().bytes();  // stands for the key inside the content
      }
      return Error(Errc::unknown_sender);
    };
    return out;
  }

  FramedContent framed(MessageContent content, Sender sender = Sender::member(LeafIndex{1}),
                       const GroupContext& ctx = context()) const {
    FramedContent out;
    out.group_id = ctx.group_id;
    out.epoch = ctx.epoch;
    out.sender = sender;
    out.authenticated_data = Bytes{0xad};
    out.content = std::move(content);
    return out;
  }

  const crypto::SignaturePrivateKey& key_of(const Sender& sender) const {
    if (const auto leaf = sender.leaf_index()) return keys_[leaf->value];
    return *external_key_;
  }

  AuthenticatedContent signed_content(const MessageProtection& state, WireFormat wire_format,
                                      MessageContent content,
                                      Sender sender = Sender::member(LeafIndex{1})) const {
    auto out = state.sign(wire_format, framed(std::move(content), sender), key_of(sender));
    EXPECT_TRUE(out.ok());
    if (out->content.content_type() == ContentType::commit) {
      out->auth.confirmation_tag = Bytes(32, 0xc7);
    }
    return std::move(out).value();
  }

  PublicMessage public_message(const MessageProtection& state, MessageContent content,
                               Sender sender = Sender::member(LeafIndex{1})) const {
    auto msg = state.protect_public(
        signed_content(state, WireFormat::mls_public_message, std::move(content), sender));
    EXPECT_TRUE(msg.ok());
    return std::move(msg).value();
  }

  PrivateMessage private_message(MessageProtection& state, MessageContent content,
                                 size_t padding = 0) const {
    auto msg = state.protect_private(
        signed_content(state, WireFormat::mls_private_message, std::move(content)), padding);
    EXPECT_TRUE(msg.ok());
    return std::move(msg).value();
  }

  // A PrivateMessage sealed by hand from `plaintext` with the given sender
  // data, using `tree` (a copy of the senders' secret tree) for the key.
  PrivateMessage seal_raw(SecretTree& tree, ContentType content_type, BytesView plaintext,
                          SenderData sender_data, LeafIndex key_leaf) const {
    const GroupContext ctx = context();
    auto key = tree.next_key(key_leaf, ratchet_type_for(content_type));
    EXPECT_TRUE(key.ok());
    sender_data.generation = key->generation;
    SecretBytes nonce = key->nonce;
    for (size_t i = 0; i < 4; ++i) nonce.mutable_view()[i] ^= sender_data.reuse_guard[i];
    PrivateMessage out;
    out.group_id = ctx.group_id;
    out.epoch = ctx.epoch;
    out.content_type = content_type;
    out.authenticated_data = Bytes{0xad};
    auto aead = crypto::Aead::create(suite_.aead_id(), key->key.view());
    EXPECT_TRUE(aead.ok());
    out.ciphertext = aead->seal(nonce.view(),
                                encode_private_content_aad(out.group_id, out.epoch, content_type,
                                                           out.authenticated_data),
                                plaintext)
                         .value();
    auto sd_key = derive_sender_data_key(suite_, secret(0x22).view(), out.ciphertext);
    EXPECT_TRUE(sd_key.ok());
    auto sd_aead = crypto::Aead::create(suite_.aead_id(), sd_key->key.view());
    EXPECT_TRUE(sd_aead.ok());
    out.encrypted_sender_data =
        sd_aead
            ->seal(sd_key->nonce.view(),
                   encode_sender_data_aad(out.group_id, out.epoch, content_type),
                   encode(sender_data))
            .value();
    return out;
  }

  static SecretTree tree_copy() {
    auto t = SecretTree::create(suite1(), secret(0x33), kLeaves);
    EXPECT_TRUE(t.ok());
    return std::move(t).value();
  }

  CipherSuite suite_ = suite1();
  std::vector<crypto::SignaturePrivateKey> keys_;
  std::optional<crypto::SignaturePrivateKey> external_key_;
  uint32_t blank_ = 3;  // leaf 3 is blank
};

template <class T>
void expect_error(const Result<T>& r, Errc code, std::string_view rule) {
  ASSERT_FALSE(r.ok()) << rule;
  EXPECT_TRUE(r.error().is(code)) << r.error().to_string();
  EXPECT_EQ(r.error().detail(), rule);
}

// ------------------------------------------------------------ construction

TEST_F(MessageProtectionTest, CreateChecksItsArguments) {
  auto tree = [] { return tree_copy(); };
  GroupContext other_suite = context();
  other_suite.cipher_suite = CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256;
  auto a = MessageProtection::create(suite_, other_suite, secret(1), secret(2), tree());
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(a.error().is(Errc::invalid_argument));
  auto b =
      MessageProtection::create(suite_, context(), SecretBytes(Bytes(16, 1)), secret(2), tree());
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(b.error().is(Errc::invalid_argument));
}

TEST_F(MessageProtectionTest, CreateFromKeyScheduleMatchesTheExplicitSecrets) {
  auto ks = KeySchedule::from_init_secret(suite_, secret(0x44).view(), {}, {}, context());
  ASSERT_TRUE(ks.ok());
  auto sender = MessageProtection::create(*ks, context(), kLeaves);
  ASSERT_TRUE(sender.ok());
  auto tree = SecretTree::create(suite_, ks->encryption_secret(), kLeaves);
  ASSERT_TRUE(tree.ok());
  auto receiver = MessageProtection::create(suite_, context(), ks->membership_key(),
                                            ks->sender_data_secret(), std::move(tree).value());
  ASSERT_TRUE(receiver.ok());
  const PublicMessage pub = public_message(*sender, remove_proposal(2));
  EXPECT_TRUE(receiver->unprotect_public(pub, lookup()).ok());
  const PrivateMessage priv = private_message(*sender, ApplicationData{Bytes{1, 2, 3}});
  EXPECT_TRUE(receiver->unprotect_private(priv, lookup()).ok());
}

// ------------------------------------------------------------ PublicMessage

TEST_F(MessageProtectionTest, PublicProposalAndCommitRoundTrip) {
  const MessageProtection sender = make_state();
  const MessageProtection receiver = make_state();
  for (const MessageContent& content :
       {MessageContent{remove_proposal(2)}, MessageContent{Commit{}}}) {
    const AuthenticatedContent sent =
        signed_content(sender, WireFormat::mls_public_message, content);
    auto msg = sender.protect_public(sent);
    ASSERT_TRUE(msg.ok());
    ASSERT_TRUE(msg->membership_tag.has_value());
    EXPECT_EQ(msg->membership_tag->size(), 32u);
    auto back = decode_public_message(encode(*msg));
    ASSERT_TRUE(back.ok());
    auto got = receiver.unprotect_public(*back, lookup());
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    EXPECT_EQ(*got, sent);
  }
}

TEST_F(MessageProtectionTest, ApplicationDataAsPublicMessageIsRefused) {  // MLS-V-FRAME-001
  const MessageProtection state = make_state();
  // Sending side.
  const AuthenticatedContent app =
      signed_content(state, WireFormat::mls_public_message, ApplicationData{Bytes{1, 2}});
  expect_error(state.protect_public(app), Errc::invalid_wire_format, "MLS-V-FRAME-001");
  // Receiving side: a PublicMessage with a valid signature and tag.
  PublicMessage msg;
  msg.content = app.content;
  msg.auth = app.auth;
  msg.membership_tag = suite_.mac(
      secret(0x11).view(), encode_authenticated_content_tbm(msg.content, msg.auth, context()));
  expect_error(state.unprotect_public(msg, lookup()), Errc::invalid_wire_format, "MLS-V-FRAME-001");
}

TEST_F(MessageProtectionTest, PublicWrongGroupOrEpochIsRefused) {  // MLS-V-FRAME-002, 003
  const MessageProtection receiver = make_state();
  GroupContext other_group = context();
  other_group.group_id = Bytes{1};
  const MessageProtection other_sender = make_state(other_group);
  {
    auto content = framed(remove_proposal(2), Sender::member(LeafIndex{1}), other_group);
    auto signed_ac = other_sender.sign(WireFormat::mls_public_message, content, keys_[1]);
    ASSERT_TRUE(signed_ac.ok());
    auto wrong_group = other_sender.protect_public(*signed_ac);
    ASSERT_TRUE(wrong_group.ok());
    expect_error(receiver.unprotect_public(*wrong_group, lookup()), Errc::wrong_group,
                 "MLS-V-FRAME-002");
  }

  const MessageProtection next_epoch = make_state(context(8));
  auto content = framed(remove_proposal(2), Sender::member(LeafIndex{1}), context(8));
  auto signed_ac = next_epoch.sign(WireFormat::mls_public_message, content, keys_[1]);
  ASSERT_TRUE(signed_ac.ok());
  auto msg = next_epoch.protect_public(*signed_ac);
  ASSERT_TRUE(msg.ok());
  expect_error(receiver.unprotect_public(*msg, lookup()), Errc::wrong_epoch, "MLS-V-FRAME-003");
}

TEST_F(MessageProtectionTest, TamperedMembershipTagIsRefused) {  // MLS-V-FRAME-006
  const MessageProtection state = make_state();
  PublicMessage msg = public_message(state, remove_proposal(2));
  ASSERT_TRUE(state.unprotect_public(msg, lookup()).ok());
  PublicMessage tampered = msg;
  tampered.membership_tag->back() ^= 1;
  expect_error(state.unprotect_public(tampered, lookup()), Errc::mac_mismatch, "MLS-V-FRAME-006");
  PublicMessage missing = msg;
  missing.membership_tag.reset();
  expect_error(state.unprotect_public(missing, lookup()), Errc::mac_mismatch, "MLS-V-FRAME-006");
  // Another epoch's membership key.
  auto tree = tree_copy();
  auto other_key =
      MessageProtection::create(suite_, context(), secret(0x12), secret(0x22), std::move(tree));
  ASSERT_TRUE(other_key.ok());
  expect_error(other_key->unprotect_public(msg, lookup()), Errc::mac_mismatch, "MLS-V-FRAME-006");
  // The tag covers the content: change the authenticated data.
  PublicMessage changed = msg;
  changed.content.authenticated_data = Bytes{0xae};
  expect_error(state.unprotect_public(changed, lookup()), Errc::mac_mismatch, "MLS-V-FRAME-006");
}

TEST_F(MessageProtectionTest, TamperedSignatureIsRefused) {  // MLS-V-FRAME-008
  const MessageProtection state = make_state();
  PublicMessage msg = public_message(state, remove_proposal(2));
  msg.auth.signature.back() ^= 1;
  // Recompute the membership tag so that only the signature is wrong.
  msg.membership_tag = suite_.mac(
      secret(0x11).view(), encode_authenticated_content_tbm(msg.content, msg.auth, context()));
  expect_error(state.unprotect_public(msg, lookup()), Errc::invalid_signature, "MLS-V-FRAME-008");

  // Signed by another member's key than the sender's.
  auto content = framed(remove_proposal(2), Sender::member(LeafIndex{1}));
  auto wrong_key = state.sign(WireFormat::mls_public_message, content, keys_[2]);
  ASSERT_TRUE(wrong_key.ok());
  auto msg2 = state.protect_public(*wrong_key);
  ASSERT_TRUE(msg2.ok());
  expect_error(state.unprotect_public(*msg2, lookup()), Errc::invalid_signature, "MLS-V-FRAME-008");

  // Signed for the other wire format.
  auto for_private = state.sign(WireFormat::mls_private_message, content, keys_[1]);
  ASSERT_TRUE(for_private.ok());
  AuthenticatedContent relabelled = *for_private;
  relabelled.wire_format = WireFormat::mls_public_message;
  auto msg3 = state.protect_public(relabelled);
  ASSERT_TRUE(msg3.ok());
  expect_error(state.unprotect_public(*msg3, lookup()), Errc::invalid_signature, "MLS-V-FRAME-008");
}

TEST_F(MessageProtectionTest, PublicSenderNotAMemberIsRefused) {  // MLS-V-FRAME-005
  const MessageProtection state = make_state();
  const PublicMessage from_blank =
      public_message(state, remove_proposal(2), Sender::member(LeafIndex{3}));
  expect_error(state.unprotect_public(from_blank, lookup()), Errc::unknown_sender,
               "MLS-V-FRAME-005");
  // A member the signature lookup knows nothing about.
  SenderLookup no_keys = lookup();
  no_keys.signature_key = [](const FramedContent&) -> Result<Bytes> {
    return Error(Errc::unknown_sender);
  };
  const PublicMessage msg = public_message(state, remove_proposal(2));
  expect_error(state.unprotect_public(msg, no_keys), Errc::unknown_sender, "MLS-V-FRAME-005");
}

TEST_F(MessageProtectionTest, ExternalSendersAreLimitedToTheirProposals) {  // MLS-V-FRAME-004
  const MessageProtection state = make_state();
  // An allowed external proposal: no membership tag, signature without context.
  const PublicMessage remove = public_message(state, remove_proposal(2), Sender::external(0));
  EXPECT_FALSE(remove.membership_tag.has_value());
  auto got = state.unprotect_public(remove, lookup());
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_EQ(got->content.sender, Sender::external(0));

  // A membership tag on a non-member message.
  PublicMessage tagged = remove;
  tagged.membership_tag = Bytes(32, 0);
  expect_error(state.unprotect_public(tagged, lookup()), Errc::mac_mismatch, "MLS-V-FRAME-006");

  // Refused combinations, on both sides.
  struct Bad {
    Sender sender;
    MessageContent content;
  };
  const std::vector<Bad> bad = {
      {Sender::external(0), Commit{}},
      {Sender::external(0), Proposal{Update{}}},
      {Sender::new_member_proposal(), remove_proposal(2)},
      {Sender::new_member_proposal(), Commit{}},
      {Sender::new_member_commit(), remove_proposal(2)},
  };
  for (const auto& b : bad) {
    const AuthenticatedContent ac =
        signed_content(state, WireFormat::mls_public_message, b.content, b.sender);
    expect_error(state.protect_public(ac), Errc::invalid_sender, "MLS-V-FRAME-004");
    PublicMessage msg;
    msg.content = ac.content;
    msg.auth = ac.auth;
    expect_error(state.unprotect_public(msg, lookup()), Errc::invalid_sender, "MLS-V-FRAME-004");
  }
  // A new member's commit is fine.
  const PublicMessage joiner = public_message(state, Commit{}, Sender::new_member_commit());
  EXPECT_TRUE(state.unprotect_public(joiner, lookup()).ok());
}

TEST_F(MessageProtectionTest, ConfirmationTagExactlyForCommits) {  // MLS-V-FRAME-007
  const MessageProtection state = make_state();
  AuthenticatedContent commit = signed_content(state, WireFormat::mls_public_message, Commit{});
  commit.auth.confirmation_tag.reset();
  auto refused = state.protect_public(commit);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(Errc::invalid_argument));

  PublicMessage msg = public_message(state, Commit{});
  msg.auth.confirmation_tag.reset();
  expect_error(state.unprotect_public(msg, lookup()), Errc::invalid_argument, "MLS-V-FRAME-007");
  PublicMessage proposal = public_message(state, remove_proposal(2));
  proposal.auth.confirmation_tag = Bytes(32, 1);
  expect_error(state.unprotect_public(proposal, lookup()), Errc::invalid_argument,
               "MLS-V-FRAME-007");
}

// ----------------------------------------------------------- PrivateMessage

TEST_F(MessageProtectionTest, PrivateMessagesRoundTripWithPadding) {
  MessageProtection sender = make_state();
  MessageProtection receiver = make_state();
  const std::vector<MessageContent> contents = {ApplicationData{Bytes{1, 2, 3}},
                                                MessageContent{remove_proposal(0)},
                                                MessageContent{Commit{}}};
  for (size_t padding : {size_t{0}, size_t{1}, size_t{100}}) {
    for (const auto& content : contents) {
      const AuthenticatedContent sent =
          signed_content(sender, WireFormat::mls_private_message, content);
      auto msg = sender.protect_private(sent, padding);
      ASSERT_TRUE(msg.ok());
      auto back = decode_private_message(encode(*msg));
      ASSERT_TRUE(back.ok());
      auto got = receiver.unprotect_private(*back, lookup());
      ASSERT_TRUE(got.ok()) << got.error().to_string();
      EXPECT_EQ(*got, sent);
    }
  }
  // Padding lengthens the ciphertext by exactly its size.
  const auto a = private_message(sender, ApplicationData{Bytes(10, 1)}, 0);
  const auto b = private_message(sender, ApplicationData{Bytes(10, 1)}, 50);
  EXPECT_EQ(b.ciphertext.size(), a.ciphertext.size() + 50);
}

TEST_F(MessageProtectionTest, ProtectPrivateChecksTheContent) {
  MessageProtection state = make_state();
  // Only members send PrivateMessages.
  auto content = framed(remove_proposal(1), Sender::external(0));
  auto external = state.sign(WireFormat::mls_private_message, content, *external_key_);
  ASSERT_TRUE(external.ok());
  auto refused = state.protect_private(*external);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(Errc::invalid_wire_format));
  // Content signed for PublicMessage.
  auto for_public = signed_content(state, WireFormat::mls_public_message, remove_proposal(1));
  auto wrong_format = state.protect_private(for_public);
  ASSERT_FALSE(wrong_format.ok());
  EXPECT_TRUE(wrong_format.error().is(Errc::invalid_argument));
}

TEST_F(MessageProtectionTest, PrivateWrongGroupOrEpochIsRefused) {  // MLS-V-FRAME-002, 003
  MessageProtection sender = make_state();
  MessageProtection receiver = make_state();
  const PrivateMessage msg = private_message(sender, ApplicationData{Bytes{1}});
  PrivateMessage wrong_group = msg;
  wrong_group.group_id = Bytes{9};
  expect_error(receiver.unprotect_private(wrong_group, lookup()), Errc::wrong_group,
               "MLS-V-FRAME-002");
  PrivateMessage wrong_epoch = msg;
  wrong_epoch.epoch += 1;
  expect_error(receiver.unprotect_private(wrong_epoch, lookup()), Errc::wrong_epoch,
               "MLS-V-FRAME-003");
  EXPECT_TRUE(receiver.unprotect_private(msg, lookup()).ok());
}

TEST_F(MessageProtectionTest, TamperedCiphertextIsRefusedWithoutConsumingTheKey) {
  MessageProtection sender = make_state();
  MessageProtection receiver = make_state();
  const PrivateMessage msg = private_message(sender, ApplicationData{Bytes(40, 7)});
  // MLS-V-FRAME-010: a flipped byte after the sample that keys the sender
  // data (so that the sender data still opens).
  ASSERT_GT(msg.ciphertext.size(), 33u);
  PrivateMessage tampered = msg;
  tampered.ciphertext.back() ^= 1;
  expect_error(receiver.unprotect_private(tampered, lookup()), Errc::decrypt_failed,
               "MLS-V-FRAME-010");
  // The authenticated data is in the content's AAD.
  PrivateMessage other_aad = msg;
  other_aad.authenticated_data = Bytes{0xae};
  expect_error(receiver.unprotect_private(other_aad, lookup()), Errc::decrypt_failed,
               "MLS-V-FRAME-010");
  // MLS-V-FRAME-012 needs a content type no decoder produces.
  PrivateMessage reserved = msg;
  reserved.content_type = ContentType::reserved;
  expect_error(receiver.unprotect_private(reserved, lookup()), Errc::invalid_argument,
               "MLS-V-FRAME-012");
  // MLS-V-FRAME-009: the sender data (and the content type in its AAD).
  PrivateMessage bad_sender_data = msg;
  bad_sender_data.encrypted_sender_data[0] ^= 1;
  expect_error(receiver.unprotect_private(bad_sender_data, lookup()), Errc::decrypt_failed,
               "MLS-V-FRAME-009");
  PrivateMessage other_type = msg;
  other_type.content_type = ContentType::proposal;
  expect_error(receiver.unprotect_private(other_type, lookup()), Errc::decrypt_failed,
               "MLS-V-FRAME-009");
  // A change inside the sample changes the sender-data key.
  PrivateMessage sample = msg;
  sample.ciphertext[0] ^= 1;
  expect_error(receiver.unprotect_private(sample, lookup()), Errc::decrypt_failed,
               "MLS-V-FRAME-009");

  // None of that consumed the key: the genuine message still opens, once.
  EXPECT_TRUE(receiver.unprotect_private(msg, lookup()).ok());
  EXPECT_EQ(receiver.secret_tree().next_generation(LeafIndex{1}, RatchetType::application).value(),
            1u);
}

TEST_F(MessageProtectionTest, ReplayedPrivateMessageIsRefused) {  // MLS-V-ST-003
  MessageProtection sender = make_state();
  MessageProtection receiver = make_state();
  const PrivateMessage msg = private_message(sender, remove_proposal(2));
  ASSERT_TRUE(receiver.unprotect_private(msg, lookup()).ok());
  expect_error(receiver.unprotect_private(msg, lookup()), Errc::generation_consumed,
               "MLS-V-ST-003");
}

TEST_F(MessageProtectionTest, OutOfOrderGenerationsWithinTheWindowAreAccepted) {
  MessageProtection sender = make_state();
  MessageProtection receiver = make_state();
  std::vector<PrivateMessage> sent;
  for (uint8_t i = 0; i < 6; ++i)
    sent.push_back(private_message(sender, ApplicationData{Bytes{i}}));
  for (size_t i : {5u, 2u, 0u, 4u, 1u, 3u}) {
    auto got = receiver.unprotect_private(sent[i], lookup());
    ASSERT_TRUE(got.ok()) << i << ": " << got.error().to_string();
    EXPECT_EQ(std::get<ApplicationData>(got->content.content).application_data,
              Bytes{static_cast<uint8_t>(i)});
  }
  for (const auto& msg : sent) {
    expect_error(receiver.unprotect_private(msg, lookup()), Errc::generation_consumed,
                 "MLS-V-ST-003");
  }
}

TEST_F(MessageProtectionTest, GenerationBeyondTheWindowIsRefused) {  // MLS-V-ST-002
  SecretTreeLimits limits;
  limits.max_forward_distance = 3;
  MessageProtection sender = make_state();
  MessageProtection receiver = make_state(context(), limits);
  std::vector<PrivateMessage> sent;
  for (uint8_t i = 0; i < 5; ++i)
    sent.push_back(private_message(sender, ApplicationData{Bytes{i}}));
  expect_error(receiver.unprotect_private(sent[4], lookup()), Errc::generation_too_far,
               "MLS-V-ST-002");
  EXPECT_TRUE(receiver.unprotect_private(sent[3], lookup()).ok());
  EXPECT_TRUE(receiver.unprotect_private(sent[4], lookup()).ok());
}

TEST_F(MessageProtectionTest, PrivateSenderNotAMemberIsRefused) {  // MLS-V-FRAME-005
  MessageProtection receiver = make_state();
  const SecretBytes plain = SecretBytes::adopt(encode(PrivateMessageContent{
      ApplicationData{Bytes{1}}, FramedContentAuthData{Bytes(64, 0), std::nullopt}, 0}));
  // SenderData naming the blank leaf 3, and a leaf outside the tree.
  for (uint32_t leaf : {3u, 9u}) {
    SecretTree tree = tree_copy();
    SenderData sd;
    sd.leaf_index = LeafIndex{leaf};
    const PrivateMessage msg =
        seal_raw(tree, ContentType::application, plain.view(), sd, LeafIndex{1});
    expect_error(receiver.unprotect_private(msg, lookup()), Errc::unknown_sender,
                 "MLS-V-FRAME-005");
  }
  // Even when the caller's callback would accept a leaf outside the tree.
  SenderLookup everyone = lookup();
  everyone.is_member = [](LeafIndex) { return true; };
  SecretTree tree = tree_copy();
  SenderData sd;
  sd.leaf_index = LeafIndex{9};
  const PrivateMessage msg =
      seal_raw(tree, ContentType::application, plain.view(), sd, LeafIndex{1});
  expect_error(receiver.unprotect_private(msg, everyone), Errc::unknown_sender, "MLS-V-FRAME-005");
}

TEST_F(MessageProtectionTest, NonZeroPaddingIsRefused) {  // MLS-V-FRAME-011
  MessageProtection state = make_state();
  const AuthenticatedContent ac =
      signed_content(state, WireFormat::mls_private_message, ApplicationData{Bytes{5, 6}});
  Bytes plaintext = encode(PrivateMessageContent{ac.content.content, ac.auth, 8});
  SenderData sd;
  sd.leaf_index = LeafIndex{1};
  sd.reuse_guard = {1, 2, 3, 4};
  {
    // Zero padding built the same way opens: the check is the padding's.
    SecretTree tree = tree_copy();
    MessageProtection receiver = make_state();
    const PrivateMessage ok = seal_raw(tree, ContentType::application, plaintext, sd, LeafIndex{1});
    auto got = receiver.unprotect_private(ok, lookup());
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    EXPECT_EQ(*got, ac);
  }
  plaintext.back() = 0x01;
  SecretTree tree = tree_copy();
  MessageProtection receiver = make_state();
  const PrivateMessage bad = seal_raw(tree, ContentType::application, plaintext, sd, LeafIndex{1});
  expect_error(receiver.unprotect_private(bad, lookup()), Errc::invalid_padding, "MLS-V-FRAME-011");
}

TEST_F(MessageProtectionTest, PrivateBadSignatureIsRefusedWithoutConsumingTheKey) {
  MessageProtection sender = make_state();
  MessageProtection receiver = make_state();
  const PrivateMessage msg = private_message(sender, remove_proposal(2));
  SenderLookup wrong_keys = lookup();
  wrong_keys.signature_key = [this](const FramedContent&) -> Result<Bytes> {
    return keys_[2].public_key().bytes();
  };
  expect_error(receiver.unprotect_private(msg, wrong_keys), Errc::invalid_signature,
               "MLS-V-FRAME-008");
  auto got = receiver.unprotect_private(msg, lookup());
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_EQ(got->content.sender, Sender::member(LeafIndex{1}));
  EXPECT_EQ(got->wire_format, WireFormat::mls_private_message);
}

TEST_F(MessageProtectionTest, ReuseGuardIsAppliedToTheNonce) {
  // Two messages sealed by hand with the same generation key but different
  // reuse guards: each opens only with its own guard, so the guard is part
  // of the nonce.
  const AuthenticatedContent ac = [&] {
    MessageProtection s = make_state();
    return signed_content(s, WireFormat::mls_private_message, ApplicationData{Bytes{9}});
  }();
  const Bytes plaintext = encode(PrivateMessageContent{ac.content.content, ac.auth, 0});
  SecretTree tree = tree_copy();
  SenderData sd;
  sd.leaf_index = LeafIndex{1};
  sd.reuse_guard = {0xde, 0xad, 0xbe, 0xef};
  PrivateMessage msg = seal_raw(tree, ContentType::application, plaintext, sd, LeafIndex{1});
  MessageProtection receiver = make_state();
  EXPECT_TRUE(receiver.unprotect_private(msg, lookup()).ok());

  // Same key, sender data claiming another guard.
  SecretTree tree2 = tree_copy();
  PrivateMessage other = seal_raw(tree2, ContentType::application, plaintext, sd, LeafIndex{1});
  SenderData lying = sd;
  lying.reuse_guard = {0, 0, 0, 0};
  auto sd_key = derive_sender_data_key(suite_, secret(0x22).view(), other.ciphertext);
  ASSERT_TRUE(sd_key.ok());
  auto aead = crypto::Aead::create(suite_.aead_id(), sd_key->key.view());
  ASSERT_TRUE(aead.ok());
  other.encrypted_sender_data =
      aead->seal(sd_key->nonce.view(),
                 encode_sender_data_aad(other.group_id, other.epoch, other.content_type),
                 encode(lying))
          .value();
  MessageProtection receiver2 = make_state();
  expect_error(receiver2.unprotect_private(other, lookup()), Errc::decrypt_failed,
               "MLS-V-FRAME-010");
}

}  // namespace
}  // namespace conclave::mls
