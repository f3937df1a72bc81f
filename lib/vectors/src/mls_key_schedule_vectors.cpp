// check_mls_key_schedule: the mlswg key-schedule.json vectors (RFC 9420
// section 8), one case per cipher suite, each a chain of epochs. For epoch n:
//   1. GroupContext{mls10, suite, group_id, n, tree_hash,
//      confirmed_transcript_hash, no extensions} encodes to group_context;
//   2. the key schedule from the previous init_secret (initial_init_secret
//      for n = 0), commit_secret and psk_secret gives joiner_secret,
//      welcome_secret, init_secret, sender_data_secret, encryption_secret,
//      exporter_secret, epoch_authenticator, external_secret,
//      confirmation_key, membership_key and resumption_psk;
//   3. KEM.DeriveKeyPair(external_secret) gives external_pub;
//   4. MLS-Exporter(exporter.label, exporter.context, exporter.length) gives
//      exporter.secret. The label is used as the literal ASCII string, though
//      it looks like hex (vectors README, quirk 2).
// The next epoch chains from the init_secret we derived, so one wrong value
// shows up in every later epoch too.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "conclave/mls/group_context.h"
#include "conclave/mls/key_schedule.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

struct Named {
  const char* name;
  const SecretBytes& (mls::KeySchedule::*get)() const;
};

constexpr Named kSecrets[] = {
    {"joiner_secret", &mls::KeySchedule::joiner_secret},
    {"welcome_secret", &mls::KeySchedule::welcome_secret},
    {"init_secret", &mls::KeySchedule::init_secret},
    {"sender_data_secret", &mls::KeySchedule::sender_data_secret},
    {"encryption_secret", &mls::KeySchedule::encryption_secret},
    {"exporter_secret", &mls::KeySchedule::exporter_secret},
    {"epoch_authenticator", &mls::KeySchedule::epoch_authenticator},
    {"external_secret", &mls::KeySchedule::external_secret},
    {"confirmation_key", &mls::KeySchedule::confirmation_key},
    {"membership_key", &mls::KeySchedule::membership_key},
    {"resumption_psk", &mls::KeySchedule::resumption_psk},
};

// Checks one epoch; returns the init_secret to chain from, or nullopt when
// the schedule could not be run.
std::optional<SecretBytes> check_epoch(const mls::CipherSuite& suite, BytesView group_id,
                                       uint64_t epoch, BytesView init_secret, const json& e,
                                       const std::string& prefix, CaseCheck& c) {
  auto tree_hash = need_hex(e, "tree_hash", prefix + "tree_hash", c);
  auto commit_secret = need_hex(e, "commit_secret", prefix + "commit_secret", c);
  auto psk_secret = need_hex(e, "psk_secret", prefix + "psk_secret", c);
  auto confirmed =
      need_hex(e, "confirmed_transcript_hash", prefix + "confirmed_transcript_hash", c);
  auto group_context = need_hex(e, "group_context", prefix + "group_context", c);
  if (!tree_hash || !commit_secret || !psk_secret || !confirmed || !group_context) {
    return std::nullopt;
  }

  mls::GroupContext ctx;
  ctx.cipher_suite = suite.id();
  ctx.group_id.assign(group_id.begin(), group_id.end());
  ctx.epoch = epoch;
  ctx.tree_hash = *tree_hash;
  ctx.confirmed_transcript_hash = *confirmed;
  expect_bytes(c, prefix + "group_context", *group_context, mls::encode(ctx));

  auto ks =
      mls::KeySchedule::from_init_secret(suite, init_secret, *commit_secret, *psk_secret, ctx);
  if (!ks.ok()) {
    fail_error(c, prefix + "key schedule", ks.error());
    return std::nullopt;
  }
  for (const Named& n : kSecrets) {
    const std::string field = prefix + n.name;
    auto want = need_hex(e, n.name, field, c);
    if (want) expect_bytes(c, field, *want, ((*ks).*(n.get))().view());
  }

  if (auto external_pub = need_hex(e, "external_pub", prefix + "external_pub", c)) {
    auto kp = ks->external_key_pair();
    if (!kp.ok()) {
      fail_error(c, prefix + "external_pub", kp.error());
    } else {
      expect_bytes(c, prefix + "external_pub", *external_pub, kp->public_key().bytes());
    }
  }

  if (const json* ex = need_object(e, "exporter", prefix + "exporter", c)) {
    auto label = need_string(*ex, "label", prefix + "exporter.label", c);
    auto context = need_hex(*ex, "context", prefix + "exporter.context", c);
    auto length = need_uint(*ex, "length", prefix + "exporter.length", c, 0xFFFF);
    auto secret = need_hex(*ex, "secret", prefix + "exporter.secret", c);
    if (label && context && length && secret) {
      auto got = ks->export_secret(*label, *context, *length);
      if (!got.ok()) {
        fail_error(c, prefix + "exporter.secret", got.error());
      } else {
        expect_bytes(c, prefix + "exporter.secret", *secret, got->view());
      }
    }
  }
  return ks->init_secret();
}

}  // namespace

Report check_mls_key_schedule(const json& doc) {
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
    auto group_id = need_hex(v, "group_id", "group_id", c);
    auto initial = need_hex(v, "initial_init_secret", "initial_init_secret", c);
    const json* epochs = need_array(v, "epochs", "epochs", c);
    if (!suite || !group_id || !initial || epochs == nullptr) continue;
    if (epochs->empty()) c.fail("epochs", "no epochs");
    SecretBytes init_secret(*initial);
    for (size_t n = 0; n < epochs->size(); ++n) {
      const std::string prefix = "epochs[" + std::to_string(n) + "].";
      auto next = check_epoch(*suite, *group_id, n, init_secret.view(), (*epochs)[n], prefix, c);
      if (!next) break;
      init_secret = std::move(*next);
    }
  }
  return report;
}

}  // namespace conclave::vectors
