// check_mls_tree_validation: the mlswg tree-validation.json vectors (RFC
// 9420 sections 4.1.1, 7.8, 7.9.2, 7.3). Each case gives a serialized
// ratchet tree and the group_id; we check the resolution and tree hash of
// every node of the padded tree, then that every non-blank parent is
// parent-hash valid and every leaf signature verifies (the whole join-time
// validation of RatchetTree::validate).
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/base/encoding.h"
#include "conclave/mls/ratchet_tree.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

void check_case(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  auto tree_bytes = need_hex(v, "tree", "tree", c);
  auto group_id = need_hex(v, "group_id", "group_id", c);
  const json* hashes = need_array(v, "tree_hashes", "tree_hashes", c);
  const json* resolutions = need_array(v, "resolutions", "resolutions", c);
  if (!tree_bytes || !group_id || hashes == nullptr || resolutions == nullptr) return;

  auto tree = mls::RatchetTree::decode(suite, *tree_bytes);
  if (!tree.ok()) return fail_error(c, "tree", tree.error());
  if (hashes->size() != tree->width()) {
    c.fail("tree_hashes", "has " + std::to_string(hashes->size()) + " entries, tree width " +
                              std::to_string(tree->width()));
  }
  if (resolutions->size() != tree->width()) {
    c.fail("resolutions", "has " + std::to_string(resolutions->size()) +
                              " entries, tree width " + std::to_string(tree->width()));
  }
  for (uint32_t i = 0; i < tree->width() && i < hashes->size(); ++i) {
    const std::string field = "tree_hashes[" + std::to_string(i) + "]";
    const json& h = (*hashes)[i];
    if (!h.is_string()) {
      c.fail(field, "not a hex string");
      continue;
    }
    auto want = from_hex(h.get<std::string>());
    if (!want.ok()) {
      c.fail(field, "not a hex string");
      continue;
    }
    expect_bytes(c, field, *want, tree->tree_hash(mls::NodeIndex{i}));
  }
  for (uint32_t i = 0; i < tree->width() && i < resolutions->size(); ++i) {
    const std::string field = "resolutions[" + std::to_string(i) + "]";
    const json& r = (*resolutions)[i];
    if (!r.is_array()) {
      c.fail(field, "not an array");
      continue;
    }
    const auto got = tree->resolution(mls::NodeIndex{i});
    bool same = got.size() == r.size();
    for (size_t j = 0; same && j < r.size(); ++j) {
      same = r[j].is_number_unsigned() && r[j].get<uint64_t>() == got[j].value;
    }
    if (!same) {
      std::string text;
      for (auto n : got) text += std::to_string(n.value) + " ";
      c.fail(field, "got [ " + text + "], want " + r.dump());
    }
  }
  if (auto st = tree->verify_parent_hashes(); !st.ok()) fail_error(c, "tree.parent_hashes", st.error());
  if (auto st = tree->verify_leaf_signatures(*group_id); !st.ok()) {
    fail_error(c, "tree.signatures", st.error());
  }
  if (auto st = tree->validate(*group_id); !st.ok()) fail_error(c, "tree.validate", st.error());
}

}  // namespace

Report check_mls_tree_validation(const json& doc) {
  return check_suite_cases(
      doc, [](const auto& suite, const auto& v, auto& c) { check_case(suite, v, c); });
}

}  // namespace conclave::vectors
