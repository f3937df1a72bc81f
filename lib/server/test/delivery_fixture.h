// A meeting driven through SignalingService by real mls::Group members:
// the fixture of the delivery-service tests (signaling_service_mls_test,
// hostile_test). Each Client is a FakeConnection plus the MLS state a real
// client would keep.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "conclave/base/encoding.h"
#include "conclave/codec/tls.h"
#include "conclave/meeting/meeting_policy.h"
#include "conclave/mls/group.h"
#include "conclave/server/signaling_service.h"
#include "fake_connection.h"
#include "test_env.h"

namespace conclave::server::testing {

using nlohmann::json;

inline mls::CipherSuite suite1() {
  return mls::CipherSuite::create(mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519)
      .value();
}

// A KeyPackage as Conclave clients make it: Basic credential = display
// name, the meeting policy extension in the capabilities.
inline mls::KeyPackageBundle meeting_bundle(const std::string& name) {
  const auto suite = suite1();
  mls::KeyPackageOptions options;
  options.capabilities.extensions.push_back(meeting::MeetingPolicy::kExtensionType);
  return mls::make_key_package(suite, mls::Credential::basic(to_bytes(name)),
                               suite.generate_signature_key().value(), options)
      .value();
}

// An empty commit with a path: the committer's own update.
inline mls::CommitOptions self_update() {
  mls::CommitOptions options;
  options.force_path = true;
  return options;
}

inline std::string b64(BytesView bytes) {
  return to_base64url(bytes);
}
inline std::string b64(const mls::MLSMessage& m) {
  return to_base64url(mls::encode(m));
}
inline Bytes unb64(const json& text) {
  return from_base64url(text.get<std::string>()).value();
}
inline mls::MLSMessage mls_of(const json& text) {
  return mls::decode_mls_message(unb64(text)).value();
}

struct Client {
  std::shared_ptr<FakeConnection> c;
  std::string name;
  std::string id;  // participant id
  std::string resume_token;
  mls::KeyPackageBundle bundle;
  std::optional<mls::Group> group;
};

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_test_store(dir_.path());
    ASSERT_NE(store_, nullptr);
    config_.auth_per_address = {100, 100};
    config_.auth_per_meeting = {100, 100};
    config_.reconnect_grace_ms = 10000;
    auto m = store_->create_meeting({"pass", true}, 1);
    ASSERT_TRUE(m.ok());
    meeting_id_ = m->meeting.id.str();
    host_key_ = m->host_key.text();
    restart();
  }
  // A new service (after a config change).
  void restart() { service_ = std::make_unique<SignalingService>(*store_, clock_, config_); }

  std::shared_ptr<FakeConnection> connect() {
    auto c = std::make_shared<FakeConnection>(next_id_++, "10.0.0.1");
    service_->on_websocket_open(c);
    return c;
  }
  void send(Client& who, json j) {
    j["v"] = 1;
    if (!j.contains("id")) j["id"] = "m" + std::to_string(next_message_++);
    service_->on_websocket_message(*who.c, net::WebSocketMessage{j.dump(), false});
  }
  // Everything `who` received of `type` (the rest is dropped).
  static std::vector<json> of_type(Client& who, const std::string& type) {
    std::vector<json> out;
    for (auto& m : who.c->take()) {
      if (m["type"] == type) out.push_back(m);
    }
    return out;
  }
  // Exactly one message, of `type`.
  static json only(Client& who, const std::string& type) {
    auto msgs = who.c->take();
    EXPECT_EQ(msgs.size(), 1U) << json(msgs).dump();
    if (msgs.empty()) return json::object();
    EXPECT_EQ(msgs[0]["type"], type) << msgs[0].dump();
    return msgs[0];
  }
  static std::string error_code(Client& who) { return only(who, "error").value("code", ""); }

  json hello(const std::string& name, bool host) {
    json j{{"type", "hello"}, {"meeting_id", meeting_id_}, {"display_name", name}};
    if (host) {
      j["host_key"] = host_key_;
    } else {
      j["passcode"] = "pass";
    }
    return j;
  }

  // A host joined (not yet a member).
  Client& join_host(const std::string& name = "Host") {
    Client& h = add_client(name);
    send(h, hello(name, true));
    json joined = only(h, "joined");
    h.id = joined["participant_id"];
    h.resume_token = joined["resume_token"];
    external_sender_ = codec::decode<mls::ExternalSender>(unb64(joined["external_sender"])).value();
    EXPECT_EQ(joined["cipher_suite"], 1);
    return h;
  }
  // The host creates the meeting's group and uploads its GroupInfo.
  void create_group(Client& h) {
    h.group =
        mls::Group::create(suite1(), to_bytes("group-" + meeting_id_), h.bundle,
                           meeting::initial_extensions(h.bundle.key_package.leaf_node.signature_key,
                                                       external_sender_))
            .value();
    send(h, {{"type", "group_info"},
             {"group_info",
              b64(mls::MLSMessage{mls::ProtocolVersion::mls10, h.group->group_info().value()})}});
  }
  Client& host_with_group(const std::string& name = "Host") {
    Client& h = join_host(name);
    create_group(h);
    json ack = only(h, "ack");
    EXPECT_EQ(ack["epoch"], 0);
    return h;
  }
  // A guest waiting in the lobby.
  Client& lobby_guest(const std::string& name) {
    Client& g = add_client(name);
    send(g, hello(name, false));
    g.id = only(g, "lobby")["participant_id"];
    return g;
  }
  void upload_key_package(Client& who) {
    send(who, {{"type", "key_package"},
               {"key_package",
                b64(mls::MLSMessage{mls::ProtocolVersion::mls10, who.bundle.key_package})}});
  }
  // admit; returns the guest's `joined`.
  json admit(Client& host, Client& guest) {
    send(host, {{"type", "admit"}, {"participant_id", guest.id}});
    json joined = only(guest, "joined");
    guest.resume_token = joined["resume_token"];
    return joined;
  }

  // `committer` commits `options`; the server sequences it; every member
  // follows (the committer adopts its own), and added clients join from
  // their Welcome. Returns the committer's ack.
  json commit_and_follow(Client& committer, const mls::CommitOptions& options,
                         std::vector<Client*> members, std::vector<Client*> joiners = {}) {
    auto r = committer.group->commit(options).value();
    json msg{{"type", "commit"}, {"commit", b64(r.commit)}};
    if (r.welcome) msg["welcome"] = b64(*r.welcome);
    send(committer, msg);
    json ack;
    for (Client* m : members) {
      auto received = m->c->take();
      json commit;
      for (auto& x : received) {
        if (x["type"] == "commit") commit = x;
        if (x["type"] == "ack" && m == &committer) ack = x;
        if (x["type"] == "error") ADD_FAILURE() << x.dump();
      }
      EXPECT_FALSE(commit.is_null()) << m->name << " got no commit";
      if (commit.is_null()) continue;
      EXPECT_EQ(commit["committer"], committer.id);
      EXPECT_EQ(commit["epoch"], committer.group->epoch() + 1);
      if (m == &committer) {
        EXPECT_EQ(unb64(commit["commit"]), mls::encode(r.commit));
        continue;
      }
      auto staged = m->group->handle(mls_of(commit["commit"]));
      EXPECT_TRUE(staged.ok()) << staged.error().to_string();
      if (!staged.ok()) continue;
      auto next = mls::Group::apply(std::get<mls::StagedCommit>(std::move(staged).value()));
      if (next) {
        m->group = std::move(*next);
      } else {
        m->group.reset();
      }
    }
    committer.group = std::move(r.next);
    for (Client* j : joiners) {
      json welcome;
      for (auto& x : j->c->take()) {
        if (x["type"] == "welcome") welcome = x;
      }
      EXPECT_FALSE(welcome.is_null()) << j->name << " got no welcome";
      if (welcome.is_null()) continue;
      EXPECT_EQ(welcome["epoch"], committer.group->epoch());
      auto joined = mls::Group::join(*mls_of(welcome["welcome"]).welcome(), j->bundle);
      EXPECT_TRUE(joined.ok()) << joined.error().to_string();
      if (joined.ok()) j->group = std::move(joined).value();
    }
    return ack;
  }

  static mls::CommitOptions add_of(const Client& who) {
    mls::CommitOptions options;
    options.proposals.push_back(mls::Proposal{mls::Add{who.bundle.key_package}});
    return options;
  }

  // Host (with group) plus `names` added one by one through the lobby.
  std::vector<Client*> meeting_of(const std::vector<std::string>& names) {
    Client& h = host_with_group();
    std::vector<Client*> members{&h};
    for (const auto& name : names) {
      Client& g = lobby_guest(name);
      upload_key_package(g);
      EXPECT_EQ(only(g, "ack")["type"], "ack");
      admit(h, g);
      for (Client* m : members) m->c->take();
      commit_and_follow(h, add_of(g), members, {&g});
      members.push_back(&g);
      for (Client* m : members) m->c->take();  // participant_joined and the like
    }
    return members;
  }

  Client& add_client(const std::string& name) {
    clients_.push_back(Client{connect(), name, {}, {}, meeting_bundle(name), std::nullopt});
    return clients_.back();
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  Config config_;
  std::unique_ptr<SignalingService> service_;
  std::string meeting_id_;
  std::string host_key_;
  mls::ExternalSender external_sender_;
  std::deque<Client> clients_;
  uint64_t next_id_ = 1;
  uint64_t next_message_ = 1;
};

}  // namespace conclave::server::testing
