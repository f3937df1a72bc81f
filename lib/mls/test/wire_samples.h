// Sample MLS wire structs for the codec tests: every field non-empty and
// distinct, so that a field written twice, dropped or swapped changes the
// encoding. The values are structurally valid only (no real keys or
// signatures).
#pragma once

#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/mls/commit.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/group_info.h"
#include "conclave/mls/key_package.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/proposal.h"
#include "conclave/mls/public_message.h"
#include "conclave/mls/welcome.h"

namespace conclave::mls::samples {

// n bytes counting up from `first`.
inline Bytes bytes(uint8_t first, size_t n) {
  Bytes out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(first + i);
  return out;
}

inline LeafNode leaf_node(LeafNodeSource source) {
  LeafNode leaf;
  leaf.encryption_key = bytes(0x10, 32);
  leaf.signature_key = bytes(0x30, 32);
  leaf.credential = Credential::basic(to_bytes("alice"));
  leaf.capabilities.versions = {ProtocolVersion::mls10};
  leaf.capabilities.cipher_suites = {CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519,
                                     static_cast<CipherSuiteId>(0x0A0A)};
  leaf.capabilities.extensions = {static_cast<ExtensionType>(0x1A1A)};
  leaf.capabilities.proposals = {static_cast<ProposalType>(0x2A2A)};
  leaf.capabilities.credentials = {CredentialType::basic, CredentialType::x509};
  switch (source) {
    case LeafNodeSource::key_package:
      leaf.source = Lifetime{1, 0xFFFFFFFFFFFFFFFF};
      break;
    case LeafNodeSource::update:
      leaf.source = LeafNodeUpdateSource{};
      break;
    case LeafNodeSource::commit:
    case LeafNodeSource::reserved:
      leaf.source = LeafNodeCommitSource{bytes(0x50, 32)};
      break;
  }
  leaf.extensions = {Extension{static_cast<ExtensionType>(0x1A1A), bytes(0x60, 3)}};
  leaf.signature = bytes(0x70, 64);
  return leaf;
}

inline KeyPackage key_package() {
  KeyPackage kp;
  kp.cipher_suite = CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519;
  kp.init_key = bytes(0x80, 32);
  kp.leaf_node = leaf_node(LeafNodeSource::key_package);
  kp.extensions = {Extension{static_cast<ExtensionType>(0x3A3A), {}}};
  kp.signature = bytes(0x90, 64);
  return kp;
}

inline GroupContext group_context() {
  GroupContext gc;
  gc.cipher_suite = CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519;
  gc.group_id = to_bytes("group");
  gc.epoch = 7;
  gc.tree_hash = bytes(0xA0, 32);
  gc.confirmed_transcript_hash = bytes(0xC0, 32);
  gc.extensions = {make_extension(
      ExternalSenders{{ExternalSender{bytes(0xE0, 32), Credential::basic(to_bytes("server"))}}})};
  return gc;
}

inline Commit commit_with_path() {
  Commit commit;
  commit.proposals.push_back(ProposalOrRef{Proposal{Remove{LeafIndex{3}}}});
  commit.proposals.push_back(ProposalOrRef{ProposalRef(bytes(0x11, 32))});
  commit.proposals.push_back(ProposalOrRef{Proposal{Add{key_package()}}});
  UpdatePath path;
  path.leaf_node = leaf_node(LeafNodeSource::commit);
  path.nodes.push_back(UpdatePathNode{
      bytes(0x21, 32),
      {HPKECiphertext{bytes(1, 32), bytes(2, 48)}, HPKECiphertext{bytes(3, 32), bytes(4, 48)}}});
  commit.path = path;
  return commit;
}

inline FramedContent framed_content(Sender sender, MessageContent content) {
  FramedContent fc;
  fc.group_id = to_bytes("group");
  fc.epoch = 7;
  fc.sender = sender;
  fc.authenticated_data = to_bytes("aad");
  fc.content = std::move(content);
  return fc;
}

// A PublicMessage from a member committing, with its membership tag.
inline PublicMessage public_commit() {
  PublicMessage msg;
  msg.content = framed_content(Sender::member(LeafIndex{1}), commit_with_path());
  msg.auth.signature = bytes(0x31, 64);
  msg.auth.confirmation_tag = bytes(0x41, 32);
  msg.membership_tag = bytes(0x51, 32);
  return msg;
}

inline GroupInfo group_info() {
  GroupInfo gi;
  gi.group_context = group_context();
  gi.extensions = {make_extension(ExternalPub{bytes(0x61, 32)})};
  gi.confirmation_tag = bytes(0x71, 32);
  gi.signer = LeafIndex{2};
  gi.signature = bytes(0x81, 64);
  return gi;
}

inline Welcome welcome() {
  Welcome w;
  w.cipher_suite = CipherSuiteId::mls_128_dhkemx25519_chacha20poly1305_sha256_ed25519;
  w.secrets.push_back(
      EncryptedGroupSecrets{bytes(0x91, 32), HPKECiphertext{bytes(0xA1, 32), bytes(0xB1, 80)}});
  w.encrypted_group_info = bytes(0xC1, 100);
  return w;
}

}  // namespace conclave::mls::samples
