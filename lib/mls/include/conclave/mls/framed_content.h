// Message framing (RFC 9420 section 6): who sent a message (Sender), what it
// carries (FramedContent: application data, a Proposal or a Commit), its
// authentication (FramedContentAuthData) and the combination of both with
// the wire format (AuthenticatedContent), plus the encodings derived from
// them for signatures and transcript hashes.
//
//   FramedContent ──sign FramedContentTBS──> FramedContentAuthData
//        └──────────────┬──────────────────────────┘
//               AuthenticatedContent ──> PublicMessage / PrivateMessage
//
// FramedContentAuthData has no codec of its own: whether it carries a
// confirmation_tag depends on the content type of the FramedContent next to
// it (present exactly for commits). AuthenticatedContent, PublicMessage and
// PrivateMessageContent therefore have custom codecs that pass the content
// type along.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/commit.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/proposal.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     SenderType sender_type;
//     select (Sender.sender_type) {
//         case member:
//             uint32 leaf_index;
//         case external:
//             uint32 sender_index;
//         case new_member_commit:
//         case new_member_proposal:
//             struct{};
//     };
// } Sender;
struct Sender {
  struct Member {
    static constexpr SenderType kType = SenderType::member;
    LeafIndex leaf_index;
    CV_TLS_FIELDS(leaf_index)
    bool operator==(const Member&) const = default;
  };
  struct External {
    static constexpr SenderType kType = SenderType::external;
    // Index into the external_senders group context extension.
    uint32_t sender_index = 0;
    CV_TLS_FIELDS(sender_index)
    bool operator==(const External&) const = default;
  };
  using NewMemberProposal = EmptyArm<SenderType::new_member_proposal>;
  using NewMemberCommit = EmptyArm<SenderType::new_member_commit>;

  std::variant<Member, External, NewMemberProposal, NewMemberCommit> sender;
  CV_TLS_FIELDS(sender)
  bool operator==(const Sender&) const = default;

  SenderType sender_type() const { return codec::variant_tag(sender); }
  // The leaf index of a member sender, or nullopt.
  std::optional<LeafIndex> leaf_index() const {
    const auto* member = std::get_if<Member>(&sender);
    return member != nullptr ? std::optional<LeafIndex>(member->leaf_index) : std::nullopt;
  }

  static Sender member(LeafIndex leaf) { return {Member{leaf}}; }
  static Sender external(uint32_t sender_index) { return {External{sender_index}}; }
  static Sender new_member_proposal() { return {NewMemberProposal{}}; }
  static Sender new_member_commit() { return {NewMemberCommit{}}; }
};

// case application: opaque application_data<V>;
struct ApplicationData {
  static constexpr ContentType kType = ContentType::application;
  Bytes application_data;
  CV_TLS_FIELDS(application_data)
  bool operator==(const ApplicationData&) const = default;
};

// The select (content_type) { application / proposal / commit } shared by
// FramedContent and PrivateMessageContent.
using MessageContent = std::variant<ApplicationData, Proposal, Commit>;

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     Sender sender;
//     opaque authenticated_data<V>;
//
//     ContentType content_type;
//     select (FramedContent.content_type) {
//         case application:
//           opaque application_data<V>;
//         case proposal:
//           Proposal proposal;
//         case commit:
//           Commit commit;
//     };
// } FramedContent;
struct FramedContent {
  Bytes group_id;
  uint64_t epoch = 0;
  Sender sender;
  Bytes authenticated_data;
  MessageContent content;
  CV_TLS_FIELDS(group_id, epoch, sender, authenticated_data, content)
  bool operator==(const FramedContent&) const = default;

  ContentType content_type() const { return codec::variant_tag(content); }
};

// opaque MAC<V>;
//
// struct {
//     /* SignWithLabel(., "FramedContentTBS", FramedContentTBS) */
//     opaque signature<V>;
//     select (FramedContent.content_type) {
//         case commit:
//             /*
//               MAC(confirmation_key,
//                   GroupContext.confirmed_transcript_hash)
//             */
//             MAC confirmation_tag;
//         case application:
//         case proposal:
//             struct{};
//     };
// } FramedContentAuthData;
struct FramedContentAuthData {
  Bytes signature;
  // Present exactly when the content type is commit.
  std::optional<MAC> confirmation_tag;
  bool operator==(const FramedContentAuthData&) const = default;

  // Writes the signature, then the confirmation tag when there is one.
  void encode(codec::Writer& w) const;
  // Reads the signature and, for content_type commit, the confirmation tag.
  static Result<FramedContentAuthData> decode(codec::Reader& r, ContentType content_type);
};

// struct {
//     WireFormat wire_format;
//     FramedContent content;
//     FramedContentAuthData auth;
// } AuthenticatedContent;
//
// Not sent as such: it is what PublicMessage / PrivateMessage protect, and
// the input of ProposalRef (RefHash "MLS 1.0 Proposal Reference") and of the
// transcript hashes.
struct AuthenticatedContent {
  WireFormat wire_format = WireFormat::mls_public_message;
  FramedContent content;
  FramedContentAuthData auth;
  bool operator==(const AuthenticatedContent&) const = default;

  void tls_encode(codec::Writer& w) const;
  Status tls_decode(codec::Reader& r);
};

// Wire encodings (instantiated in framed_content.cpp).
Bytes encode(const Sender& sender);
Bytes encode(const FramedContent& content);
Bytes encode(const AuthenticatedContent& content);
Result<FramedContent> decode_framed_content(BytesView data);
Result<AuthenticatedContent> decode_authenticated_content(BytesView data);

// struct {
//     ProtocolVersion version = mls10;
//     WireFormat wire_format;
//     FramedContent content;
//     select (FramedContentTBS.content.sender.sender_type) {
//         case member:
//         case new_member_commit:
//             GroupContext context;
//         case external:
//         case new_member_proposal:
//             struct{};
//     };
// } FramedContentTBS;
//
// The content signed in FramedContentAuthData.signature. `context` is
// written only for member and new_member_commit senders and must then be
// non-null (CV_CHECK); it is ignored for the other senders.
void encode_framed_content_tbs(codec::Writer& w, WireFormat wire_format,
                               const FramedContent& content, const GroupContext* context);
Bytes encode_framed_content_tbs(WireFormat wire_format, const FramedContent& content,
                                const GroupContext* context);

// struct {
//     WireFormat wire_format;
//     FramedContent content; /* with content_type == commit */
//     opaque signature<V>;
// } ConfirmedTranscriptHashInput;
Bytes encode_confirmed_transcript_hash_input(WireFormat wire_format, const FramedContent& content,
                                             BytesView signature);
inline Bytes encode_confirmed_transcript_hash_input(const AuthenticatedContent& content) {
  return encode_confirmed_transcript_hash_input(content.wire_format, content.content,
                                                content.auth.signature);
}

// struct {
//     MAC confirmation_tag;
// } InterimTranscriptHashInput;
Bytes encode_interim_transcript_hash_input(BytesView confirmation_tag);

}  // namespace conclave::mls
