// The code points and small aliases shared by every MLS wire struct
// (RFC 9420 sections 6, 7, 12 and the IANA registries of section 17).
//
// Enums mirror the RFC names (ContentType::commit, WireFormat::mls_welcome,
// SenderType::new_member_proposal). Registries whose values the RFC asks
// receivers to tolerate when unknown (cipher suites, extension types,
// proposal types and credential types in capability lists, GREASE values)
// are plain uint16 enums: any value decodes and round-trips. Where a value
// selects the layout of what follows (a select() tag), an unknown value is
// rejected by the codec as unknown_variant, since the rest of the message
// cannot be parsed.
//
// The opaque aliases (HPKEPublicKey, MAC, KeyPackageRef, ...) are all
// `opaque x<V>` on the wire; they exist so that struct declarations read
// like the RFC.
#pragma once

#include <cstdint>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/codec/reader.h"
#include "conclave/codec/writer.h"

namespace conclave::mls {

// enum { reserved(0), mls10(1), (65535) } ProtocolVersion;
enum class ProtocolVersion : uint16_t {
  reserved = 0,
  mls10 = 1,
};

// uint16 CipherSuite; (the seven suites of RFC 9420 section 17.1). Other
// values (GREASE, private use, future suites) decode and re-encode as is.
enum class CipherSuiteId : uint16_t {
  reserved = 0,
  mls_128_dhkemx25519_aes128gcm_sha256_ed25519 = 0x0001,
  mls_128_dhkemp256_aes128gcm_sha256_p256 = 0x0002,
  mls_128_dhkemx25519_chacha20poly1305_sha256_ed25519 = 0x0003,
  mls_256_dhkemx448_aes256gcm_sha512_ed448 = 0x0004,
  mls_256_dhkemp521_aes256gcm_sha512_p521 = 0x0005,
  mls_256_dhkemx448_chacha20poly1305_sha512_ed448 = 0x0006,
  mls_256_dhkemp384_aes256gcm_sha384_p384 = 0x0007,
};

// enum { reserved(0), application(1), proposal(2), commit(3), (255) } ContentType;
enum class ContentType : uint8_t {
  reserved = 0,
  application = 1,
  proposal = 2,
  commit = 3,
};
// Only application, proposal and commit decode where a ContentType is a
// plain field (PrivateMessage, SenderDataAAD, PrivateContentAAD).
constexpr bool tls_valid(ContentType t) {
  return t == ContentType::application || t == ContentType::proposal || t == ContentType::commit;
}

// enum { reserved(0), member(1), external(2), new_member_proposal(3),
//        new_member_commit(4), (255) } SenderType;
enum class SenderType : uint8_t {
  reserved = 0,
  member = 1,
  external = 2,
  new_member_proposal = 3,
  new_member_commit = 4,
};

// uint16 WireFormat; ("MLS Wire Formats" registry)
enum class WireFormat : uint16_t {
  reserved = 0,
  mls_public_message = 0x0001,
  mls_private_message = 0x0002,
  mls_welcome = 0x0003,
  mls_group_info = 0x0004,
  mls_key_package = 0x0005,
};

// uint16 ExtensionType; ("MLS Extension Types" registry). Unknown values,
// GREASE included, are kept: extension lists are (type, opaque data) pairs.
enum class ExtensionType : uint16_t {
  reserved = 0,
  application_id = 0x0001,
  ratchet_tree = 0x0002,
  required_capabilities = 0x0003,
  external_pub = 0x0004,
  external_senders = 0x0005,
};

// uint16 ProposalType; ("MLS Proposal Types" registry). Any value decodes
// in a capabilities list; as a Proposal tag only the seven below do.
enum class ProposalType : uint16_t {
  reserved = 0,
  add = 0x0001,
  update = 0x0002,
  remove = 0x0003,
  psk = 0x0004,
  reinit = 0x0005,
  external_init = 0x0006,
  group_context_extensions = 0x0007,
};

// uint16 CredentialType; ("MLS Credential Types" registry). Any value
// decodes in a capabilities list; as a Credential tag only basic and x509.
enum class CredentialType : uint16_t {
  reserved = 0,
  basic = 0x0001,
  x509 = 0x0002,
};

// enum { reserved(0), key_package(1), update(2), commit(3), (255) } LeafNodeSource;
enum class LeafNodeSource : uint8_t {
  reserved = 0,
  key_package = 1,
  update = 2,
  commit = 3,
};

// enum { reserved(0), leaf(1), parent(2), (255) } NodeType;
enum class NodeType : uint8_t {
  reserved = 0,
  leaf = 1,
  parent = 2,
};

// enum { reserved(0), external(1), resumption(2), (255) } PSKType;
enum class PSKType : uint8_t {
  reserved = 0,
  external = 1,
  resumption = 2,
};

// enum { reserved(0), application(1), reinit(2), branch(3), (255) } ResumptionPSKUsage;
enum class ResumptionPSKUsage : uint8_t {
  reserved = 0,
  application = 1,
  reinit = 2,
  branch = 3,
};

// enum { reserved(0), proposal(1), reference(2), (255) } ProposalOrRefType;
enum class ProposalOrRefType : uint8_t {
  reserved = 0,
  proposal = 1,
  reference = 2,
};

// opaque HPKEPublicKey<V>;
using HPKEPublicKey = Bytes;
// opaque SignaturePublicKey<V>;
using SignaturePublicKey = Bytes;
// opaque MAC<V>;
using MAC = Bytes;
// opaque HashReference<V>; HashReference KeyPackageRef; HashReference ProposalRef;
using HashReference = Bytes;
using KeyPackageRef = HashReference;
using ProposalRef = HashReference;

// struct{}: the empty arm of a select(), tagged for use in a variant
// (Sender's new_member_* cases, LeafNode's update source).
template <auto Tag>
struct EmptyArm {
  static constexpr auto kType = Tag;
  void tls_encode(codec::Writer& /*w*/) const {}
  Status tls_decode(codec::Reader& /*r*/) { return {}; }
  bool operator==(const EmptyArm&) const = default;
};

// The GREASE code points of every uint16 registry (RFC 9420 section 13.5):
// 0x0A0A, 0x1A1A, ..., 0xEAEA.
constexpr bool is_grease(uint16_t value) {
  return (value & 0x0F0Fu) == 0x0A0Au && (value >> 12) == ((value >> 4) & 0x0Fu) &&
         (value >> 12) <= 0x0Eu;
}

// Lower-case RFC names, for logs and error details ("unknown" otherwise).
std::string_view to_string(ContentType t);
std::string_view to_string(SenderType t);
std::string_view to_string(WireFormat t);
std::string_view to_string(ProposalType t);

}  // namespace conclave::mls
