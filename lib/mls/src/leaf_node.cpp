#include "conclave/mls/leaf_node.h"

namespace conclave::mls {

Bytes encode_leaf_node_tbs(const LeafNode& leaf, BytesView group_id, LeafIndex leaf_index) {
  codec::Writer w;
  codec::encode(w, leaf.encryption_key);
  codec::encode(w, leaf.signature_key);
  codec::encode(w, leaf.credential);
  codec::encode(w, leaf.capabilities);
  codec::encode(w, leaf.source);
  codec::encode(w, leaf.extensions);
  switch (leaf.leaf_node_source()) {
    case LeafNodeSource::update:
    case LeafNodeSource::commit:
      w.write_opaque(group_id);
      codec::encode(w, leaf_index);
      break;
    case LeafNodeSource::key_package:
    case LeafNodeSource::reserved:
      break;
  }
  return w.take();
}

Bytes encode(const LeafNode& leaf) {
  return codec::encode(leaf);
}

Result<LeafNode> decode_leaf_node(BytesView data) {
  return codec::decode<LeafNode>(data);
}

}  // namespace conclave::mls
