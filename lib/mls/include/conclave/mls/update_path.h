// UpdatePath (RFC 9420 section 7.6): the committer's new leaf and, for each
// node of its filtered direct path, a new public key and the path secret
// encrypted (HPKE) to every node of the copath node's resolution.
#pragma once

#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     opaque kem_output<V>;
//     opaque ciphertext<V>;
// } HPKECiphertext;
struct HPKECiphertext {
  Bytes kem_output;
  Bytes ciphertext;
  CV_TLS_FIELDS(kem_output, ciphertext)
  bool operator==(const HPKECiphertext&) const = default;
};

// struct {
//     HPKEPublicKey encryption_key;
//     HPKECiphertext encrypted_path_secret<V>;
// } UpdatePathNode;
struct UpdatePathNode {
  HPKEPublicKey encryption_key;
  std::vector<HPKECiphertext> encrypted_path_secret;
  CV_TLS_FIELDS(encryption_key, encrypted_path_secret)
  bool operator==(const UpdatePathNode&) const = default;
};

// struct {
//     LeafNode leaf_node;
//     UpdatePathNode nodes<V>;
// } UpdatePath;
struct UpdatePath {
  LeafNode leaf_node;
  std::vector<UpdatePathNode> nodes;
  CV_TLS_FIELDS(leaf_node, nodes)
  bool operator==(const UpdatePath&) const = default;
};

// Wire encodings (instantiated in update_path.cpp).
Bytes encode(const HPKECiphertext& ciphertext);
Bytes encode(const UpdatePath& path);
Result<HPKECiphertext> decode_hpke_ciphertext(BytesView data);
Result<UpdatePath> decode_update_path(BytesView data);

}  // namespace conclave::mls
