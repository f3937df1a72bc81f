// libFuzzer target for the ratchet tree: decodes the input as a
// ratchet_tree extension (suite 1; the first input byte picks suite 1-7),
// then runs the whole join-time validation, the resolution and tree hash of
// every node, and a Remove/Add round. Hostile trees must never crash, hang
// or trip a sanitizer. Oracle: an accepted tree re-encodes to bytes that
// decode to the same tree with the same root hash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/base/bytes.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/ratchet_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto suite_id = static_cast<conclave::mls::CipherSuiteId>(1 + data[0] % 7);
  auto suite = conclave::mls::CipherSuite::create(suite_id);
  if (!suite.ok()) return 0;
  const conclave::BytesView input(data + 1, size - 1);
  auto tree = conclave::mls::RatchetTree::decode(*suite, input);
  if (!tree.ok()) return 0;
  // Bound the work per input: huge sparse trees are legal but slow to hash.
  if (tree->width() > 4096) return 0;
  (void)tree->validate(conclave::to_bytes("fuzz"));
  for (uint32_t i = 0; i < tree->width(); ++i) {
    (void)tree->resolution(conclave::mls::NodeIndex{i});
  }
  const conclave::Bytes root = tree->root_tree_hash();
  auto again = conclave::mls::RatchetTree::decode(*suite, tree->encode());
  if (!again.ok() || !(*again == *tree) || again->root_tree_hash() != root) std::abort();
  for (uint32_t i = 0; i < tree->leaf_count(); ++i) {
    const conclave::mls::LeafNode* leaf = tree->leaf(conclave::mls::LeafIndex{i});
    if (leaf == nullptr) continue;
    const conclave::mls::LeafNode copy = *leaf;
    if (!tree->remove_leaf(conclave::mls::LeafIndex{i}).ok()) std::abort();
    (void)tree->add_leaf(copy);
    break;
  }
  (void)tree->root_tree_hash();
  return 0;
}
