// check_mls_passive_client: the mlswg passive-client-*.json vectors
// (passive-client-welcome, passive-client-handling-commit,
// passive-client-random; one format). Per case: the three private keys must
// match the KeyPackage; the client joins from the Welcome (with the
// out-of-band tree when `ratchet_tree` is not null, and the external PSKs
// given) and must reach `initial_epoch_authenticator`; then, per epoch, it
// handles each proposal message, then the commit, applies the staged
// commit and must reach the epoch's `epoch_authenticator`. Everything runs
// through mls::Group, the state machine a real client uses.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "conclave/mls/group.h"
#include "conclave/mls/mls_message.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

struct ExternalPsk {
  Bytes id;
  SecretBytes secret;
};

std::optional<std::vector<ExternalPsk>> read_psks(const json& v, CaseCheck& c) {
  const json* list = need_array(v, "external_psks", "external_psks", c);
  if (list == nullptr) return std::nullopt;
  std::vector<ExternalPsk> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string field = "external_psks[" + std::to_string(i) + "]";
    auto id = need_hex((*list)[i], "psk_id", field + ".psk_id", c);
    auto psk = need_hex((*list)[i], "psk", field + ".psk", c);
    if (!id || !psk) return std::nullopt;
    out.push_back({std::move(*id), SecretBytes(*psk)});
  }
  return out;
}

std::optional<mls::KeyPackageBundle> read_bundle(const mls::CipherSuite& suite, const json& v,
                                                 CaseCheck& c) {
  auto kp_message = need_message(v, "key_package", "key_package", c);
  auto signature_priv = need_hex(v, "signature_priv", "signature_priv", c);
  auto encryption_priv = need_hex(v, "encryption_priv", "encryption_priv", c);
  auto init_priv = need_hex(v, "init_priv", "init_priv", c);
  if (!kp_message || !signature_priv || !encryption_priv || !init_priv) return std::nullopt;
  const mls::KeyPackage* kp = kp_message->key_package();
  if (kp == nullptr) {
    c.fail("key_package", "not a KeyPackage");
    return std::nullopt;
  }
  auto signer = suite.import_signature_private_key(*signature_priv);
  auto encryption = suite.import_hpke_private_key(*encryption_priv);
  auto init = suite.import_hpke_private_key(*init_priv);
  if (!signer.ok()) fail_error(c, "signature_priv", signer.error());
  if (!encryption.ok()) fail_error(c, "encryption_priv", encryption.error());
  if (!init.ok()) fail_error(c, "init_priv", init.error());
  if (!signer.ok() || !encryption.ok() || !init.ok()) return std::nullopt;
  bool ok = true;
  if (!equal(signer->public_key().bytes(), kp->leaf_node.signature_key)) {
    c.fail("signature_priv", "does not match the leaf's signature_key");
    ok = false;
  }
  if (!equal(encryption->public_key().bytes(), kp->leaf_node.encryption_key)) {
    c.fail("encryption_priv", "does not match the leaf's encryption_key");
    ok = false;
  }
  if (!equal(init->public_key().bytes(), kp->init_key)) {
    c.fail("init_priv", "does not match the KeyPackage's init_key");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return mls::KeyPackageBundle{*kp, std::move(init).value(), std::move(encryption).value(),
                               std::move(signer).value()};
}

void check_case(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  auto psks = read_psks(v, c);
  auto bundle = read_bundle(suite, v, c);
  auto welcome = need_message(v, "welcome", "welcome", c);
  auto initial = need_hex(v, "initial_epoch_authenticator", "initial_epoch_authenticator", c);
  const json* epochs = need_array(v, "epochs", "epochs", c);
  if (!psks || !bundle || !welcome || !initial || epochs == nullptr) return;
  if (welcome->welcome() == nullptr) return c.fail("welcome", "not a Welcome");

  std::optional<mls::RatchetTree> tree;
  if (v.contains("ratchet_tree") && !v["ratchet_tree"].is_null()) {
    auto tree_bytes = need_hex(v, "ratchet_tree", "ratchet_tree", c);
    if (!tree_bytes) return;
    auto decoded = mls::RatchetTree::decode(suite, *tree_bytes);
    if (!decoded.ok()) return fail_error(c, "ratchet_tree", decoded.error());
    tree = std::move(decoded).value();
  }

  auto options = std::make_shared<mls::GroupOptions>();
  options->external_psks = [psks = *psks](const mls::PreSharedKeyID& id)
      -> std::optional<SecretBytes> {
    const auto* external = std::get_if<mls::ExternalPSK>(&id.content);
    if (external == nullptr) return std::nullopt;
    for (const auto& p : psks) {
      if (equal(p.id, external->psk_id)) return p.secret;
    }
    return std::nullopt;
  };
  // The vectors' KeyPackages carry arbitrary lifetimes: they are checked
  // as of their own not_before.
  const mls::Lifetime* lifetime = bundle->key_package.leaf_node.lifetime();
  const uint64_t now = lifetime != nullptr ? lifetime->not_before : 0;
  options->now = [now] { return now; };

  auto joined = mls::Group::join(*welcome->welcome(), *bundle, std::move(tree), options);
  if (!joined.ok()) return fail_error(c, "welcome", joined.error());
  mls::Group group = std::move(joined).value();
  expect_bytes(c, "initial_epoch_authenticator", *initial, group.epoch_authenticator().view());

  for (size_t e = 0; e < epochs->size(); ++e) {
    const std::string prefix = "epochs[" + std::to_string(e) + "]";
    const json& epoch = (*epochs)[e];
    const json* proposals = need_array(epoch, "proposals", prefix + ".proposals", c);
    auto commit = need_message(epoch, "commit", prefix + ".commit", c);
    auto expected = need_hex(epoch, "epoch_authenticator", prefix + ".epoch_authenticator", c);
    if (proposals == nullptr || !commit || !expected) return;
    for (size_t p = 0; p < proposals->size(); ++p) {
      const std::string field = prefix + ".proposals[" + std::to_string(p) + "]";
      if (!(*proposals)[p].is_string()) return c.fail(field, "not a hex string");
      auto bytes = from_hex((*proposals)[p].get<std::string>());
      if (!bytes.ok()) return c.fail(field, "not a hex string");
      auto message = mls::decode_mls_message(*bytes);
      if (!message.ok()) return fail_error(c, field, message.error());
      auto received = group.handle(*message);
      if (!received.ok()) return fail_error(c, field, received.error());
      if (!std::holds_alternative<mls::ReceivedProposal>(*received)) {
        return c.fail(field, "not a proposal");
      }
    }
    auto received = group.handle(*commit);
    if (!received.ok()) return fail_error(c, prefix + ".commit", received.error());
    auto* staged = std::get_if<mls::StagedCommit>(&*received);
    if (staged == nullptr) return c.fail(prefix + ".commit", "not a commit");
    auto next = mls::Group::apply(std::move(*staged));
    if (!next.has_value()) return c.fail(prefix + ".commit", "the commit removed the client");
    group = std::move(*next);
    expect_bytes(c, prefix + ".epoch_authenticator", *expected,
                 group.epoch_authenticator().view());
  }
}

}  // namespace

Report check_mls_passive_client(const json& doc) { return check_suite_cases(doc, check_case); }

}  // namespace conclave::vectors
