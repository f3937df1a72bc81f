// conclave-mls-peer: one MLS client (lib/mls Group) driven over stdin and
// stdout by the JSON-lines peer protocol of interop/ts-mls/README.md, so that
// an implementation we did not write (ts-mls) can share a group with ours.
//
//   {"id":1,"op":"init","suite":1,"identity":"carol"}  ->  {"id":1,"ok":true}
//
// One request per line, one response line per request, in order; every
// failure is an {"ok":false,"error":...} answer and the peer keeps running.
// Logs go to stderr.
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "conclave/base/encoding.h"
#include "conclave/mls/group.h"
#include "conclave/mls/mls_message.h"

namespace {

using nlohmann::json;
namespace mls = conclave::mls;
using conclave::Bytes;
using conclave::Error;
using conclave::Result;

// The exporter label of RFC 9605 section 5.2.
constexpr std::string_view kSFrameLabel = "SFrame 1.0 Base Key";

struct Failure {
  std::string message;
};

template <class T>
T need(Result<T> r, std::string_view what) {
  if (!r.ok()) throw Failure{std::string(what) + ": " + r.error().to_string()};
  return std::move(r).value();
}

Bytes hex_arg(const json& request, const char* name) {
  if (!request.contains(name) || !request[name].is_string()) {
    throw Failure{std::string("missing hex argument ") + name};
  }
  return need(conclave::from_hex(request[name].get<std::string>()), name);
}

mls::MLSMessage decode_message(const Bytes& bytes, const char* what) {
  return need(mls::decode_mls_message(bytes), what);
}

std::string hex(const mls::MLSMessage& message) { return conclave::to_hex(mls::encode(message)); }

class Peer {
 public:
  json handle(const json& request) {
    const std::string op = request.value("op", "");
    if (op == "init") return init(request);
    if (op == "key_package") return key_package();
    if (op == "create_group") return create_group(request);
    if (op == "join") return join(request);
    if (op == "commit") return commit(request);
    if (op == "process") return process(request);
    if (op == "protect") return protect(request);
    if (op == "state") return state();
    throw Failure{"unknown op '" + op + "'"};
  }

 private:
  json init(const json& request) {
    const auto suite_id = request.value("suite", 0);
    suite_ = need(mls::CipherSuite::create(static_cast<mls::CipherSuiteId>(suite_id)), "suite");
    signer_ = need(suite_->generate_signature_key(), "signature key");
    const std::string identity = request.value("identity", "");
    credential_ = mls::Credential::basic(Bytes(identity.begin(), identity.end()));
    return json::object();
  }

  const mls::CipherSuite& suite() const {
    if (!suite_.has_value()) throw Failure{"init first"};
    return *suite_;
  }

  mls::Group& group() {
    if (!group_.has_value()) throw Failure{"not a member of a group"};
    return *group_;
  }

  json key_package() {
    auto bundle = need(mls::make_key_package(suite(), credential_, *signer_), "key package");
    const Bytes ref = suite().make_key_package_ref(mls::encode(bundle.key_package));
    json out{{"key_package",
              hex(mls::MLSMessage{mls::ProtocolVersion::mls10, bundle.key_package})}};
    bundles_.emplace(conclave::to_hex(ref), std::move(bundle));
    return out;
  }

  json create_group(const json& request) {
    auto bundle = need(mls::make_key_package(suite(), credential_, *signer_), "key package");
    group_ = need(mls::Group::create(suite(), hex_arg(request, "group_id"), bundle), "create");
    return json{{"epoch", group_->epoch()}};
  }

  json join(const json& request) {
    const auto message = decode_message(hex_arg(request, "welcome"), "welcome");
    const mls::Welcome* welcome = message.welcome();
    if (welcome == nullptr) throw Failure{"not a Welcome"};
    for (auto it = bundles_.begin(); it != bundles_.end(); ++it) {
      const Bytes ref = need(conclave::from_hex(it->first), "ref");
      if (mls::find_group_secrets(*welcome, ref) == nullptr) continue;
      group_ = need(mls::Group::join(*welcome, it->second), "join");
      bundles_.erase(it);  // a key package is used once
      return json{{"epoch", group_->epoch()}};
    }
    throw Failure{"the Welcome is for none of our key packages"};
  }

  json commit(const json& request) {
    mls::CommitOptions options;
    for (const auto& kp_hex : request.value("add", json::array())) {
      const auto message = decode_message(need(conclave::from_hex(kp_hex.get<std::string>()),
                                               "add"),
                                          "add");
      const mls::KeyPackage* kp = message.key_package();
      if (kp == nullptr) throw Failure{"add: not a KeyPackage"};
      options.proposals.push_back(mls::Proposal{mls::Add{*kp}});
    }
    for (const auto& leaf : request.value("remove", json::array())) {
      options.proposals.push_back(mls::Proposal{mls::Remove{mls::LeafIndex{leaf.get<uint32_t>()}}});
    }
    options.force_path = request.value("path", false);
    auto result = need(group().commit(options), "commit");
    json out{{"commit", hex(result.commit)},
             {"welcome", result.welcome.has_value() ? json(hex(*result.welcome)) : json(nullptr)}};
    group_ = std::move(result.next);
    out["epoch"] = group_->epoch();
    return out;
  }

  json process(const json& request) {
    const auto message = decode_message(hex_arg(request, "message"), "message");
    auto received = need(group().handle(message), "process");
    if (auto* app = std::get_if<mls::ReceivedApplication>(&received)) {
      return json{{"type", "application"},
                  {"data", conclave::to_hex(app->data)},
                  {"sender", app->sender.value}};
    }
    if (std::holds_alternative<mls::ReceivedProposal>(received)) {
      return json{{"type", "proposal"}};
    }
    auto& staged = std::get<mls::StagedCommit>(received);
    const uint64_t epoch = staged.epoch();
    auto next = mls::Group::apply(std::move(staged));
    if (!next.has_value()) {
      group_.reset();
      return json{{"type", "commit"}, {"epoch", epoch}, {"removed", true}};
    }
    group_ = std::move(*next);
    return json{{"type", "commit"}, {"epoch", group_->epoch()}};
  }

  json protect(const json& request) {
    auto message = need(group().protect(hex_arg(request, "data")), "protect");
    return json{{"message", hex(message)}};
  }

  json state() {
    const mls::Group& g = group();
    const auto exporter =
        need(g.export_secret(kSFrameLabel, {}, g.suite().hash_size()), "exporter");
    json members = json::array();
    const auto& tree = g.tree();
    for (uint32_t i = 0; i < tree.leaf_count(); ++i) {
      const mls::LeafNode* leaf = tree.leaf(mls::LeafIndex{i});
      if (leaf == nullptr) continue;
      std::string identity;
      if (const auto* basic = std::get_if<mls::BasicCredential>(&leaf->credential.content)) {
        identity.assign(basic->identity.begin(), basic->identity.end());
      }
      members.push_back(json{{"leaf", i}, {"identity", identity}});
    }
    return json{{"epoch", g.epoch()},
                {"own_leaf", g.own_leaf().value},
                {"epoch_authenticator", conclave::to_hex(g.epoch_authenticator().reveal_copy())},
                {"exporter", conclave::to_hex(exporter.reveal_copy())},
                {"tree_hash", conclave::to_hex(g.context().tree_hash)},
                {"members", members}};
  }

  std::optional<mls::CipherSuite> suite_;
  std::optional<conclave::crypto::SignaturePrivateKey> signer_;
  mls::Credential credential_;
  std::map<std::string, mls::KeyPackageBundle> bundles_;  // by KeyPackageRef (hex)
  std::optional<mls::Group> group_;
};

}  // namespace

int main() {
  Peer peer;
  std::string line;
  while (std::getline(std::cin, line)) {
    json response;
    json request = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (request.is_discarded() || !request.is_object()) {
      response = json{{"id", nullptr}, {"ok", false}, {"error", "not a JSON object"}};
    } else {
      const json id = request.value("id", json(nullptr));
      if (request.value("op", "") == "quit") {
        std::cout << json{{"id", id}, {"ok", true}}.dump() << std::endl;
        return 0;
      }
      try {
        response = peer.handle(request);
        response["ok"] = true;
      } catch (const Failure& f) {
        response = json{{"ok", false}, {"error", f.message}};
        std::cerr << "conclave-mls-peer: " << f.message << "\n";
      } catch (const json::exception& e) {
        response = json{{"ok", false}, {"error", std::string("bad request: ") + e.what()}};
      }
      response["id"] = id;
    }
    std::cout << response.dump() << std::endl;
  }
  return 0;
}
