#include "conclave/mls/ratchet_tree_node.h"

namespace conclave::mls {

Bytes encode(const Node& node) {
  return codec::encode(node);
}

Bytes encode(const RatchetTreeExtension& tree) {
  return codec::encode(tree);
}

Result<Node> decode_node(BytesView data) {
  return codec::decode<Node>(data);
}

Result<RatchetTreeExtension> decode_ratchet_tree(BytesView data) {
  return codec::decode<RatchetTreeExtension>(data);
}

Bytes encode_leaf_node_hash_input(LeafIndex leaf_index, const LeafNode* leaf) {
  codec::Writer w;
  codec::encode(w, NodeType::leaf);
  codec::encode(w, leaf_index);
  w.write_u8(leaf != nullptr ? 1 : 0);
  if (leaf != nullptr) codec::encode(w, *leaf);
  return w.take();
}

Bytes encode_parent_node_hash_input(const ParentNode* parent, BytesView left_hash,
                                    BytesView right_hash) {
  codec::Writer w;
  codec::encode(w, NodeType::parent);
  w.write_u8(parent != nullptr ? 1 : 0);
  if (parent != nullptr) codec::encode(w, *parent);
  w.write_opaque(left_hash);
  w.write_opaque(right_hash);
  return w.take();
}

Bytes encode_parent_hash_input(BytesView encryption_key, BytesView parent_hash,
                               BytesView original_sibling_tree_hash) {
  codec::Writer w;
  w.write_opaque(encryption_key);
  w.write_opaque(parent_hash);
  w.write_opaque(original_sibling_tree_hash);
  return w.take();
}

}  // namespace conclave::mls
