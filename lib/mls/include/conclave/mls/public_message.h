// PublicMessage (RFC 9420 section 6.2): a FramedContent sent signed but not
// encrypted, with a membership tag (MAC over AuthenticatedContentTBM with
// the epoch's membership_key) when the sender is a member.
//
// Decoding enforces the layout: a confirmation_tag exactly for commits, a
// membership_tag exactly for member senders (a missing one is truncated
// input, an extra one trailing data). Checking the tags and the signature
// is the MLS layer's job.
#pragma once

#include <optional>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     FramedContent content;
//     FramedContentAuthData auth;
//     select (PublicMessage.content.sender.sender_type) {
//         case member:
//             MAC membership_tag;
//         case external:
//         case new_member_commit:
//         case new_member_proposal:
//             struct{};
//     };
// } PublicMessage;
struct PublicMessage {
  // Its tag as an arm of MLSMessage.
  static constexpr WireFormat kType = WireFormat::mls_public_message;

  FramedContent content;
  FramedContentAuthData auth;
  // Present exactly when content.sender is a member (written when present).
  std::optional<MAC> membership_tag;
  bool operator==(const PublicMessage&) const = default;

  void tls_encode(codec::Writer& w) const;
  Status tls_decode(codec::Reader& r);

  // The AuthenticatedContent this message carries (wire format public).
  AuthenticatedContent authenticated_content() const;
};

// struct {
//   FramedContentTBS content_tbs;
//   FramedContentAuthData auth;
// } AuthenticatedContentTBM;
//
// The input of membership_tag = MAC(membership_key, AuthenticatedContentTBM),
// for a member sender (so `context` is required).
Bytes encode_authenticated_content_tbm(const FramedContent& content,
                                       const FramedContentAuthData& auth,
                                       const GroupContext& context);

// Wire encodings (instantiated in public_message.cpp).
Bytes encode(const PublicMessage& message);
Result<PublicMessage> decode_public_message(BytesView data);

}  // namespace conclave::mls
