// check_mls_tree_operations: the mlswg tree-operations.json vectors (RFC
// 9420 sections 7.7, 7.8, 12.1.1-12.1.3). Each case gives tree_before, a
// serialized Proposal (Add, Update or Remove) and its sender: the tree hash
// before, the re-serialized tree after applying the proposal (byte for
// byte, trailing blanks truncated) and the tree hash after must match.
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "conclave/mls/proposal.h"
#include "conclave/mls/ratchet_tree.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

Status apply(mls::RatchetTree& tree, const mls::Proposal& proposal, mls::LeafIndex sender) {
  if (const auto* add = std::get_if<mls::Add>(&proposal.content)) {
    auto index = tree.add_leaf(add->key_package.leaf_node);
    if (!index.ok()) return index.error();
    return {};
  }
  if (const auto* update = std::get_if<mls::Update>(&proposal.content)) {
    return tree.update_leaf(sender, update->leaf_node);
  }
  if (const auto* remove = std::get_if<mls::Remove>(&proposal.content)) {
    return tree.remove_leaf(remove->removed);
  }
  return Error(mls::Errc::invalid_argument, "not an Add, Update or Remove");
}

void check_case(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  auto before = need_hex(v, "tree_before", "tree_before", c);
  auto after = need_hex(v, "tree_after", "tree_after", c);
  auto hash_before = need_hex(v, "tree_hash_before", "tree_hash_before", c);
  auto hash_after = need_hex(v, "tree_hash_after", "tree_hash_after", c);
  auto proposal_bytes = need_hex(v, "proposal", "proposal", c);
  auto sender = need_uint(v, "proposal_sender", "proposal_sender", c, 0xFFFFFFFF);
  if (!before || !after || !hash_before || !hash_after || !proposal_bytes || !sender) return;

  auto tree = mls::RatchetTree::decode(suite, *before);
  if (!tree.ok()) return fail_error(c, "tree_before", tree.error());
  expect_bytes(c, "tree_hash_before", *hash_before, tree->root_tree_hash());
  auto proposal = mls::decode_proposal(*proposal_bytes);
  if (!proposal.ok()) return fail_error(c, "proposal", proposal.error());
  if (auto st = apply(*tree, *proposal, mls::LeafIndex{static_cast<uint32_t>(*sender)}); !st.ok()) {
    return fail_error(c, "proposal", st.error());
  }
  expect_bytes(c, "tree_after", *after, tree->encode());
  expect_bytes(c, "tree_hash_after", *hash_after, tree->root_tree_hash());
}

}  // namespace

Report check_mls_tree_operations(const json& doc) {
  return check_suite_cases(
      doc, [](const auto& suite, const auto& v, auto& c) { check_case(suite, v, c); });
}

}  // namespace conclave::vectors
