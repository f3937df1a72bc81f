// Members with real keys for the ratchet tree and TreeKEM tests (suite 1).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/ratchet_tree.h"

namespace conclave::mls::tree_test {

inline CipherSuite suite() {
  return CipherSuite::create(CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519).value();
}

struct Member {
  crypto::SignaturePrivateKey signer;
  crypto::DhPrivateKey hpke;
  LeafNode leaf;
};

// A member with a fresh key pair and a signed key_package-source leaf.
inline Member make_member(const std::string& name) {
  const CipherSuite s = suite();
  auto signer = s.generate_signature_key().value();
  auto hpke = s.generate_hpke_key_pair().value();
  LeafNode leaf;
  leaf.encryption_key = hpke.public_key().bytes();
  leaf.signature_key = signer.public_key().bytes();
  leaf.credential = Credential::basic(to_bytes(name));
  leaf.capabilities.versions = {ProtocolVersion::mls10};
  leaf.capabilities.cipher_suites = {s.id()};
  leaf.capabilities.credentials = {CredentialType::basic};
  leaf.source = Lifetime{0, UINT64_MAX};
  leaf.signature =
      s.sign_with_label(signer, "LeafNodeTBS", encode_leaf_node_tbs(leaf, {}, LeafIndex{})).value();
  return Member{std::move(signer), std::move(hpke), std::move(leaf)};
}

inline std::vector<Member> make_members(size_t n) {
  std::vector<Member> out;
  for (size_t i = 0; i < n; ++i) out.push_back(make_member("member" + std::to_string(i)));
  return out;
}

// A tree holding the members' leaves in order (no parents).
inline RatchetTree tree_of(const std::vector<Member>& members) {
  RatchetTree tree = RatchetTree::with_leaf(suite(), members.at(0).leaf);
  for (size_t i = 1; i < members.size(); ++i) {
    auto index = tree.add_leaf(members[i].leaf);
    EXPECT_TRUE(index.ok());
  }
  return tree;
}

}  // namespace conclave::mls::tree_test
