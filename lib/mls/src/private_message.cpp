#include "conclave/mls/private_message.h"

#include <algorithm>

namespace conclave::mls {

Bytes encode(const PrivateMessageContent& content) {
  codec::Writer w;
  codec::encode_variant_body(w, content.content);
  content.auth.encode(w);
  for (size_t i = 0; i < content.padding_length; ++i) w.write_u8(0);
  return w.take();
}

Result<PrivateMessageContent> decode_private_message_content(BytesView plaintext,
                                                             ContentType content_type) {
  codec::Reader r(plaintext);
  PrivateMessageContent out;
  CV_TRY(out.content, codec::decode_variant_body<MessageContent>(r, content_type));
  CV_TRY(out.auth, FramedContentAuthData::decode(r, content_type));
  const BytesView padding = r.rest();
  if (!std::all_of(padding.begin(), padding.end(), [](uint8_t b) { return b == 0; })) {
    return Error(codec::Errc::invalid_value, "padding");
  }
  out.padding_length = padding.size();
  return out;
}

Bytes encode(const PrivateMessage& message) {
  return codec::encode(message);
}

Bytes encode(const SenderData& sender_data) {
  return codec::encode(sender_data);
}

Result<PrivateMessage> decode_private_message(BytesView data) {
  return codec::decode<PrivateMessage>(data);
}

Result<SenderData> decode_sender_data(BytesView data) {
  return codec::decode<SenderData>(data);
}

Bytes encode_sender_data_aad(BytesView group_id, uint64_t epoch, ContentType content_type) {
  codec::Writer w;
  w.write_opaque(group_id);
  w.write_u64(epoch);
  codec::encode(w, content_type);
  return w.take();
}

Bytes encode_private_content_aad(BytesView group_id, uint64_t epoch, ContentType content_type,
                                 BytesView authenticated_data) {
  codec::Writer w;
  w.write_opaque(group_id);
  w.write_u64(epoch);
  codec::encode(w, content_type);
  w.write_opaque(authenticated_data);
  return w.take();
}

}  // namespace conclave::mls
