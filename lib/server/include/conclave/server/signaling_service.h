// SignalingService: the WebSocket side of the server, protocol v1
// (docs/protocol.md). One instance per server; it runs on the server's
// event-loop thread (net::WebSocketHandler callbacks) and owns the
// in-memory state of every meeting that has someone connected:
//
//   connection ──hello──► authenticated ─┬─► joined (host, or no waiting room)
//                                        └─► lobby ──admit──► joined
//                                                  └─deny───► closed
//
// Every message is checked before anything changes: malformed, oversized,
// unknown, out-of-order or unauthorised messages get an `error` reply with
// `in_reply_to` and leave all state as it was. Passcode and host-key
// attempts are rate-limited per remote address and per meeting; a failed
// attempt charges both. Every connection has a message budget (token
// bucket, Config::messages_per_second / messages_burst); a message over it
// gets `rate_limited` and is dropped. Secrets (passcodes, host keys) are
// never logged.
//
// The MLS delivery service (signaling_service_mls.cpp): per meeting an
// optional MeetingSequencer over the public group view, created from the
// GroupInfo that the first host uploads (its only member). Commits are
// checked (group view, meeting policy, who they add), sequenced (first
// valid one of an epoch wins) and broadcast in order; Welcomes go to the
// added participants; application messages are forwarded to the other
// members. Departures get
// a Remove proposal signed with the server's external-sender key (an
// Ed25519 key generated at start); a dropped member keeps its seat for
// Config::reconnect_grace_ms and can resume with its token:
//
//   joined ─key_package─► candidate ─add_request─► host commits Add
//          ─commit sequenced─► member ─leave/remove/drop+grace─► Remove
//          proposed ─commit sequenced─► gone
//
// on_tick() drives the timers (grace periods, the fork mode's hold) from
// the injected Clock; the Server calls it a few times a second.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "conclave/base/clock.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/tree_math.h"
#include "conclave/net/websocket_connection.h"
#include "conclave/server/config.h"
#include "conclave/server/envelope.h"
#include "conclave/server/media_service.h"
#include "conclave/server/meeting_sequencer.h"
#include "conclave/server/rate_limiter.h"
#include "conclave/server/token_bucket.h"
#include "conclave/store/store.h"

namespace conclave::server {

class SignalingService final : public net::WebSocketHandler {
 public:
  SignalingService(store::Store& store, const Clock& clock, const Config& config);

  void on_websocket_open(const std::shared_ptr<net::WebSocketConnection>& connection) override;
  void on_websocket_message(net::WebSocketConnection& connection,
                            const net::WebSocketMessage& message) override;
  void on_websocket_close(net::WebSocketConnection& connection) override;

  // Media (signaling_service_media.cpp): without a MediaService the media
  // messages get media_unavailable. on_media_event runs on the loop thread.
  void set_media(MediaService* media) { media_ = media; }
  void on_media_event(const sfu::SfuEvent& event);

  // The REST API changed a meeting's settings: tell everyone connected.
  void on_meeting_updated(const store::Meeting& meeting);

  // Timers: reconnect grace periods, the fork mode's hold. Call a few
  // times a second with the clock's time.
  void on_tick(Clock::TimePoint now);

  // For tests and status: meetings with someone connected, and counts.
  size_t active_meetings() const { return rooms_.size(); }
  size_t lobby_size(const std::string& meeting_id) const;
  size_t joined_count(const std::string& meeting_id) const;
  // The epoch of a meeting's group, nullopt when it has none.
  std::optional<uint64_t> group_epoch(const std::string& meeting_id) const;
  // The group's members the server knows (present or within their grace).
  size_t member_count(const std::string& meeting_id) const;

  // The server's external-sender entry (key and Basic credential
  // "conclave-server") that groups must list first.
  const mls::ExternalSender& external_sender() const { return external_sender_; }

  // The limiters are shared with the REST API (same budget per address).
  RateLimiter& auth_per_address() { return auth_per_address_; }
  RateLimiter& auth_per_meeting() { return auth_per_meeting_; }

  // How many sequenced commits a meeting keeps for catch_up.
  static constexpr size_t kCommitLogSize = 256;

 private:
  enum class State { connected, lobby, joined };
  // A person in a meeting. Keyed by a number that outlives its connection
  // (a resume attaches a new connection to the same participant).
  struct Participant {
    std::shared_ptr<net::WebSocketConnection> connection;  // null while detached
    uint64_t number = 0;
    std::string participant_id;
    std::string display_name;
    std::string meeting_id;
    State state = State::connected;
    bool host = false;
    std::string resume_token;
    std::optional<Clock::TimePoint> detached_since;
    // The MLS side: an uploaded KeyPackage (the MLSMessage and its leaf's
    // signature key) until a commit adds it, then the leaf.
    std::optional<Bytes> key_package;
    Bytes signature_key;
    bool key_package_uploaded = false;
    std::optional<mls::LeafIndex> leaf;
  };
  struct Connection {
    uint64_t participant = 0;
    TokenBucket messages;
  };
  struct LoggedCommit {
    uint64_t epoch = 0;  // the epoch it starts
    Bytes message;
    std::string committer;
  };
  struct LoggedProposal {
    Bytes message;
    std::string proposer;
  };
  // A commit that passed every check, not yet sequenced.
  struct CheckedCommit {
    MeetingSequencer::Staged staged;
    std::optional<Bytes> welcome;
    uint64_t committer = 0;  // participant number
    std::string committer_id;
    mls::LeafIndex committer_leaf;
    std::vector<std::pair<mls::LeafIndex, uint64_t>> added;  // leaf, participant
    nlohmann::json in_reply_to;
  };
  struct HeldCommit {  // HostileMode::fork
    CheckedCommit commit;
    Clock::TimePoint since;
  };
  // The MLS group of a meeting, as the delivery service sees it.
  struct GroupState {
    explicit GroupState(MeetingSequencer s) : sequencer(std::move(s)) {}
    MeetingSequencer sequencer;
    std::map<mls::LeafIndex, uint64_t> leaves;  // present members
    std::set<mls::LeafIndex> departed;          // to be removed
    std::set<mls::LeafIndex> remove_proposed;   // in this epoch
    std::deque<LoggedCommit> log;               // the last kCommitLogSize
    std::vector<LoggedProposal> proposals;      // of this epoch
    std::optional<HeldCommit> held;
  };
  struct Room {
    std::vector<uint64_t> lobby;  // in arrival order
    std::set<uint64_t> joined;    // including detached members
    std::optional<GroupState> group;
    // The latest active_speaker the SFU reported ("" = nobody): sent to
    // every subscriber at media_subscribe too, since the SFU reports only
    // changes and a late joiner would otherwise see nobody speaking.
    std::string active_speaker;
  };

  void handle(Participant& p, const Envelope& e);
  void handle_hello(Participant& p, const Envelope& e);
  void handle_resume(Participant& p, const Envelope& e, const store::Meeting& meeting,
                     const std::string& token);
  // The participant_id of a host's command (admit, deny, remove), after the
  // checks they share; nullopt when an error was sent.
  std::optional<std::string> host_command_target(Participant& p, const Envelope& e);
  void handle_admit_or_deny(Participant& p, const Envelope& e, bool admit);
  void handle_leave(Participant& p, const Envelope& e);

  // Phase 2 (signaling_service_mls.cpp).
  void handle_key_package(Participant& p, const Envelope& e);
  void handle_group_info(Participant& p, const Envelope& e);
  void handle_commit(Participant& p, const Envelope& e);
  void handle_proposal(Participant& p, const Envelope& e);
  void handle_application(Participant& p, const Envelope& e);
  void handle_remove(Participant& p, const Envelope& e);
  void handle_catch_up(Participant& p, const Envelope& e);
  // The member checks shared by commit, proposal, application, catch_up:
  // the room, or nullptr after an error reply.
  Room* member_room(Participant& p, const Envelope& e);
  // A base64url MLS payload field, or nullopt after an error reply.
  std::optional<Bytes> payload_field(Participant& p, const Envelope& e, std::string_view name);
  void sequence_commit(Room& room, CheckedCommit commit, const std::set<uint64_t>* recipients);
  void deliver_rival_commit(Room& room, const CheckedCommit& commit,
                            const std::set<uint64_t>& recipients);
  void release_held_commit(Room& room);
  void fork_commits(Room& room, CheckedCommit second);
  void propose_server_remove(Room& room, mls::LeafIndex leaf);
  // add_request for a joined participant with a KeyPackage.
  nlohmann::json add_request(const Participant& candidate) const;
  void offer_candidate(Room& room, const Participant& candidate);
  void offer_candidates_to(Room& room, const Participant& host);
  // A member is gone for good (left, removed by a host, grace over): its
  // leaf is to be removed; the group ends when no member is left.
  void member_departed(Room& room, Participant& p);
  void hostile_on_key_package(Room& room, const mls::KeyPackage& key_package);

  // Media (signaling_service_media.cpp).
  void handle_media_publish(Participant& p, const Envelope& e);
  void handle_media_subscribe(Participant& p, const Envelope& e);
  void handle_media_answer(Participant& p, const Envelope& e);
  // The media checks: a member of the group with a media service; the
  // room, or nullptr after an error reply.
  Room* media_room(Participant& p, const Envelope& e);
  void media_leave(const Participant& p);
  void send_media_offers(const std::string& meeting_id);
  Participant* find_joined(const Room& room, std::string_view participant_id);

  void join(Participant& p, const store::Meeting& meeting, const nlohmann::json& in_reply_to,
            bool resumed = false);
  void remove_participant(uint64_t number, std::string_view lobby_reason);

  void send(const Participant& p, const nlohmann::json& message);
  void send_error(const Participant& p, ProtocolError e, const nlohmann::json& in_reply_to,
                  std::string_view message = {});
  void send_to_hosts(const Room& room, const nlohmann::json& message);
  void send_to_joined(const Room& room, const nlohmann::json& message, uint64_t except);
  // To every present member of the group (except `except`).
  void send_to_members(const Room& room, const nlohmann::json& message, uint64_t except = 0);

  nlohmann::json participant_json(const Participant& p) const;
  nlohmann::json meeting_json(const store::Meeting& m) const;
  Participant* find_in_lobby(const Room& room, std::string_view participant_id);
  Participant* find_participant(uint64_t number);
  bool has_mode(HostileMode mode) const { return config_.hostile.contains(mode); }

  store::Store& store_;
  const Clock& clock_;
  const Config& config_;
  RateLimiter auth_per_address_;
  RateLimiter auth_per_meeting_;
  crypto::SignaturePrivateKey server_key_;
  mls::ExternalSender external_sender_;
  std::unordered_map<uint64_t, Participant> participants_;  // by number
  std::unordered_map<uint64_t, Connection> connections_;    // by connection id
  std::unordered_map<std::string, uint64_t> resume_tokens_;
  std::map<std::string, Room> rooms_;
  MediaService* media_ = nullptr;
};

}  // namespace conclave::server
