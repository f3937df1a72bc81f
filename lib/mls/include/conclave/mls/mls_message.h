// MLSMessage (RFC 9420 section 6): the envelope of everything MLS sends,
// a protocol version and a wire format selecting the body.
//
//   wire_format            body
//   mls_public_message     PublicMessage   (handshake, signed)
//   mls_private_message    PrivateMessage  (handshake or application, encrypted)
//   mls_welcome            Welcome
//   mls_group_info         GroupInfo
//   mls_key_package        KeyPackage
//
//   CV_TRY(MLSMessage msg, decode_mls_message(bytes));   // all bytes consumed
//   if (const auto* pub = msg.public_message()) { ... }
//
// Decoding is structural: an unknown wire format, an unknown proposal,
// credential, sender or content type, a malformed length or trailing bytes
// fail with a codec::Errc; unknown extension types and unknown values in
// capability lists decode and re-encode unchanged. encode(decode(x)) == x
// for every x that decodes. The version is not checked here (that is the
// MLS layer's first validation rule).
#pragma once

#include <variant>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/group_info.h"
#include "conclave/mls/key_package.h"
#include "conclave/mls/private_message.h"
#include "conclave/mls/public_message.h"
#include "conclave/mls/types.h"
#include "conclave/mls/welcome.h"

namespace conclave::mls {

// struct {
//     ProtocolVersion version = mls10;
//     WireFormat wire_format;
//     select (MLSMessage.wire_format) {
//         case mls_public_message:
//             PublicMessage public_message;
//         case mls_private_message:
//             PrivateMessage private_message;
//         case mls_welcome:
//             Welcome welcome;
//         case mls_group_info:
//             GroupInfo group_info;
//         case mls_key_package:
//             KeyPackage key_package;
//     };
// } MLSMessage;
struct MLSMessage {
  ProtocolVersion version = ProtocolVersion::mls10;
  std::variant<PublicMessage, PrivateMessage, Welcome, GroupInfo, KeyPackage> message;
  CV_TLS_FIELDS(version, message)
  bool operator==(const MLSMessage&) const = default;

  WireFormat wire_format() const { return codec::variant_tag(message); }

  // The body of that wire format, or nullptr.
  const PublicMessage* public_message() const { return std::get_if<PublicMessage>(&message); }
  const PrivateMessage* private_message() const { return std::get_if<PrivateMessage>(&message); }
  const Welcome* welcome() const { return std::get_if<Welcome>(&message); }
  const GroupInfo* group_info() const { return std::get_if<GroupInfo>(&message); }
  const KeyPackage* key_package() const { return std::get_if<KeyPackage>(&message); }
};

Bytes encode(const MLSMessage& message);
Result<MLSMessage> decode_mls_message(BytesView data);

}  // namespace conclave::mls
