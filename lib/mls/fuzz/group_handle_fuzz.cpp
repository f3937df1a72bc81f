// libFuzzer target for a member's receive path (mls::Group::handle): the
// state of a real group — case 12 of passive-client-handling-commit.json
// (suite 1), joined from its Welcome, its first commit applied and the
// first five proposals of the next epoch stored — then the input as one
// MLSMessage, handled, and applied when it is a commit. The seeds are that
// epoch's sixth proposal and its commit, so mutations reach proposal
// validation, UpdatePath decryption, the key schedule and the confirmation
// tag. Hostile input must end in an error: never a crash, a leak or a
// sanitizer report. The vectors folder comes from CONCLAVE_VECTORS_DIR.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "conclave/base/encoding.h"
#include "conclave/mls/group.h"
#include "conclave/mls/mls_message.h"

namespace {

namespace mls = conclave::mls;
using conclave::Bytes;

[[noreturn]] void setup_failed(const char* what) {
  std::fprintf(stderr, "fuzz_mls_group: setup failed: %s\n", what);
  std::abort();
}

Bytes hex(const nlohmann::json& v) {
  auto b = conclave::from_hex(v.get<std::string>());
  if (!b.ok()) setup_failed("hex");
  return std::move(b).value();
}

mls::MLSMessage message(const nlohmann::json& v) {
  auto m = mls::decode_mls_message(hex(v));
  if (!m.ok()) setup_failed("message");
  return std::move(m).value();
}

struct Setup {
  mls::KeyPackageBundle bundle;
  mls::Welcome welcome;
  std::shared_ptr<mls::GroupOptions> options;
  mls::MLSMessage first_commit;
  std::vector<mls::MLSMessage> stored_proposals;
};

const Setup& setup() {
  static const Setup s = [] {
    const char* dir = std::getenv("CONCLAVE_VECTORS_DIR");
    const std::string path =
        std::string(dir != nullptr ? dir : "../shared/vectors") +
        "/mls/passive-client-handling-commit.json";
    std::ifstream in(path);
    if (!in) setup_failed("cannot read passive-client-handling-commit.json");
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded() || doc.size() <= 12) setup_failed("vector file");
    const auto& c = doc[12];
    auto suite = mls::CipherSuite::create(mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519);
    if (!suite.ok()) setup_failed("suite");
    const auto kp = message(c["key_package"]);
    auto signer = suite->import_signature_private_key(hex(c["signature_priv"]));
    auto enc = suite->import_hpke_private_key(hex(c["encryption_priv"]));
    auto init = suite->import_hpke_private_key(hex(c["init_priv"]));
    if (kp.key_package() == nullptr || !signer.ok() || !enc.ok() || !init.ok()) {
      setup_failed("keys");
    }
    auto options = std::make_shared<mls::GroupOptions>();
    std::vector<std::pair<Bytes, Bytes>> psks;
    for (const auto& p : c["external_psks"]) psks.emplace_back(hex(p["psk_id"]), hex(p["psk"]));
    options->external_psks = [psks](const mls::PreSharedKeyID& id)
        -> std::optional<conclave::SecretBytes> {
      const auto* e = std::get_if<mls::ExternalPSK>(&id.content);
      if (e == nullptr) return std::nullopt;
      for (const auto& [pid, value] : psks) {
        if (pid == e->psk_id) return conclave::SecretBytes(value);
      }
      return std::nullopt;
    };
    const uint64_t not_before = kp.key_package()->leaf_node.lifetime()->not_before;
    options->now = [not_before] { return not_before; };
    Setup out{mls::KeyPackageBundle{*kp.key_package(), std::move(init).value(),
                                    std::move(enc).value(), std::move(signer).value()},
              *message(c["welcome"]).welcome(), options, message(c["epochs"][0]["commit"]), {}};
    const auto& proposals = c["epochs"][1]["proposals"];
    for (size_t i = 0; i + 1 < proposals.size(); ++i) {
      out.stored_proposals.push_back(message(proposals[i]));
    }
    return out;
  }();
  return s;
}

mls::Group fresh_group() {
  const Setup& s = setup();
  auto joined = mls::Group::join(s.welcome, s.bundle, std::nullopt, s.options);
  if (!joined.ok()) setup_failed("join");
  auto received = joined->handle(s.first_commit);
  if (!received.ok()) setup_failed("first commit");
  auto next = mls::Group::apply(std::get<mls::StagedCommit>(std::move(received).value()));
  if (!next.has_value()) setup_failed("apply");
  for (const auto& p : s.stored_proposals) {
    if (!next->handle(p).ok()) setup_failed("proposal");
  }
  return std::move(*next);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto msg = mls::decode_mls_message(conclave::BytesView(data, size));
  if (!msg.ok()) return 0;
  mls::Group group = fresh_group();
  auto received = group.handle(*msg);
  if (!received.ok()) return 0;
  if (auto* staged = std::get_if<mls::StagedCommit>(&*received)) {
    auto next = mls::Group::apply(std::move(*staged));
    if (next.has_value()) {
      // The next epoch must work: protect something in it.
      if (!next->protect(conclave::to_bytes("after")).ok()) std::abort();
    }
  }
  return 0;
}
