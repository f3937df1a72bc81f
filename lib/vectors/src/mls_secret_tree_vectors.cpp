// check_mls_secret_tree: the mlswg secret-tree.json vectors (RFC 9420
// sections 6.3.2 and 9). For each case:
//   1. sender_data: the key and nonce derived from sender_data_secret and
//      the first KDF.Nh bytes of ciphertext;
//   2. a SecretTree with one leaf per entry of `leaves`, rooted at
//      encryption_secret; for every leaf, its handshake and application
//      ratchets are asked for each listed generation in order (so skipped
//      generations go through the out-of-order window) and give the listed
//      keys and nonces.
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/mls/secret_tree.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

void check_sender_data(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* t = need_object(v, "sender_data", "sender_data", c);
  if (t == nullptr) return;
  auto secret = need_hex(*t, "sender_data_secret", "sender_data.sender_data_secret", c);
  auto ciphertext = need_hex(*t, "ciphertext", "sender_data.ciphertext", c);
  auto key = need_hex(*t, "key", "sender_data.key", c);
  auto nonce = need_hex(*t, "nonce", "sender_data.nonce", c);
  if (!secret || !ciphertext || !key || !nonce) return;
  auto got = mls::derive_sender_data_key(suite, *secret, *ciphertext);
  if (!got.ok()) return fail_error(c, "sender_data", got.error());
  expect_bytes(c, "sender_data.key", *key, got->key.view());
  expect_bytes(c, "sender_data.nonce", *nonce, got->nonce.view());
}

void check_ratchet(mls::SecretTree& tree, mls::LeafIndex leaf, mls::RatchetType type,
                   uint32_t generation, const json& entry, const std::string& prefix,
                   CaseCheck& c) {
  const bool hs = type == mls::RatchetType::handshake;
  const std::string key_name = hs ? "handshake_key" : "application_key";
  const std::string nonce_name = hs ? "handshake_nonce" : "application_nonce";
  auto key = need_hex(entry, key_name.c_str(), prefix + key_name, c);
  auto nonce = need_hex(entry, nonce_name.c_str(), prefix + nonce_name, c);
  if (!key || !nonce) return;
  auto got = tree.take_key(leaf, type, generation);
  if (!got.ok()) return fail_error(c, prefix + key_name, got.error());
  expect_bytes(c, prefix + key_name, *key, got->key.view());
  expect_bytes(c, prefix + nonce_name, *nonce, got->nonce.view());
}

void check_leaves(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  auto encryption_secret = need_hex(v, "encryption_secret", "encryption_secret", c);
  const json* leaves = need_array(v, "leaves", "leaves", c);
  if (!encryption_secret || leaves == nullptr) return;
  if (leaves->size() > (size_t{1} << 20)) return c.fail("leaves", "too many leaves");
  const auto n_leaves = static_cast<uint32_t>(leaves->size());
  auto tree = mls::SecretTree::create(suite, SecretBytes(*encryption_secret), n_leaves);
  if (!tree.ok()) return fail_error(c, "leaves", tree.error());

  for (uint32_t i = 0; i < n_leaves; ++i) {
    const json& generations = (*leaves)[i];
    const std::string leaf_name = "leaves[" + std::to_string(i) + "]";
    if (!generations.is_array()) {
      c.fail(leaf_name, "not an array");
      continue;
    }
    for (size_t j = 0; j < generations.size(); ++j) {
      const json& entry = generations[j];
      const std::string prefix = leaf_name + "[" + std::to_string(j) + "].";
      auto generation = need_uint(entry, "generation", prefix + "generation", c, 0xFFFFFFFF);
      if (!generation) continue;
      const auto g = static_cast<uint32_t>(*generation);
      check_ratchet(*tree, mls::LeafIndex{i}, mls::RatchetType::handshake, g, entry, prefix, c);
      check_ratchet(*tree, mls::LeafIndex{i}, mls::RatchetType::application, g, entry, prefix, c);
    }
  }
}

}  // namespace

Report check_mls_secret_tree(const json& doc) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not a JSON array");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    const json& v = doc[i];
    auto suite = need_suite(v, c);
    if (!suite) continue;
    check_sender_data(*suite, v, c);
    check_leaves(*suite, v, c);
  }
  return report;
}

}  // namespace conclave::vectors
