// PrivateMessage (RFC 9420 section 6.3): a FramedContent encrypted with the
// sender's key from the secret tree, and the sender's identity (SenderData)
// encrypted with a key derived from sender_data_secret and a sample of the
// ciphertext.
//
//   PrivateMessageContent ──AEAD(key, nonce, PrivateContentAAD)──> ciphertext
//   SenderData ──AEAD(sender_data_key, sender_data_nonce, SenderDataAAD)──>
//                                                      encrypted_sender_data
//
// Only the layouts are here. PrivateMessageContent has no content_type of
// its own (it comes from the PrivateMessage), so it is decoded with
// decode_private_message_content(plaintext, content_type); its padding is
// every byte after `auth` and must be all zero.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
//     opaque authenticated_data<V>;
//     opaque encrypted_sender_data<V>;
//     opaque ciphertext<V>;
// } PrivateMessage;
struct PrivateMessage {
  // Its tag as an arm of MLSMessage.
  static constexpr WireFormat kType = WireFormat::mls_private_message;

  Bytes group_id;
  uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  Bytes authenticated_data;
  Bytes encrypted_sender_data;
  Bytes ciphertext;
  CV_TLS_FIELDS(group_id, epoch, content_type, authenticated_data, encrypted_sender_data,
                ciphertext)
  bool operator==(const PrivateMessage&) const = default;
};

// struct {
//     select (PrivateMessage.content_type) {
//         case application:
//           opaque application_data<V>;
//
//         case proposal:
//           Proposal proposal;
//
//         case commit:
//           Commit commit;
//     };
//
//     FramedContentAuthData auth;
//     opaque padding[length_of_padding];
// } PrivateMessageContent;
struct PrivateMessageContent {
  MessageContent content;
  FramedContentAuthData auth;
  // length_of_padding: the number of zero bytes after auth.
  size_t padding_length = 0;
  bool operator==(const PrivateMessageContent&) const = default;

  ContentType content_type() const { return codec::variant_tag(content); }
};

// The plaintext of PrivateMessage.ciphertext.
Bytes encode(const PrivateMessageContent& content);
// Decodes a plaintext whose content type the PrivateMessage gave. Fails with
// codec::Errc::invalid_value (detail "padding") when a padding byte is not
// zero, and with unknown_variant for a content type other than
// application, proposal and commit.
Result<PrivateMessageContent> decode_private_message_content(BytesView plaintext,
                                                             ContentType content_type);

// struct {
//     uint32 leaf_index;
//     uint32 generation;
//     opaque reuse_guard[4];
// } SenderData;
struct SenderData {
  LeafIndex leaf_index;
  uint32_t generation = 0;
  std::array<uint8_t, 4> reuse_guard{};
  CV_TLS_FIELDS(leaf_index, generation, reuse_guard)
  bool operator==(const SenderData&) const = default;
};

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
// } SenderDataAAD;
struct SenderDataAAD {
  Bytes group_id;
  uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  CV_TLS_FIELDS(group_id, epoch, content_type)
  bool operator==(const SenderDataAAD&) const = default;
};

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
//     opaque authenticated_data<V>;
// } PrivateContentAAD;
struct PrivateContentAAD {
  Bytes group_id;
  uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  Bytes authenticated_data;
  CV_TLS_FIELDS(group_id, epoch, content_type, authenticated_data)
  bool operator==(const PrivateContentAAD&) const = default;
};

// Wire encodings (instantiated in private_message.cpp).
Bytes encode(const PrivateMessage& message);
Bytes encode(const SenderData& sender_data);
Result<PrivateMessage> decode_private_message(BytesView data);
Result<SenderData> decode_sender_data(BytesView data);

// The AADs, from the PrivateMessage fields they copy (no struct copy).
Bytes encode_sender_data_aad(BytesView group_id, uint64_t epoch, ContentType content_type);
Bytes encode_private_content_aad(BytesView group_id, uint64_t epoch, ContentType content_type,
                                 BytesView authenticated_data);

}  // namespace conclave::mls
