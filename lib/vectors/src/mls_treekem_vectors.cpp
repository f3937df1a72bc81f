// check_mls_treekem: the mlswg treekem.json vectors (RFC 9420 sections
// 7.4-7.6, 7.9). Each case gives a ratchet tree, the private state of each
// member (leaf HPKE key, signature key, known path secrets) and one
// UpdatePath per member. Checks:
//   1. every member's private keys match the public tree;
//   2. each UpdatePath merges (parent hashes and leaf signature valid), gives
//      tree_hash_after, and every other member decrypts path_secrets[j] and
//      derives commit_secret;
//   3. a fresh UpdatePath generated from the sender is decrypted by every
//      other member to the generator's commit secret and the same tree.
// The GroupContext carries the tree hash after the merge (treekem.h).
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "conclave/base/encoding.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/ratchet_tree.h"
#include "conclave/mls/treekem.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

struct Member {
  mls::TreePrivateKeys keys;
  Bytes signature_priv;
};

std::optional<Member> load_member(const mls::CipherSuite& suite, const mls::RatchetTree& tree,
                                  const json& p, const std::string& field, CaseCheck& c) {
  auto index = need_uint(p, "index", field + ".index", c, 0xFFFFFFFF);
  auto enc = need_hex(p, "encryption_priv", field + ".encryption_priv", c);
  auto sig = need_hex(p, "signature_priv", field + ".signature_priv", c);
  const json* secrets = need_array(p, "path_secrets", field + ".path_secrets", c);
  if (!index || !enc || !sig || secrets == nullptr) return std::nullopt;
  const mls::LeafIndex leaf{static_cast<uint32_t>(*index)};
  Member m{mls::TreePrivateKeys(leaf), *sig};
  auto key = suite.import_hpke_private_key(*enc);
  if (!key.ok()) {
    fail_error(c, field + ".encryption_priv", key.error());
    return std::nullopt;
  }
  m.keys.set_key(leaf.node(), std::move(key).value());
  for (size_t k = 0; k < secrets->size(); ++k) {
    const std::string f = field + ".path_secrets[" + std::to_string(k) + "]";
    auto node = need_uint((*secrets)[k], "node", f + ".node", c, 0xFFFFFFFF);
    auto secret = need_hex((*secrets)[k], "path_secret", f + ".path_secret", c);
    if (!node || !secret) return std::nullopt;
    if (auto st = m.keys.set_path_secret(suite, mls::NodeIndex{static_cast<uint32_t>(*node)},
                                         SecretBytes(*secret));
        !st.ok()) {
      fail_error(c, f, st.error());
      return std::nullopt;
    }
  }
  if (auto st = m.keys.check_against(tree); !st.ok()) {
    fail_error(c, field, st.error());
    return std::nullopt;
  }
  return m;
}

void check_path(const mls::CipherSuite& suite, const mls::RatchetTree& tree,
                const mls::GroupContext& context, const std::map<uint32_t, Member>& members,
                const json& u, const std::string& field, CaseCheck& c) {
  auto sender_value = need_uint(u, "sender", field + ".sender", c, 0xFFFFFFFF);
  auto path_bytes = need_hex(u, "update_path", field + ".update_path", c);
  auto commit_secret = need_hex(u, "commit_secret", field + ".commit_secret", c);
  auto hash_after = need_hex(u, "tree_hash_after", field + ".tree_hash_after", c);
  const json* secrets = need_array(u, "path_secrets", field + ".path_secrets", c);
  if (!sender_value || !path_bytes || !commit_secret || !hash_after || secrets == nullptr) return;
  const mls::LeafIndex sender{static_cast<uint32_t>(*sender_value)};
  auto path = mls::decode_update_path(*path_bytes);
  if (!path.ok()) return fail_error(c, field + ".update_path", path.error());

  {
    mls::RatchetTree merged = tree;
    if (auto st = mls::merge_update_path(merged, sender, *path, context.group_id); !st.ok()) {
      return fail_error(c, field + ".update_path", st.error());
    }
    expect_bytes(c, field + ".tree_hash_after", *hash_after, merged.root_tree_hash());
  }

  for (const auto& [j, member] : members) {
    if (j == sender.value) continue;
    const std::string f = field + ".path_secrets[" + std::to_string(j) + "]";
    if (j >= secrets->size() || !(*secrets)[j].is_string()) {
      c.fail(f, "missing for a member leaf");
      continue;
    }
    auto want = from_hex((*secrets)[j].get<std::string>());
    if (!want.ok()) {
      c.fail(f, "not a hex string");
      continue;
    }
    mls::RatchetTree t = tree;
    mls::TreePrivateKeys keys = member.keys;
    auto applied = mls::apply_update_path(t, sender, *path, context, keys);
    if (!applied.ok()) {
      fail_error(c, f, applied.error());
      continue;
    }
    expect_bytes(c, f, *want, applied->path_secret.view());
    expect_bytes(c, field + ".commit_secret", *commit_secret, applied->commit_secret.view());
    expect_bytes(c, field + ".tree_hash_after", *hash_after, t.root_tree_hash());
  }

  // A fresh path from the same sender.
  auto it = members.find(sender.value);
  if (it == members.end()) return c.fail(field + ".sender", "no private state for the sender");
  auto signer = suite.import_signature_private_key(it->second.signature_priv);
  if (!signer.ok()) return fail_error(c, field + ".signature_priv", signer.error());
  mls::RatchetTree generated_tree = tree;
  auto generated = mls::generate_update_path(generated_tree, sender, *signer, context);
  if (!generated.ok()) return fail_error(c, field + ".generated", generated.error());
  for (const auto& [j, member] : members) {
    if (j == sender.value) continue;
    const std::string f = field + ".generated[" + std::to_string(j) + "]";
    mls::RatchetTree t = tree;
    mls::TreePrivateKeys keys = member.keys;
    auto applied = mls::apply_update_path(t, sender, generated->path, context, keys);
    if (!applied.ok()) {
      fail_error(c, f, applied.error());
      continue;
    }
    expect_bytes(c, f + ".commit_secret", generated->commit_secret.view(),
                 applied->commit_secret.view());
    expect_bytes(c, f + ".tree_hash", generated_tree.root_tree_hash(), t.root_tree_hash());
  }
}

void check_case(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  auto tree_bytes = need_hex(v, "ratchet_tree", "ratchet_tree", c);
  auto group_id = need_hex(v, "group_id", "group_id", c);
  auto cth = need_hex(v, "confirmed_transcript_hash", "confirmed_transcript_hash", c);
  auto epoch = need_uint(v, "epoch", "epoch", c);
  const json* privates = need_array(v, "leaves_private", "leaves_private", c);
  const json* paths = need_array(v, "update_paths", "update_paths", c);
  if (!tree_bytes || !group_id || !cth || !epoch || privates == nullptr || paths == nullptr) {
    return;
  }
  auto tree = mls::RatchetTree::decode(suite, *tree_bytes);
  if (!tree.ok()) return fail_error(c, "ratchet_tree", tree.error());

  mls::GroupContext context;
  context.cipher_suite = suite.id();
  context.group_id = *group_id;
  context.epoch = *epoch;
  context.confirmed_transcript_hash = *cth;

  std::map<uint32_t, Member> members;
  for (size_t i = 0; i < privates->size(); ++i) {
    auto m = load_member(suite, *tree, (*privates)[i],
                         "leaves_private[" + std::to_string(i) + "]", c);
    if (!m) return;
    const uint32_t index = m->keys.leaf().value;
    members.insert_or_assign(index, std::move(*m));
  }
  if (paths->empty()) return c.fail("update_paths", "empty");
  for (size_t i = 0; i < paths->size(); ++i) {
    check_path(suite, *tree, context, members, (*paths)[i],
               "update_paths[" + std::to_string(i) + "]", c);
  }
}

}  // namespace

Report check_mls_treekem(const json& doc) {
  return check_suite_cases(
      doc, [](const auto& suite, const auto& v, auto& c) { check_case(suite, v, c); });
}

}  // namespace conclave::vectors
