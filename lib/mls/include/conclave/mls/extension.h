// Extensions (RFC 9420 sections 7.2, 12.1.7, 12.4.3, 13) and the payloads
// of the extension types the RFC defines.
//
// An Extension is an (extension_type, opaque extension_data) pair, so a list
// of extensions always decodes whatever types it holds: unknown and GREASE
// extensions are kept byte for byte. The payload of a known type is decoded
// only when asked for:
//
//   CV_TRY(std::optional<ExternalSenders> senders,
//          find_extension<ExternalSenders>(group_context.extensions));
//   Extension ext = make_extension(ExternalPub{key});
//
// Each payload struct names its type in `kExtensionType`. The payload of
// the ratchet_tree extension (RatchetTreeExtension) needs Node, so it lives
// in ratchet_tree_node.h.
//
// "Any field containing a list of extensions MUST NOT have more than one
// extension of any given type" (section 13): that is a validation rule, not
// a decoding one; has_duplicate_extension_types() lets the MLS layer check
// it.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/credential.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     ExtensionType extension_type;
//     opaque extension_data<V>;
// } Extension;
struct Extension {
  ExtensionType extension_type = ExtensionType::reserved;
  Bytes extension_data;
  CV_TLS_FIELDS(extension_type, extension_data)
  bool operator==(const Extension&) const = default;
};

// opaque application_id<V>;   (extension application_id, in LeafNodes)
struct ApplicationId {
  static constexpr ExtensionType kExtensionType = ExtensionType::application_id;
  Bytes application_id;
  CV_TLS_FIELDS(application_id)
  bool operator==(const ApplicationId&) const = default;
};

// struct {
//     ExtensionType extension_types<V>;
//     ProposalType proposal_types<V>;
//     CredentialType credential_types<V>;
// } RequiredCapabilities;
struct RequiredCapabilities {
  static constexpr ExtensionType kExtensionType = ExtensionType::required_capabilities;
  std::vector<ExtensionType> extension_types;
  std::vector<ProposalType> proposal_types;
  std::vector<CredentialType> credential_types;
  CV_TLS_FIELDS(extension_types, proposal_types, credential_types)
  bool operator==(const RequiredCapabilities&) const = default;
};

// struct {
//     HPKEPublicKey external_pub;
// } ExternalPub;
struct ExternalPub {
  static constexpr ExtensionType kExtensionType = ExtensionType::external_pub;
  HPKEPublicKey external_pub;
  CV_TLS_FIELDS(external_pub)
  bool operator==(const ExternalPub&) const = default;
};

// struct {
//   SignaturePublicKey signature_key;
//   Credential credential;
// } ExternalSender;
struct ExternalSender {
  SignaturePublicKey signature_key;
  Credential credential;
  CV_TLS_FIELDS(signature_key, credential)
  bool operator==(const ExternalSender&) const = default;
};

// ExternalSender external_senders<V>;   (extension external_senders)
struct ExternalSenders {
  static constexpr ExtensionType kExtensionType = ExtensionType::external_senders;
  std::vector<ExternalSender> external_senders;
  CV_TLS_FIELDS(external_senders)
  bool operator==(const ExternalSenders&) const = default;
};

// A payload struct of a known extension type.
template <class T>
concept ExtensionPayload = requires {
  { T::kExtensionType } -> std::convertible_to<ExtensionType>;
}
&&codec::Encodable<T>;

// The first extension of this type in the list, or nullptr.
const Extension* find_extension(std::span<const Extension> extensions, ExtensionType type);

// Whether some extension type occurs more than once (section 13: such a
// list is invalid).
bool has_duplicate_extension_types(std::span<const Extension> extensions);

// Decodes the payload of an extension; the whole extension_data must be
// consumed.
template <ExtensionPayload T>
Result<T> parse_extension(const Extension& extension) {
  return codec::decode<T>(extension.extension_data);
}

// The payload of the extension of type T::kExtensionType in the list:
// nullopt when absent, an error when present but malformed.
template <ExtensionPayload T>
Result<std::optional<T>> find_extension(std::span<const Extension> extensions) {
  const Extension* ext = find_extension(extensions, T::kExtensionType);
  if (ext == nullptr) return std::optional<T>();
  CV_TRY(T value, parse_extension<T>(*ext));
  return std::optional<T>(std::move(value));
}

// An Extension holding the encoded payload.
template <ExtensionPayload T>
Extension make_extension(const T& payload) {
  return Extension{T::kExtensionType, codec::encode(payload)};
}

}  // namespace conclave::mls
