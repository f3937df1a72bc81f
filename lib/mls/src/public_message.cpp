#include "conclave/mls/public_message.h"

namespace conclave::mls {

void PublicMessage::tls_encode(codec::Writer& w) const {
  codec::encode(w, content);
  auth.encode(w);
  if (membership_tag.has_value()) w.write_opaque(*membership_tag);
}

Status PublicMessage::tls_decode(codec::Reader& r) {
  CV_TRY(content, codec::decode<FramedContent>(r));
  CV_TRY(auth, FramedContentAuthData::decode(r, content.content_type()));
  membership_tag.reset();
  if (content.sender.sender_type() == SenderType::member) {
    auto tag = codec::decode<MAC>(r);
    if (!tag.ok()) return codec::detail::name_field(tag.error(), "membership_tag", 0);
    membership_tag = std::move(tag).value();
  }
  return {};
}

AuthenticatedContent PublicMessage::authenticated_content() const {
  return AuthenticatedContent{WireFormat::mls_public_message, content, auth};
}

Bytes encode_authenticated_content_tbm(const FramedContent& content,
                                       const FramedContentAuthData& auth,
                                       const GroupContext& context) {
  codec::Writer w;
  encode_framed_content_tbs(w, WireFormat::mls_public_message, content, &context);
  auth.encode(w);
  return w.take();
}

Bytes encode(const PublicMessage& message) {
  return codec::encode(message);
}

Result<PublicMessage> decode_public_message(BytesView data) {
  return codec::decode<PublicMessage>(data);
}

}  // namespace conclave::mls
