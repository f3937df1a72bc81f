// MeetingSession against a test relay that plays the server's part of
// docs/protocol.md: hello/joined/lobby/admit, key_package -> add_request,
// group_info, and the delivery service over the server's real
// MeetingSequencer (first valid commit of an epoch wins, stale_commit for
// the others, the server's external-sender Remove). Hostile behaviour
// (tampering, replays, forged commits and proposals) is injected by the
// tests themselves.
#include "conclave/client/meeting_session.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "conclave/base/encoding.h"
#include "conclave/codec/tls.h"
#include "conclave/crypto/random.h"
#include "conclave/meeting/meeting_policy.h"
#include "conclave/server/errc.h"
#include "conclave/server/meeting_sequencer.h"

namespace conclave::client {
namespace {

using std::chrono::milliseconds;

mls::CipherSuite suite1() {
  return mls::CipherSuite::create(mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519)
      .value();
}

std::string b64(BytesView b) { return to_base64url(b); }
std::string b64(const mls::MLSMessage& m) { return to_base64url(mls::encode(m)); }

// A KeyPackage of someone outside the meeting, as a hostile committer
// would add.
mls::KeyPackageBundle outsider(const std::string& name) {
  const auto suite = suite1();
  mls::KeyPackageOptions options;
  options.capabilities.extensions.push_back(meeting::MeetingPolicy::kExtensionType);
  return mls::make_key_package(suite, mls::Credential::basic(to_bytes(name)),
                               suite.generate_signature_key().value(), options)
      .value();
}

class Relay {
 public:
  struct Peer {
    std::string id;
    std::string name;
    std::string role;
    MeetingSession* session = nullptr;
    bool connected = false;
    bool in_lobby = false;
    bool member = false;
    Bytes key_package;  // the MLSMessage as uploaded
    Bytes signature_key;
    std::string token;
  };

  Relay() : suite_(suite1()), server_key_(suite_.generate_signature_key().value()) {
    mls::ExternalSender sender{server_key_.public_key().bytes(),
                               mls::Credential::basic(to_bytes("conclave-server"))};
    external_sender_ = codec::encode(sender);
  }

  bool waiting_room = false;
  // Which hosts get a joiner's add_request (all by default).
  std::function<bool(const Peer& joiner, const Peer& host)> route_add_request;
  // Application messages: the bytes each receiver gets (tampering, replay).
  std::function<std::vector<Bytes>(const Bytes&)> forward_application;

  const crypto::SignaturePrivateKey& server_key() const { return server_key_; }
  const std::optional<server::MeetingSequencer>& sequencer() const { return seq_; }

  void connect(MeetingSession& s, TimePoint now) {
    sessions_.push_back(&s);
    s.connected(now);
  }
  // The connection drops (the peer stays in the meeting, as within the
  // server's grace period).
  void drop(MeetingSession& s) {
    if (Peer* p = peer_of(s)) p->connected = false;
    inbox_[&s].clear();
    std::erase(sessions_, &s);
  }

  // Moves messages until nobody has anything to send.
  void pump(TimePoint now) {
    for (int round = 0; round < 1000; ++round) {
      bool any = false;
      for (size_t i = 0; i < sessions_.size(); ++i) {
        MeetingSession* s = sessions_[i];
        for (const Json& m : s->take_outgoing()) {
          any = true;
          handle(*s, m);
        }
      }
      for (MeetingSession* s : std::vector<MeetingSession*>(sessions_)) {
        auto& q = inbox_[s];
        while (!q.empty()) {
          Json m = std::move(q.front());
          q.pop_front();
          any = true;
          s->receive(m, now);
        }
      }
      if (!any) return;
    }
    ADD_FAILURE() << "the relay never went quiet";
  }

  // Sends a server message to one session directly.
  void deliver(MeetingSession& s, Json m) { to(s, std::move(m)); }

  // The server's Remove of a participant (a host's `remove`).
  void server_remove(const MeetingSession& s) {
    Peer* p = peer_of(s);
    ASSERT_NE(p, nullptr);
    propose_remove(*p);
  }

  Peer* peer_of(const MeetingSession& s) {
    for (auto& p : peers_) {
      if (p.session == &s) return &p;
    }
    return nullptr;
  }

 private:
  Json message(std::string type, Json fields = Json::object()) {
    fields["v"] = 1;
    fields["type"] = std::move(type);
    fields["id"] = "s" + std::to_string(next_id_++);
    return fields;
  }
  void to(MeetingSession& s, Json m) {
    if (std::find(sessions_.begin(), sessions_.end(), &s) != sessions_.end()) {
      inbox_[&s].push_back(std::move(m));
    }
  }
  void to(Peer& p, Json m) {
    if (p.connected && p.session != nullptr) to(*p.session, std::move(m));
  }
  void reply(Peer& p, const Json& request, std::string type, Json fields = Json::object()) {
    fields["in_reply_to"] = request["id"];
    to(p, message(std::move(type), std::move(fields)));
  }
  void error(Peer& p, const Json& request, std::string code, Json fields = Json::object()) {
    fields["code"] = std::move(code);
    fields["message"] = "relay";
    reply(p, request, "error", std::move(fields));
  }

  Json joined(Peer& p, bool resumed) {
    Json participants = Json::array();
    Json lobby = Json::array();
    for (auto& other : peers_) {
      Json entry{{"participant_id", other.id}, {"display_name", other.name}, {"role", other.role}};
      if (other.in_lobby) lobby.push_back(entry);
      else if (&other != &p) participants.push_back(entry);
    }
    Json m{{"participant_id", p.id},
           {"role", p.role},
           {"meeting",
            {{"meeting_id", "m1"}, {"waiting_room", waiting_room}, {"locked", false},
             {"passcode_required", false}}},
           {"participants", participants},
           {"external_sender", b64(external_sender_)},
           {"cipher_suite", 1},
           {"group", seq_ ? Json{{"epoch", seq_->epoch()}} : Json(nullptr)},
           {"resume_token", p.token}};
    if (p.role == "host") m["lobby"] = lobby;
    if (resumed) m["resumed"] = true;
    return m;
  }

  void handle(MeetingSession& s, const Json& m) {
    const std::string type = m.value("type", "");
    if (type == "hello") {
      if (m.contains("resume_token")) {
        for (auto& p : peers_) {
          if (p.token == m["resume_token"]) {
            p.session = &s;
            p.connected = true;
            Json j = joined(p, true);
            j["in_reply_to"] = m["id"];
            to(p, message("joined", j));
            return;
          }
        }
      }
      Peer p;
      p.id = "p" + std::to_string(peers_.size() + 1);
      p.name = m.value("display_name", "");
      p.role = m.contains("host_key") ? "host" : "participant";
      p.session = &s;
      p.connected = true;
      p.token = "token-" + p.id;
      p.in_lobby = waiting_room && p.role != "host";
      peers_.push_back(p);
      Peer& added = peers_.back();
      if (added.in_lobby) {
        reply(added, m, "lobby", {{"participant_id", added.id}, {"meeting", Json::object()}});
        for (auto& h : peers_) {
          if (h.role == "host" && !h.in_lobby && &h != &added) {
            to(h, message("participant_waiting",
                          {{"participant",
                            {{"participant_id", added.id},
                             {"display_name", added.name},
                             {"role", added.role}}}}));
          }
        }
      } else {
        Json j = joined(added, false);
        j["in_reply_to"] = m["id"];
        to(added, message("joined", j));
      }
      return;
    }
    Peer* from = peer_of(s);
    ASSERT_NE(from, nullptr) << "a message before hello";
    if (type == "admit") {
      for (auto& p : peers_) {
        if (p.id == m.value("participant_id", "") && p.in_lobby) {
          p.in_lobby = false;
          reply(*from, m, "ack");
          to(p, message("joined", joined(p, false)));
          offer(p);
          return;
        }
      }
      error(*from, m, "unknown_participant");
    } else if (type == "key_package") {
      auto bytes = from_base64url(m.value("key_package", ""));
      ASSERT_TRUE(bytes.ok());
      auto kp = mls::decode_mls_message(*bytes);
      ASSERT_TRUE(kp.ok() && kp->key_package() != nullptr);
      from->key_package = *bytes;
      from->signature_key = kp->key_package()->leaf_node.signature_key;
      reply(*from, m, "ack");
      offer(*from);
    } else if (type == "group_info") {
      if (seq_) return error(*from, m, "out_of_order");
      auto bytes = from_base64url(m.value("group_info", ""));
      ASSERT_TRUE(bytes.ok());
      auto seq = server::MeetingSequencer::create(*bytes);
      if (!seq.ok()) return error(*from, m, "invalid_message");
      seq_ = std::move(seq).value();
      from->member = true;
      from->signature_key = seq_->group().tree().leaf(mls::LeafIndex{0})->signature_key;
      reply(*from, m, "ack", {{"epoch", seq_->epoch()}});
      for (auto& p : peers_) offer(p);
    } else if (type == "commit") {
      if (!from->member) return error(*from, m, "not_member");
      auto bytes = from_base64url(m.value("commit", ""));
      ASSERT_TRUE(bytes.ok());
      auto accepted = seq_->submit_commit(*bytes);
      if (!accepted.ok()) {
        if (accepted.error().is(server::Errc::stale_commit)) {
          return error(*from, m, "stale_commit", {{"epoch", seq_->epoch()}});
        }
        return error(*from, m, "invalid_commit");
      }
      log_.push_back({accepted->epoch, *bytes});
      reply(*from, m, "ack", {{"epoch", accepted->epoch}});
      const Json broadcast = message(
          "commit", {{"commit", b64(*bytes)}, {"epoch", accepted->epoch}, {"committer", from->id}});
      for (auto& p : peers_) {
        if (p.member) to(p, broadcast);
      }
      const mls::RatchetTree& tree = seq_->group().tree();
      for (auto leaf : accepted->added) {
        const mls::LeafNode* node = tree.leaf(leaf);
        for (auto& p : peers_) {
          if (node != nullptr && !p.member && p.signature_key == node->signature_key) {
            p.member = true;
            to(p, message("welcome", {{"welcome", m.value("welcome", "")},
                                      {"epoch", accepted->epoch}}));
          }
        }
      }
      for (auto& p : peers_) {
        if (p.member && !p.signature_key.empty() &&
            !tree.find_leaf_by_signature_key(p.signature_key)) {
          p.member = false;
          to(p, message("removed", {{"reason", "removed"}}));
        }
      }
    } else if (type == "proposal") {
      auto bytes = from_base64url(m.value("proposal", ""));
      ASSERT_TRUE(bytes.ok());
      if (!seq_->submit_proposal(*bytes).ok()) return error(*from, m, "invalid_proposal");
      reply(*from, m, "ack");
      broadcast_proposal(*bytes, from->id);
    } else if (type == "application") {
      auto bytes = from_base64url(m.value("message", ""));
      ASSERT_TRUE(bytes.ok());
      std::vector<Bytes> copies{*bytes};
      if (forward_application) copies = forward_application(*bytes);
      for (auto& p : peers_) {
        if (!p.member || &p == from) continue;
        for (const auto& c : copies) {
          to(p, message("application", {{"message", b64(c)}, {"sender", from->id}}));
        }
      }
    } else if (type == "catch_up") {
      const uint64_t epoch = m.value("epoch", uint64_t{0});
      for (const auto& [e, commit] : log_) {
        if (e > epoch) {
          to(*from, message("commit", {{"commit", b64(commit)}, {"epoch", e}, {"committer", "?"}}));
        }
      }
      for (const auto& p : seq_->epoch_messages()) {
        to(*from, message("proposal", {{"proposal", b64(p)}, {"epoch", seq_->epoch()},
                                       {"proposer", "?"}}));
      }
    } else if (type == "leave") {
      reply(*from, m, "ack");
      from->connected = false;
      if (from->member) propose_remove(*from);
    } else {
      error(*from, m, "unknown_type");
    }
  }

  // Sends the add_request for a joined non-member with a KeyPackage.
  void offer(Peer& joiner) {
    if (!seq_ || joiner.member || joiner.in_lobby || joiner.key_package.empty()) return;
    for (auto& h : peers_) {
      if (!h.member || h.role != "host") continue;
      if (route_add_request && !route_add_request(joiner, h)) continue;
      to(h, message("add_request",
                    {{"participant",
                      {{"participant_id", joiner.id},
                       {"display_name", joiner.name},
                       {"role", joiner.role}}},
                     {"key_package", b64(joiner.key_package)}}));
    }
  }

  void propose_remove(Peer& p) {
    auto leaf = seq_->group().tree().find_leaf_by_signature_key(p.signature_key);
    ASSERT_TRUE(leaf.has_value());
    auto bytes = seq_->propose_remove(*leaf, server_key_, 0);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    broadcast_proposal(*bytes, "server");
  }

  void broadcast_proposal(const Bytes& bytes, const std::string& proposer) {
    const Json m = message(
        "proposal", {{"proposal", b64(bytes)}, {"epoch", seq_->epoch()}, {"proposer", proposer}});
    for (auto& p : peers_) {
      if (p.member) to(p, m);
    }
  }

  mls::CipherSuite suite_;
  crypto::SignaturePrivateKey server_key_;
  Bytes external_sender_;
  std::deque<Peer> peers_;
  std::vector<MeetingSession*> sessions_;
  std::map<MeetingSession*, std::deque<Json>> inbox_;
  std::optional<server::MeetingSequencer> seq_;
  std::vector<std::pair<uint64_t, Bytes>> log_;
  uint64_t next_id_ = 1;
};

class MeetingSessionTest : public ::testing::Test {
 protected:
  struct Member {
    std::unique_ptr<MeetingSession> session;
    std::vector<Json> events;
  };

  Member& make(const std::string& name, bool host, milliseconds delay = milliseconds(500),
               AdmitPolicy admit = AdmitPolicy::none) {
    SessionConfig config;
    config.meeting_id = "m1";
    config.display_name = name;
    if (host) config.host_key = "key";
    config.admit = admit;
    config.commit_delay = [delay] { return delay; };
    auto s = MeetingSession::create(config);
    EXPECT_TRUE(s.ok());
    auto& m = members_[name];
    m.session = std::move(s).value();
    return m;
  }
  MeetingSession& s(const std::string& name) { return *members_.at(name).session; }

  Member& join(const std::string& name, bool host, milliseconds delay = milliseconds(500),
               AdmitPolicy admit = AdmitPolicy::none) {
    Member& m = make(name, host, delay, admit);
    relay_.connect(*m.session, now_);
    settle();
    return m;
  }

  // Pumps, then lets time run to each deadline until nothing is due
  // within `horizon`.
  void settle(milliseconds horizon = milliseconds(5000)) {
    const TimePoint limit = now_ + horizon;
    relay_.pump(now_);
    collect();
    for (int i = 0; i < 100; ++i) {
      std::optional<TimePoint> next;
      for (auto& [name, m] : members_) {
        auto d = m.session->next_deadline();
        if (d && (!next || *d < *next)) next = d;
      }
      if (!next || *next > limit) break;
      if (*next > now_) now_ = *next;
      for (auto& [name, m] : members_) m.session->tick(now_);
      relay_.pump(now_);
      collect();
    }
  }
  void collect() {
    for (auto& [name, m] : members_) {
      for (auto& e : m.session->take_events()) m.events.push_back(std::move(e));
    }
  }
  std::vector<Json> events_of(const std::string& name, const std::string& kind) {
    collect();
    std::vector<Json> out;
    for (const auto& e : members_.at(name).events) {
      if (e.value("event", "") == kind) out.push_back(e);
    }
    return out;
  }
  void clear_events() {
    collect();
    for (auto& [name, m] : members_) m.events.clear();
  }

  // A meeting of a host "alice" and members added one by one.
  void meeting_of(const std::vector<std::pair<std::string, bool>>& others) {
    join("alice", true, milliseconds(300));
    ASSERT_TRUE(s("alice").is_member());
    milliseconds delay(600);
    for (const auto& [name, host] : others) {
      join(name, host, delay);
      delay += milliseconds(300);
      ASSERT_TRUE(s(name).is_member()) << name;
    }
  }

  void expect_same_group(const std::vector<std::string>& names) {
    ASSERT_FALSE(names.empty());
    const auto epoch = s(names[0]).epoch();
    const auto code = s(names[0]).security_code();
    ASSERT_TRUE(epoch.has_value());
    EXPECT_EQ(code.size(), 23u);
    for (const auto& n : names) {
      EXPECT_EQ(s(n).epoch(), epoch) << n;
      EXPECT_EQ(s(n).security_code(), code) << n;
      EXPECT_EQ(s(n).roster().size(), names.size()) << n;
    }
  }

  Json server_message(std::string type, Json fields) {
    fields["v"] = 1;
    fields["type"] = std::move(type);
    fields["id"] = "s-test";
    return fields;
  }

  Relay relay_;
  TimePoint now_{milliseconds(1000)};
  std::map<std::string, Member> members_;
};

TEST_F(MeetingSessionTest, FirstHostCreatesTheGroup) {
  Member& alice = join("alice", true);
  EXPECT_TRUE(alice.session->is_member());
  EXPECT_EQ(alice.session->role(), "host");
  EXPECT_EQ(alice.session->epoch(), 0u);
  auto policy = meeting::policy_of(alice.session->group()->context());
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->is_host(alice.session->key_package().key_package.leaf_node.signature_key));
  auto joined = events_of("alice", "joined");
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0]["role"], "host");
  auto roster = events_of("alice", "roster");
  ASSERT_EQ(roster.size(), 1u);
  ASSERT_EQ(roster[0]["members"].size(), 1u);
  EXPECT_EQ(roster[0]["members"][0]["name"], "alice");
  EXPECT_EQ(roster[0]["members"][0]["host"], true);
  EXPECT_EQ(roster[0]["members"][0]["self"], true);
  auto epoch = events_of("alice", "epoch");
  ASSERT_EQ(epoch.size(), 1u);
  EXPECT_EQ(epoch[0]["security_code"], alice.session->security_code());
  EXPECT_TRUE(relay_.sequencer().has_value());
}

TEST_F(MeetingSessionTest, LobbyAdmitWelcomeChatBothWays) {
  relay_.waiting_room = true;
  join("alice", true, milliseconds(300), AdmitPolicy::all);
  Member& bob = join("bob", false);
  EXPECT_EQ(events_of("bob", "lobby").size(), 1u);
  EXPECT_EQ(events_of("alice", "waiting").size(), 1u);
  EXPECT_EQ(events_of("bob", "joined").size(), 1u);
  ASSERT_TRUE(bob.session->is_member());
  expect_same_group({"alice", "bob"});
  EXPECT_EQ(s("alice").epoch(), 1u);
  auto roster = s("bob").roster();
  ASSERT_EQ(roster.size(), 2u);
  EXPECT_EQ(roster[0].name, "alice");
  EXPECT_TRUE(roster[0].host);
  EXPECT_EQ(roster[1].name, "bob");
  EXPECT_FALSE(roster[1].host);
  EXPECT_TRUE(roster[1].self);

  ASSERT_TRUE(s("alice").say("hello bob", now_).ok());
  ASSERT_TRUE(s("bob").say("hi alice", now_).ok());
  settle();
  auto bob_chat = events_of("bob", "chat");
  ASSERT_EQ(bob_chat.size(), 2u);  // its own echo and alice's
  EXPECT_EQ(bob_chat[0]["text"], "hi alice");
  EXPECT_EQ(bob_chat[0]["self"], true);
  EXPECT_EQ(bob_chat[1]["text"], "hello bob");
  EXPECT_EQ(bob_chat[1]["from"], "alice");
  EXPECT_EQ(bob_chat[1]["leaf"], 0);
  EXPECT_EQ(bob_chat[1]["epoch"], 1);
  auto alice_chat = events_of("alice", "chat");
  ASSERT_EQ(alice_chat.size(), 2u);
  EXPECT_EQ(alice_chat[1]["text"], "hi alice");
  EXPECT_EQ(alice_chat[1]["from"], "bob");
  EXPECT_TRUE(events_of("alice", "rejected").empty());
  EXPECT_TRUE(events_of("bob", "rejected").empty());
}

TEST_F(MeetingSessionTest, WithoutAdmitAllTheJoinerWaits) {
  relay_.waiting_room = true;
  join("alice", true);
  Member& bob = join("bob", false);
  EXPECT_EQ(bob.session->phase(), MeetingSession::Phase::lobby);
  EXPECT_EQ(events_of("alice", "waiting").size(), 1u);
  EXPECT_EQ(s("alice").epoch(), 0u);
}

TEST_F(MeetingSessionTest, HostJoinerBecomesHostInThePolicy) {
  meeting_of({{"carol", true}, {"bob", false}});
  expect_same_group({"alice", "carol", "bob"});
  auto roster = s("bob").roster();
  ASSERT_EQ(roster.size(), 3u);
  EXPECT_TRUE(roster[0].host);
  EXPECT_TRUE(roster[1].host);   // carol
  EXPECT_FALSE(roster[2].host);  // bob
}

TEST_F(MeetingSessionTest, CommitRaceLoserDropsAndRetries) {
  meeting_of({{"carol", true}});
  // dave's add_request goes only to alice, erin's only to carol: both
  // commit an Add for the same epoch.
  relay_.route_add_request = [](const Relay::Peer& joiner, const Relay::Peer& host) {
    return (joiner.name == "dave") == (host.name == "alice");
  };
  Member& dave = make("dave", false);
  Member& erin = make("erin", false);
  relay_.connect(*dave.session, now_);
  relay_.connect(*erin.session, now_);
  clear_events();
  settle();
  ASSERT_TRUE(dave.session->is_member());
  ASSERT_TRUE(erin.session->is_member());
  expect_same_group({"alice", "carol", "dave", "erin"});
  // Two epochs: alice's commit won, carol's retry came next.
  EXPECT_EQ(s("alice").epoch(), 3u);
  EXPECT_TRUE(events_of("carol", "error").empty());  // a lost race is not an error
  EXPECT_EQ(events_of("carol", "epoch").size(), 2u);
}

TEST_F(MeetingSessionTest, StaleCommitIsDroppedAndRetriedLater) {
  meeting_of({{"carol", true}});
  clear_events();
  // The server answers stale_commit before the winner arrives (or the
  // winner never comes): carol drops her commit and retries after a pause
  // while frank is still not in the tree.
  auto bundle = outsider("frank");
  Json request = server_message(
      "add_request",
      {{"participant", {{"participant_id", "p9"}, {"display_name", "frank"}, {"role", "participant"}}},
       {"key_package", b64(mls::MLSMessage{mls::ProtocolVersion::mls10, bundle.key_package})}});
  s("carol").receive(request, now_);
  auto out = s("carol").take_outgoing();
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0]["type"], "commit");
  EXPECT_TRUE(out[0].contains("welcome"));
  EXPECT_TRUE(s("carol").has_pending_commit());
  s("carol").receive(server_message("error", {{"code", "stale_commit"},
                                              {"message", "stale"},
                                              {"in_reply_to", out[0]["id"]},
                                              {"epoch", 99}}),
                     now_);
  EXPECT_FALSE(s("carol").has_pending_commit());
  EXPECT_TRUE(s("carol").take_outgoing().empty());
  auto deadline = s("carol").next_deadline();
  ASSERT_TRUE(deadline.has_value());
  now_ = *deadline;
  s("carol").tick(now_);
  auto retry = s("carol").take_outgoing();
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0]["type"], "commit");
  EXPECT_NE(retry[0]["id"], out[0]["id"]);
  EXPECT_TRUE(s("carol").has_pending_commit());
  // A late stale answer about the first commit does not touch the retry.
  s("carol").receive(server_message("error", {{"code", "stale_commit"},
                                              {"message", "stale"},
                                              {"in_reply_to", out[0]["id"]},
                                              {"epoch", 99}}),
                     now_);
  EXPECT_TRUE(s("carol").has_pending_commit());
  EXPECT_TRUE(events_of("carol", "error").empty());
}

TEST_F(MeetingSessionTest, ServerRemoveIsCommittedByTheFirstMemberDue) {
  meeting_of({{"carol", true}, {"bob", false}});
  const uint64_t before = *s("alice").epoch();
  clear_events();
  relay_.server_remove(s("bob"));
  settle();
  EXPECT_TRUE(s("bob").ended());
  EXPECT_EQ(s("bob").end_reason(), EndReason::removed);
  auto left = events_of("bob", "left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["reason"], "removed");
  // alice (300 ms) committed; carol (600 ms) saw the commit first and
  // dropped her timer.
  EXPECT_EQ(*s("alice").epoch(), before + 1);
  expect_same_group({"alice", "carol"});
  EXPECT_EQ(events_of("carol", "epoch").size(), 1u);
  EXPECT_TRUE(events_of("carol", "error").empty());
}

TEST_F(MeetingSessionTest, LeaveEndsCleanlyAndTheRestRekey) {
  meeting_of({{"bob", false}});
  const uint64_t before = *s("alice").epoch();
  s("bob").leave(now_);
  settle();
  EXPECT_EQ(s("bob").end_reason(), EndReason::left);
  EXPECT_EQ(*s("alice").epoch(), before + 1);
  EXPECT_EQ(s("alice").roster().size(), 1u);
}

TEST_F(MeetingSessionTest, AddByNonHostIsRejected) {
  meeting_of({{"carol", true}, {"bob", false}});
  clear_events();
  const uint64_t epoch = *s("alice").epoch();
  mls::CommitOptions options;
  options.proposals.push_back(mls::Proposal{mls::Add{outsider("mallory").key_package}});
  auto forged = s("bob").group()->commit(options);
  ASSERT_TRUE(forged.ok()) << forged.error().to_string();
  for (const char* name : {"alice", "carol"}) {
    s(name).receive(server_message("commit", {{"commit", b64(forged->commit)},
                                              {"epoch", epoch + 1},
                                              {"committer", "p3"}}),
                    now_);
    auto rejected = events_of(name, "rejected");
    ASSERT_EQ(rejected.size(), 1u) << name;
    EXPECT_EQ(rejected[0]["what"], "commit");
    EXPECT_NE(rejected[0]["reason"].get<std::string>().find("CV-POLICY-002"), std::string::npos)
        << rejected[0].dump();
    EXPECT_EQ(s(name).epoch(), epoch);
    EXPECT_EQ(s(name).roster().size(), 3u);
  }
}

TEST_F(MeetingSessionTest, AddWhileLockedIsRejected) {
  meeting_of({{"carol", true}, {"bob", false}});
  ASSERT_TRUE(s("alice").set_locked(true, now_).ok());
  settle();
  for (const char* name : {"alice", "carol", "bob"}) {
    auto policy = meeting::policy_of(s(name).group()->context());
    ASSERT_TRUE(policy.ok());
    EXPECT_EQ(policy->locked, 1) << name;
  }
  expect_same_group({"alice", "carol", "bob"});
  clear_events();
  const uint64_t epoch = *s("alice").epoch();
  mls::CommitOptions options;
  options.proposals.push_back(mls::Proposal{mls::Add{outsider("mallory").key_package}});
  auto forged = s("carol").group()->commit(options);
  ASSERT_TRUE(forged.ok());
  for (const char* name : {"alice", "bob"}) {
    s(name).receive(server_message("commit", {{"commit", b64(forged->commit)},
                                              {"epoch", epoch + 1},
                                              {"committer", "p2"}}),
                    now_);
    auto rejected = events_of(name, "rejected");
    ASSERT_EQ(rejected.size(), 1u) << name;
    EXPECT_NE(rejected[0]["reason"].get<std::string>().find("CV-POLICY-003"), std::string::npos);
    EXPECT_EQ(s(name).epoch(), epoch);
  }
  // A host session does not commit Adds while locked either.
  auto bundle = outsider("frank");
  s("alice").receive(
      server_message(
          "add_request",
          {{"participant", {{"participant_id", "p9"}, {"display_name", "frank"}, {"role", "participant"}}},
           {"key_package", b64(mls::MLSMessage{mls::ProtocolVersion::mls10, bundle.key_package})}}),
      now_);
  EXPECT_TRUE(s("alice").take_outgoing().empty());
}

TEST_F(MeetingSessionTest, ServerProposingAddIsRejectedAndNotStored) {
  meeting_of({{"bob", false}});
  clear_events();
  const mls::Group& g = *s("alice").group();
  mls::FramedContent content{g.group_id(), g.epoch(), mls::Sender::external(0), {},
                             mls::Proposal{mls::Add{outsider("mallory").key_package}}};
  auto signature = g.suite().sign_with_label(
      relay_.server_key(), "FramedContentTBS",
      mls::encode_framed_content_tbs(mls::WireFormat::mls_public_message, content, nullptr));
  ASSERT_TRUE(signature.ok());
  mls::PublicMessage pub{std::move(content), {std::move(signature).value(), std::nullopt},
                         std::nullopt};
  mls::MLSMessage message{mls::ProtocolVersion::mls10, std::move(pub)};
  s("alice").receive(server_message("proposal", {{"proposal", b64(message)},
                                                 {"epoch", g.epoch()},
                                                 {"proposer", "server"}}),
                     now_);
  auto rejected = events_of("alice", "rejected");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["what"], "proposal");
  EXPECT_NE(rejected[0]["reason"].get<std::string>().find("CV-POLICY-005"), std::string::npos);
  EXPECT_TRUE(s("alice").group()->proposal_store().empty());
  EXPECT_FALSE(s("alice").next_deadline().has_value());
}

TEST_F(MeetingSessionTest, TamperedApplicationIsRejected) {
  meeting_of({{"bob", false}});
  clear_events();
  relay_.forward_application = [](const Bytes& b) {
    Bytes t = b;
    t[t.size() - 5] ^= 0x01;  // inside the AEAD ciphertext
    return std::vector<Bytes>{t};
  };
  ASSERT_TRUE(s("alice").say("secret", now_).ok());
  settle();
  EXPECT_TRUE(events_of("bob", "chat").empty());
  auto rejected = events_of("bob", "rejected");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["what"], "application");
  // Nothing changed: the next, untouched message is read.
  relay_.forward_application = nullptr;
  ASSERT_TRUE(s("alice").say("again", now_).ok());
  settle();
  auto chat = events_of("bob", "chat");
  ASSERT_EQ(chat.size(), 1u);
  EXPECT_EQ(chat[0]["text"], "again");
}

TEST_F(MeetingSessionTest, ReplayedApplicationIsDropped) {
  meeting_of({{"bob", false}});
  clear_events();
  relay_.forward_application = [](const Bytes& b) { return std::vector<Bytes>{b, b}; };
  ASSERT_TRUE(s("alice").say("once", now_).ok());
  settle();
  auto chat = events_of("bob", "chat");
  ASSERT_EQ(chat.size(), 1u);
  EXPECT_EQ(chat[0]["text"], "once");
  auto rejected = events_of("bob", "rejected");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["what"], "application");
}

TEST_F(MeetingSessionTest, ReconnectResumesAndCatchesUp) {
  meeting_of({{"carol", true}});
  relay_.drop(s("carol"));
  EXPECT_TRUE(s("carol").disconnected(now_));
  join("bob", false);  // alice adds bob while carol is away
  ASSERT_TRUE(s("bob").is_member());
  EXPECT_EQ(*s("carol").epoch() + 1, *s("alice").epoch());
  relay_.connect(s("carol"), now_);
  auto hello = s("carol").take_outgoing();
  ASSERT_EQ(hello.size(), 1u);
  EXPECT_EQ(hello[0]["resume_token"], "token-p2");
  // Put the hello back through the relay.
  relay_.drop(s("carol"));
  relay_.connect(s("carol"), now_);
  settle();
  expect_same_group({"alice", "carol", "bob"});
  auto joined = events_of("carol", "joined");
  ASSERT_FALSE(joined.empty());
  EXPECT_EQ(joined.back()["resumed"], true);
}

TEST_F(MeetingSessionTest, HostileInputChangesNothing) {
  meeting_of({{"bob", false}});
  clear_events();
  MeetingSession& alice = s("alice");
  const auto epoch = alice.epoch();
  const auto code = alice.security_code();
  alice.receive_text("not json", now_);
  alice.receive_text("[1,2]", now_);
  alice.receive(Json{{"type", 7}}, now_);
  alice.receive(server_message("commit", {{"commit", 5}}), now_);
  alice.receive(server_message("commit", {{"commit", "!!!"}}), now_);
  alice.receive(server_message("commit", {{"commit", b64(crypto::random_bytes(40))}}), now_);
  alice.receive(server_message("proposal", {{"proposal", Json::array()}}), now_);
  alice.receive(server_message("application", {{"message", b64(Bytes{0, 1, 0, 2})}}), now_);
  alice.receive(server_message("welcome", {{"welcome", "AAAA"}}), now_);
  alice.receive(server_message("add_request", {{"participant", "x"}}), now_);
  alice.receive(server_message("joined", {{"external_sender", "%%%"}}), now_);
  alice.receive(server_message("ack", {{"in_reply_to", Json::object()}}), now_);
  EXPECT_EQ(alice.epoch(), epoch);
  EXPECT_EQ(alice.security_code(), code);
  EXPECT_FALSE(alice.ended());
  EXPECT_GE(events_of("alice", "rejected").size(), 6u);
  EXPECT_GE(events_of("alice", "error").size(), 3u);
}

TEST_F(MeetingSessionTest, OldCommitReplayIsRejected) {
  meeting_of({{"carol", true}});
  // carol's join commit, recorded by the relay's sequencer, replayed to
  // alice one epoch later.
  const Bytes old = relay_.sequencer()->last_commit();
  join("bob", false);
  clear_events();
  const auto epoch = s("alice").epoch();
  s("carol").receive(server_message("commit", {{"commit", b64(old)}, {"epoch", 1}}), now_);
  auto rejected = events_of("carol", "rejected");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_NE(rejected[0]["reason"].get<std::string>().find("ended"), std::string::npos);
  EXPECT_EQ(s("carol").epoch(), epoch);
}

TEST_F(MeetingSessionTest, HelloRefusedEndsTheSession) {
  Member& m = make("zed", false);
  relay_.connect(*m.session, now_);
  auto hello = m.session->take_outgoing();
  ASSERT_EQ(hello.size(), 1u);
  m.session->receive(server_message("error", {{"code", "not_found"},
                                              {"message", "no such meeting"},
                                              {"in_reply_to", hello[0]["id"]}}),
                     now_);
  EXPECT_TRUE(m.session->ended());
  EXPECT_EQ(m.session->end_reason(), EndReason::failed);
  EXPECT_FALSE(m.session->disconnected(now_));
}

}  // namespace
}  // namespace conclave::client
