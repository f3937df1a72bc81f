// MessageProtection: signing, protecting and unprotecting the messages of
// one epoch (RFC 9420 section 6).
//
//   sender                                     receiver
//   FramedContent                              PublicMessage
//     │ sign(wire_format, content, key)          │ unprotect_public()
//   AuthenticatedContent  (commits: the caller   │   group, epoch, sender/content,
//     │   sets auth.confirmation_tag, made with  │   membership_tag, signature
//     │   the NEXT epoch's confirmation_key)     ▼
//     ├─ protect_public() ──> PublicMessage    AuthenticatedContent
//     │    membership_tag = MAC(membership_key, AuthenticatedContentTBM)
//     └─ protect_private() ─> PrivateMessage   PrivateMessage
//          key, nonce = SecretTree generation    │ unprotect_private()
//          nonce[0..4] ^= reuse_guard (random)   │   group, epoch, SenderData,
//          AEAD(PrivateMessageContent+padding,   │   member?, key of generation,
//               PrivateContentAAD)               │   content, padding, signature
//          AEAD(SenderData, SenderDataAAD) with  ▼
//          the key from sender_data_secret and AuthenticatedContent
//          the first KDF.Nh ciphertext bytes
//
// Application data is only ever sent as a PrivateMessage: protect_public()
// and unprotect_public() refuse it (MLS-V-FRAME-001). The caller tells the
// receiver who the members are and which signature key each sender uses
// through a SenderLookup (it answers from its ratchet tree and the
// external_senders extension; for new_member_* senders the key is inside
// the content).
//
// Receiver checks, each failing with the stable rule ID as Error::detail()
// (docs/mls-validation-rules.md):
//   MLS-V-FRAME-001 no application data in a PublicMessage
//   MLS-V-FRAME-002 group_id is this group's        MLS-V-FRAME-003 epoch is this epoch's
//   MLS-V-FRAME-004 sender type fits the content    MLS-V-FRAME-005 sender is a member / has a key
//   MLS-V-FRAME-006 membership_tag (constant time)  MLS-V-FRAME-007 confirmation_tag iff commit
//   MLS-V-FRAME-008 signature over FramedContentTBS MLS-V-FRAME-009 SenderData decrypts
//   MLS-V-FRAME-010 content decrypts                MLS-V-FRAME-011 padding is all zero
//   MLS-V-FRAME-012 PrivateMessage content type is application, proposal or commit
// plus the secret tree's MLS-V-ST-001..003 (leaf in the tree, generation
// within the window, not already consumed: a replay).
//
// State: unprotect_private() changes the secret tree only when it returns
// a message. It peeks at the generation's key, decrypts and verifies, and
// consumes the key (SecretTree::take_key) last; a message failing any
// check leaves every key usable (at most the sender leaf's ratchets are
// set up, which derives nothing that could not be derived again).
// protect_private() consumes the sender's next generation even when it then
// fails. A MessageProtection is move-only, like the SecretTree it owns.
#pragma once

#include <cstddef>
#include <functional>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/key_schedule.h"
#include "conclave/mls/private_message.h"
#include "conclave/mls/public_message.h"
#include "conclave/mls/secret_tree.h"
#include "conclave/mls/tree_math.h"

namespace conclave::mls {

// What the receiver asks the group about a sender. Both functions must be
// set (CV_CHECK).
struct SenderLookup {
  // Whether `leaf` is a non-blank leaf of the ratchet tree. Asked before
  // any key is derived for it.
  std::function<bool(LeafIndex leaf)> is_member;
  // The signature public key (wire form) of the sender of `content`: the
  // member's LeafNode key, the external_senders entry, or the key in the
  // content of a new_member_* sender. Any error counts as an unknown sender
  // (MLS-V-FRAME-005).
  std::function<Result<Bytes>(const FramedContent& content)> signature_key;
};

// MLS-V-FRAME-004: whether the sender type may send this content (a
// member anything; external senders some proposals; new members an Add
// proposal or a commit). Also used by PublicGroup.
Status check_sender_fits_content(const FramedContent& content);

// The checks of a PublicMessage that need no key: MLS-V-FRAME-001, 002,
// 003, 004, 007, and a membership tag present exactly for member senders
// (its value is MLS-V-FRAME-006 too). Also used by PublicGroup.
Status check_public_framing(const PublicMessage& message, const GroupContext& context);

class MessageProtection {
 public:
  // The framing state of the epoch described by `context`. Errc::
  // invalid_argument when the context is of another suite or a secret is
  // not KDF.Nh bytes.
  static Result<MessageProtection> create(const CipherSuite& suite, GroupContext context,
                                          SecretBytes membership_key,
                                          SecretBytes sender_data_secret, SecretTree secret_tree);
  // The same from the epoch's key schedule, with a secret tree of n_leaves
  // leaves (a power of two: the width of the ratchet tree).
  static Result<MessageProtection> create(const KeySchedule& keys, GroupContext context,
                                          uint32_t n_leaves, SecretTreeLimits limits = {});

  MessageProtection(MessageProtection&&) noexcept = default;
  MessageProtection& operator=(MessageProtection&&) noexcept = default;
  MessageProtection(const MessageProtection&) = delete;
  MessageProtection& operator=(const MessageProtection&) = delete;
  ~MessageProtection() = default;

  const CipherSuite& suite() const { return suite_; }
  const GroupContext& group_context() const { return context_; }
  const SecretTree& secret_tree() const { return secret_tree_; }

  // Section 6.1: auth.signature = SignWithLabel(key, "FramedContentTBS",
  // FramedContentTBS{wire_format, content, this epoch's GroupContext for
  // member and new_member_commit senders}); no confirmation tag yet.
  Result<AuthenticatedContent> sign(WireFormat wire_format, FramedContent content,
                                    const crypto::SignaturePrivateKey& key) const;
  // Checks auth.signature of `content` against `signature_key` (wire
  // form); Errc::invalid_signature (MLS-V-FRAME-008).
  Status verify_signature(const AuthenticatedContent& content, BytesView signature_key) const;

  // Section 6.2. `content` must be of wire format mls_public_message, of
  // this group and epoch, with a confirmation tag exactly for a commit
  // (Errc::invalid_argument otherwise); application data is refused with
  // Errc::invalid_wire_format (MLS-V-FRAME-001).
  Result<PublicMessage> protect_public(const AuthenticatedContent& content) const;
  // Checks MLS-V-FRAME-001..008 and returns the authenticated content.
  Result<AuthenticatedContent> unprotect_public(const PublicMessage& message,
                                                const SenderLookup& senders) const;

  // Section 6.3. `content` must be of wire format mls_private_message, from
  // a member sender (Errc::invalid_wire_format otherwise), of this group
  // and epoch, with a confirmation tag exactly for a commit. Uses the next
  // generation of the sender's handshake (proposal, commit) or application
  // ratchet and appends padding_length zero bytes to the plaintext.
  Result<PrivateMessage> protect_private(const AuthenticatedContent& content,
                                         size_t padding_length = 0);
  // Checks MLS-V-FRAME-002, 003, 005, 007..012 and MLS-V-ST-001..003, and
  // returns the authenticated content (wire format mls_private_message,
  // sender the member named in SenderData). See "State" above.
  Result<AuthenticatedContent> unprotect_private(const PrivateMessage& message,
                                                 const SenderLookup& senders);

 private:
  MessageProtection(const CipherSuite& suite, GroupContext context, SecretBytes membership_key,
                    SecretBytes sender_data_secret, SecretTree secret_tree);

  // Sender-side checks shared by both protect functions.
  Status check_outgoing(const AuthenticatedContent& content, WireFormat wire_format) const;
  // MLS-V-FRAME-005 (key lookup) and MLS-V-FRAME-008.
  Status verify_sender_signature(const AuthenticatedContent& content,
                                 const SenderLookup& senders) const;

  CipherSuite suite_;
  GroupContext context_;
  SecretBytes membership_key_;
  SecretBytes sender_data_secret_;
  SecretTree secret_tree_;
};

}  // namespace conclave::mls
