#include "conclave/mls/framed_content.h"

namespace conclave::mls {

void FramedContentAuthData::encode(codec::Writer& w) const {
  w.write_opaque(signature);
  if (confirmation_tag.has_value()) w.write_opaque(*confirmation_tag);
}

Result<FramedContentAuthData> FramedContentAuthData::decode(codec::Reader& r,
                                                            ContentType content_type) {
  const size_t start = r.position();
  FramedContentAuthData out;
  auto signature = codec::decode<Bytes>(r);
  if (!signature.ok()) return codec::detail::name_field(signature.error(), "signature", 0);
  out.signature = std::move(signature).value();
  if (content_type == ContentType::commit) {
    auto tag = codec::decode<MAC>(r);
    if (!tag.ok()) {
      r.rewind(start);
      return codec::detail::name_field(tag.error(), "confirmation_tag", 0);
    }
    out.confirmation_tag = std::move(tag).value();
  }
  return out;
}

void AuthenticatedContent::tls_encode(codec::Writer& w) const {
  codec::encode(w, wire_format);
  codec::encode(w, content);
  auth.encode(w);
}

Status AuthenticatedContent::tls_decode(codec::Reader& r) {
  CV_TRY(wire_format, codec::decode<WireFormat>(r));
  CV_TRY(content, codec::decode<FramedContent>(r));
  CV_TRY(auth, FramedContentAuthData::decode(r, content.content_type()));
  return {};
}

Bytes encode(const Sender& sender) {
  return codec::encode(sender);
}

Bytes encode(const FramedContent& content) {
  return codec::encode(content);
}

Bytes encode(const AuthenticatedContent& content) {
  return codec::encode(content);
}

Result<FramedContent> decode_framed_content(BytesView data) {
  return codec::decode<FramedContent>(data);
}

Result<AuthenticatedContent> decode_authenticated_content(BytesView data) {
  return codec::decode<AuthenticatedContent>(data);
}

void encode_framed_content_tbs(codec::Writer& w, WireFormat wire_format,
                               const FramedContent& content, const GroupContext* context) {
  codec::encode(w, ProtocolVersion::mls10);
  codec::encode(w, wire_format);
  codec::encode(w, content);
  switch (content.sender.sender_type()) {
    case SenderType::member:
    case SenderType::new_member_commit:
      CV_CHECK(context != nullptr);
      codec::encode(w, *context);
      break;
    case SenderType::external:
    case SenderType::new_member_proposal:
    case SenderType::reserved:
      break;
  }
}

Bytes encode_framed_content_tbs(WireFormat wire_format, const FramedContent& content,
                                const GroupContext* context) {
  codec::Writer w;
  encode_framed_content_tbs(w, wire_format, content, context);
  return w.take();
}

Bytes encode_confirmed_transcript_hash_input(WireFormat wire_format, const FramedContent& content,
                                             BytesView signature) {
  codec::Writer w;
  codec::encode(w, wire_format);
  codec::encode(w, content);
  w.write_opaque(signature);
  return w.take();
}

Bytes encode_interim_transcript_hash_input(BytesView confirmation_tag) {
  codec::Writer w;
  w.write_opaque(confirmation_tag);
  return w.take();
}

}  // namespace conclave::mls
