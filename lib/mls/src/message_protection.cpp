#include "conclave/mls/message_protection.h"

#include <algorithm>
#include <array>
#include <utility>

#include "conclave/codec/tls.h"
#include "conclave/crypto/aead.h"
#include "conclave/crypto/random.h"

namespace conclave::mls {

namespace {

constexpr std::string_view kFramedContentTbsLabel = "FramedContentTBS";

bool is_known_content_type(ContentType t) {
  return t == ContentType::application || t == ContentType::proposal || t == ContentType::commit;
}

// MLS-V-FRAME-007: a confirmation tag exactly for commits.
bool confirmation_tag_fits(const FramedContent& content, const FramedContentAuthData& auth) {
  return auth.confirmation_tag.has_value() == (content.content_type() == ContentType::commit);
}

// The content nonce: the generation's nonce with the reuse guard XORed into
// its first four bytes (section 6.3.1).
SecretBytes guarded_nonce(const SecretBytes& nonce, const std::array<uint8_t, 4>& reuse_guard) {
  SecretBytes out = nonce;
  const size_t n = std::min(out.size(), reuse_guard.size());
  for (size_t i = 0; i < n; ++i) out.mutable_view()[i] ^= reuse_guard[i];
  return out;
}

Result<Bytes> aead_seal(const CipherSuite& suite, const SecretBytes& key, const SecretBytes& nonce,
                        BytesView aad, BytesView plaintext) {
  CV_TRY(crypto::Aead aead, crypto::Aead::create(suite.aead_id(), key.view()));
  return aead.seal(nonce.view(), aad, plaintext);
}

// Any failure to open is reported as Errc::decrypt_failed with `rule`.
Result<SecretBytes> aead_open(const CipherSuite& suite, const SecretBytes& key,
                              const SecretBytes& nonce, BytesView aad, BytesView ciphertext,
                              std::string_view rule) {
  auto aead = crypto::Aead::create(suite.aead_id(), key.view());
  if (!aead.ok()) return aead.error();
  auto plaintext = aead->open(nonce.view(), aad, ciphertext);
  if (!plaintext.ok()) return Error(Errc::decrypt_failed, rule);
  return SecretBytes::adopt(std::move(plaintext).value());
}

// PrivateMessageContent with its padding checked here, so that non-zero
// padding gets its own rule (MLS-V-FRAME-011) and malformed content keeps
// the codec's error.
Result<PrivateMessageContent> decode_content(BytesView plaintext, ContentType content_type) {
  codec::Reader r(plaintext);
  PrivateMessageContent out;
  CV_TRY(out.content, codec::decode_variant_body<MessageContent>(r, content_type));
  CV_TRY(out.auth, FramedContentAuthData::decode(r, content_type));
  const BytesView padding = r.rest();
  if (!std::all_of(padding.begin(), padding.end(), [](uint8_t b) { return b == 0; })) {
    return Error(Errc::invalid_padding, "MLS-V-FRAME-011");
  }
  out.padding_length = padding.size();
  return out;
}

}  // namespace

// MLS-V-FRAME-004 (section 6.1, 12.1.8): what each non-member sender type
// may send.
Status check_sender_fits_content(const FramedContent& content) {
  const auto* proposal = std::get_if<Proposal>(&content.content);
  switch (content.sender.sender_type()) {
    case SenderType::member:
      return {};
    case SenderType::external: {
      if (proposal == nullptr) return Error(Errc::invalid_sender, "MLS-V-FRAME-004");
      switch (proposal->proposal_type()) {
        case ProposalType::add:
        case ProposalType::remove:
        case ProposalType::psk:
        case ProposalType::reinit:
        case ProposalType::group_context_extensions:
          return {};
        case ProposalType::update:
        case ProposalType::external_init:
        case ProposalType::reserved:
          break;
      }
      return Error(Errc::invalid_sender, "MLS-V-FRAME-004");
    }
    case SenderType::new_member_proposal:
      if (proposal == nullptr || proposal->proposal_type() != ProposalType::add) {
        return Error(Errc::invalid_sender, "MLS-V-FRAME-004");
      }
      return {};
    case SenderType::new_member_commit:
      if (content.content_type() != ContentType::commit) {
        return Error(Errc::invalid_sender, "MLS-V-FRAME-004");
      }
      return {};
    case SenderType::reserved:
      break;
  }
  return Error(Errc::invalid_sender, "MLS-V-FRAME-004");
}

MessageProtection::MessageProtection(const CipherSuite& suite, GroupContext context,
                                     SecretBytes membership_key, SecretBytes sender_data_secret,
                                     SecretTree secret_tree)
    : suite_(suite),
      context_(std::move(context)),
      membership_key_(std::move(membership_key)),
      sender_data_secret_(std::move(sender_data_secret)),
      secret_tree_(std::move(secret_tree)) {}

Result<MessageProtection> MessageProtection::create(const CipherSuite& suite, GroupContext context,
                                                    SecretBytes membership_key,
                                                    SecretBytes sender_data_secret,
                                                    SecretTree secret_tree) {
  if (context.cipher_suite != suite.id()) {
    return Error(Errc::invalid_argument, "group context of another cipher suite");
  }
  if (membership_key.size() != suite.hash_size() ||
      sender_data_secret.size() != suite.hash_size()) {
    return Error(Errc::invalid_argument, "epoch secrets must be KDF.Nh bytes");
  }
  return MessageProtection(suite, std::move(context), std::move(membership_key),
                           std::move(sender_data_secret), std::move(secret_tree));
}

Result<MessageProtection> MessageProtection::create(const KeySchedule& keys, GroupContext context,
                                                    uint32_t n_leaves, SecretTreeLimits limits) {
  CV_TRY(SecretTree tree,
         SecretTree::create(keys.suite(), keys.encryption_secret(), n_leaves, limits));
  return create(keys.suite(), std::move(context), keys.membership_key(), keys.sender_data_secret(),
                std::move(tree));
}

Result<AuthenticatedContent> MessageProtection::sign(WireFormat wire_format, FramedContent content,
                                                     const crypto::SignaturePrivateKey& key) const {
  if (wire_format != WireFormat::mls_public_message &&
      wire_format != WireFormat::mls_private_message) {
    return Error(Errc::invalid_argument, "wire format of a framed message");
  }
  if (content.sender.sender_type() == SenderType::reserved) {
    return Error(Errc::invalid_argument, "sender type");
  }
  const Bytes tbs = encode_framed_content_tbs(wire_format, content, &context_);
  CV_TRY(Bytes signature, suite_.sign_with_label(key, kFramedContentTbsLabel, tbs));
  AuthenticatedContent out;
  out.wire_format = wire_format;
  out.content = std::move(content);
  out.auth.signature = std::move(signature);
  return out;
}

Status MessageProtection::verify_signature(const AuthenticatedContent& content,
                                           BytesView signature_key) const {
  if (content.content.sender.sender_type() == SenderType::reserved) {
    return Error(Errc::invalid_sender, "MLS-V-FRAME-004");
  }
  const Bytes tbs = encode_framed_content_tbs(content.wire_format, content.content, &context_);
  if (!suite_.verify_with_label(signature_key, kFramedContentTbsLabel, tbs, content.auth.signature)
           .ok()) {
    return Error(Errc::invalid_signature, "MLS-V-FRAME-008");
  }
  return {};
}

Status MessageProtection::verify_sender_signature(const AuthenticatedContent& content,
                                                  const SenderLookup& senders) const {
  CV_CHECK(senders.signature_key);
  auto key = senders.signature_key(content.content);
  if (!key.ok()) return Error(Errc::unknown_sender, "MLS-V-FRAME-005");
  return verify_signature(content, *key);
}

Status MessageProtection::check_outgoing(const AuthenticatedContent& content,
                                         WireFormat wire_format) const {
  if (content.wire_format != wire_format) {
    return Error(Errc::invalid_argument, "content signed for another wire format");
  }
  if (content.content.group_id != context_.group_id) {
    return Error(Errc::invalid_argument, "content of another group");
  }
  if (content.content.epoch != context_.epoch) {
    return Error(Errc::invalid_argument, "content of another epoch");
  }
  if (!confirmation_tag_fits(content.content, content.auth)) {
    return Error(Errc::invalid_argument, "confirmation tag exactly for commits");
  }
  return {};
}

// ------------------------------------------------------------ PublicMessage

Result<PublicMessage> MessageProtection::protect_public(const AuthenticatedContent& content) const {
  if (content.content.content_type() == ContentType::application) {
    return Error(Errc::invalid_wire_format, "MLS-V-FRAME-001");
  }
  CV_TRY_STATUS(check_outgoing(content, WireFormat::mls_public_message));
  CV_TRY_STATUS(check_sender_fits_content(content.content));
  PublicMessage out;
  out.content = content.content;
  out.auth = content.auth;
  if (content.content.sender.sender_type() == SenderType::member) {
    const Bytes tbm = encode_authenticated_content_tbm(out.content, out.auth, context_);
    out.membership_tag = suite_.mac(membership_key_.view(), tbm);
  }
  return out;
}

Status check_public_framing(const PublicMessage& message, const GroupContext& context) {
  const FramedContent& content = message.content;
  if (content.content_type() == ContentType::application) {
    return Error(Errc::invalid_wire_format, "MLS-V-FRAME-001");
  }
  if (!equal(content.group_id, context.group_id)) {
    return Error(Errc::wrong_group, "MLS-V-FRAME-002");
  }
  if (content.epoch != context.epoch) return Error(Errc::wrong_epoch, "MLS-V-FRAME-003");
  CV_TRY_STATUS(check_sender_fits_content(content));
  if (!confirmation_tag_fits(content, message.auth)) {
    return Error(Errc::invalid_argument, "MLS-V-FRAME-007");
  }
  if (message.membership_tag.has_value() != content.sender.leaf_index().has_value()) {
    return Error(Errc::mac_mismatch, "MLS-V-FRAME-006");
  }
  return {};
}

Result<AuthenticatedContent> MessageProtection::unprotect_public(
    const PublicMessage& message, const SenderLookup& senders) const {
  CV_CHECK(senders.is_member);
  CV_TRY_STATUS(check_public_framing(message, context_));
  const FramedContent& content = message.content;
  if (const auto leaf = content.sender.leaf_index()) {
    if (!senders.is_member(*leaf)) return Error(Errc::unknown_sender, "MLS-V-FRAME-005");
    const Bytes tbm = encode_authenticated_content_tbm(content, message.auth, context_);
    if (!suite_.verify_mac(membership_key_.view(), tbm, *message.membership_tag).ok()) {
      return Error(Errc::mac_mismatch, "MLS-V-FRAME-006");
    }
  }

  AuthenticatedContent out = message.authenticated_content();
  CV_TRY_STATUS(verify_sender_signature(out, senders));
  return out;
}

// ----------------------------------------------------------- PrivateMessage

Result<PrivateMessage> MessageProtection::protect_private(const AuthenticatedContent& content,
                                                          size_t padding_length) {
  CV_TRY_STATUS(check_outgoing(content, WireFormat::mls_private_message));
  const auto leaf = content.content.sender.leaf_index();
  if (!leaf.has_value()) return Error(Errc::invalid_wire_format, "sender must be a member");
  const ContentType content_type = content.content.content_type();

  // Content: the sender's next generation, the nonce guarded.
  CV_TRY(RatchetKey key, secret_tree_.next_key(*leaf, ratchet_type_for(content_type)));
  SenderData sender_data;
  sender_data.leaf_index = *leaf;
  sender_data.generation = key.generation;
  crypto::random_bytes(sender_data.reuse_guard);

  PrivateMessageContent plain;
  plain.content = content.content.content;
  plain.auth = content.auth;
  plain.padding_length = padding_length;
  const SecretBytes plaintext = SecretBytes::adopt(encode(plain));

  PrivateMessage out;
  out.group_id = context_.group_id;
  out.epoch = context_.epoch;
  out.content_type = content_type;
  out.authenticated_data = content.content.authenticated_data;
  const Bytes content_aad =
      encode_private_content_aad(out.group_id, out.epoch, out.content_type, out.authenticated_data);
  CV_TRY(out.ciphertext,
         aead_seal(suite_, key.key, guarded_nonce(key.nonce, sender_data.reuse_guard), content_aad,
                   plaintext.view()));

  // Sender data, keyed by a sample of the ciphertext.
  CV_TRY(KeyAndNonce sd_key,
         derive_sender_data_key(suite_, sender_data_secret_.view(), out.ciphertext));
  const Bytes sender_data_aad = encode_sender_data_aad(out.group_id, out.epoch, out.content_type);
  CV_TRY(out.encrypted_sender_data,
         aead_seal(suite_, sd_key.key, sd_key.nonce, sender_data_aad, encode(sender_data)));
  return out;
}

Result<AuthenticatedContent> MessageProtection::unprotect_private(const PrivateMessage& message,
                                                                  const SenderLookup& senders) {
  CV_CHECK(senders.is_member);
  if (!equal(message.group_id, context_.group_id)) {
    return Error(Errc::wrong_group, "MLS-V-FRAME-002");
  }
  if (message.epoch != context_.epoch) return Error(Errc::wrong_epoch, "MLS-V-FRAME-003");
  if (!is_known_content_type(message.content_type)) {
    return Error(Errc::invalid_argument, "MLS-V-FRAME-012");
  }

  // Sender data (section 6.3.2).
  CV_TRY(KeyAndNonce sd_key,
         derive_sender_data_key(suite_, sender_data_secret_.view(), message.ciphertext));
  const Bytes sender_data_aad =
      encode_sender_data_aad(message.group_id, message.epoch, message.content_type);
  CV_TRY(SecretBytes sender_data_plain,
         aead_open(suite_, sd_key.key, sd_key.nonce, sender_data_aad, message.encrypted_sender_data,
                   "MLS-V-FRAME-009"));
  auto sender_data = decode_sender_data(sender_data_plain.view());
  if (!sender_data.ok()) return Error(Errc::decrypt_failed, "MLS-V-FRAME-009");
  const LeafIndex leaf = sender_data->leaf_index;
  if (leaf.value >= secret_tree_.n_leaves() || !senders.is_member(leaf)) {
    return Error(Errc::unknown_sender, "MLS-V-FRAME-005");
  }

  // Content (section 6.3.1), with the generation's key peeked at only.
  const RatchetType ratchet = ratchet_type_for(message.content_type);
  CV_TRY(SecretTree::PendingKey pending,
         secret_tree_.peek_key(leaf, ratchet, sender_data->generation));
  const RatchetKey& key = pending.key();
  const Bytes content_aad = encode_private_content_aad(
      message.group_id, message.epoch, message.content_type, message.authenticated_data);
  CV_TRY(SecretBytes plaintext,
         aead_open(suite_, key.key, guarded_nonce(key.nonce, sender_data->reuse_guard), content_aad,
                   message.ciphertext, "MLS-V-FRAME-010"));
  CV_TRY(PrivateMessageContent plain, decode_content(plaintext.view(), message.content_type));

  AuthenticatedContent out;
  out.wire_format = WireFormat::mls_private_message;
  out.content.group_id = message.group_id;
  out.content.epoch = message.epoch;
  out.content.sender = Sender::member(leaf);
  out.content.authenticated_data = message.authenticated_data;
  out.content.content = std::move(plain.content);
  out.auth = std::move(plain.auth);
  if (!confirmation_tag_fits(out.content, out.auth)) {
    return Error(Errc::invalid_argument, "MLS-V-FRAME-007");
  }
  CV_TRY_STATUS(verify_sender_signature(out, senders));

  // Authentic: now the key is used up.
  CV_TRY(RatchetKey consumed, secret_tree_.commit_key(std::move(pending)));
  (void)consumed;
  return out;
}

}  // namespace conclave::mls
