// LeafNode (RFC 9420 section 7.2): a member's public state in the ratchet
// tree (encryption key, signature key, credential, capabilities,
// extensions), signed by the member.
//
// leaf_node_source selects what the node carries and how it was made:
//
//   key_package  Lifetime            in a KeyPackage
//   update       nothing             in an Update proposal
//   commit       opaque parent_hash  in a Commit's UpdatePath
//
// The signature covers LeafNodeTBS, which adds the group_id and leaf_index
// for the update and commit sources (encode_leaf_node_tbs). Capability
// lists keep unknown and GREASE values as they are.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/credential.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     ProtocolVersion versions<V>;
//     CipherSuite cipher_suites<V>;
//     ExtensionType extensions<V>;
//     ProposalType proposals<V>;
//     CredentialType credentials<V>;
// } Capabilities;
struct Capabilities {
  std::vector<ProtocolVersion> versions;
  std::vector<CipherSuiteId> cipher_suites;
  std::vector<ExtensionType> extensions;
  std::vector<ProposalType> proposals;
  std::vector<CredentialType> credentials;
  CV_TLS_FIELDS(versions, cipher_suites, extensions, proposals, credentials)
  bool operator==(const Capabilities&) const = default;
};

// struct {
//     uint64 not_before;
//     uint64 not_after;
// } Lifetime;
//
// Also the `case key_package:` arm of LeafNode.leaf_node_source.
struct Lifetime {
  static constexpr LeafNodeSource kType = LeafNodeSource::key_package;
  uint64_t not_before = 0;
  uint64_t not_after = 0;
  CV_TLS_FIELDS(not_before, not_after)
  bool operator==(const Lifetime&) const = default;
};

// case update: struct{};
using LeafNodeUpdateSource = EmptyArm<LeafNodeSource::update>;

// case commit: opaque parent_hash<V>;
struct LeafNodeCommitSource {
  static constexpr LeafNodeSource kType = LeafNodeSource::commit;
  Bytes parent_hash;
  CV_TLS_FIELDS(parent_hash)
  bool operator==(const LeafNodeCommitSource&) const = default;
};

// struct {
//     HPKEPublicKey encryption_key;
//     SignaturePublicKey signature_key;
//     Credential credential;
//     Capabilities capabilities;
//
//     LeafNodeSource leaf_node_source;
//     select (LeafNode.leaf_node_source) {
//         case key_package:
//             Lifetime lifetime;
//
//         case update:
//             struct{};
//
//         case commit:
//             opaque parent_hash<V>;
//     };
//
//     Extension extensions<V>;
//     /* SignWithLabel(., "LeafNodeTBS", LeafNodeTBS) */
//     opaque signature<V>;
// } LeafNode;
struct LeafNode {
  // Its tag as an arm of Node (ratchet_tree_node.h).
  static constexpr NodeType kType = NodeType::leaf;

  HPKEPublicKey encryption_key;
  SignaturePublicKey signature_key;
  Credential credential;
  Capabilities capabilities;
  std::variant<Lifetime, LeafNodeUpdateSource, LeafNodeCommitSource> source;
  std::vector<Extension> extensions;
  Bytes signature;
  CV_TLS_FIELDS(encryption_key, signature_key, credential, capabilities, source, extensions,
                signature)
  bool operator==(const LeafNode&) const = default;

  LeafNodeSource leaf_node_source() const { return codec::variant_tag(source); }
  // The lifetime (key_package source) or nullptr.
  const Lifetime* lifetime() const { return std::get_if<Lifetime>(&source); }
  // The parent hash (commit source) or nullptr.
  const Bytes* parent_hash() const {
    const auto* commit = std::get_if<LeafNodeCommitSource>(&source);
    return commit != nullptr ? &commit->parent_hash : nullptr;
  }
};

// struct {
//     HPKEPublicKey encryption_key;
//     SignaturePublicKey signature_key;
//     Credential credential;
//     Capabilities capabilities;
//
//     LeafNodeSource leaf_node_source;
//     select (LeafNodeTBS.leaf_node_source) {
//         case key_package:
//             Lifetime lifetime;
//
//         case update:
//             struct{};
//
//         case commit:
//             opaque parent_hash<V>;
//     };
//
//     Extension extensions<V>;
//
//     select (LeafNodeTBS.leaf_node_source) {
//         case key_package:
//             struct{};
//
//         case update:
//             opaque group_id<V>;
//             uint32 leaf_index;
//
//         case commit:
//             opaque group_id<V>;
//             uint32 leaf_index;
//     };
// } LeafNodeTBS;
//
// The content signed in LeafNode.signature. group_id and leaf_index are
// written only for the update and commit sources and ignored for
// key_package (pass {} and LeafIndex{} there).
Bytes encode_leaf_node_tbs(const LeafNode& leaf, BytesView group_id, LeafIndex leaf_index);

// Wire encodings (instantiated in leaf_node.cpp).
Bytes encode(const LeafNode& leaf);
Result<LeafNode> decode_leaf_node(BytesView data);

}  // namespace conclave::mls
