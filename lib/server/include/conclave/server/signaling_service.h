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
// attempt charges both. Secrets (passcodes, host keys) are never logged.
//
// Phase 2 (MLS delivery service) adds the message types that are reserved
// here and answered with `not_implemented`: key_package, commit, proposal,
// welcome, application, group_info.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "conclave/base/clock.h"
#include "conclave/net/websocket_connection.h"
#include "conclave/server/config.h"
#include "conclave/server/envelope.h"
#include "conclave/server/rate_limiter.h"
#include "conclave/store/store.h"

namespace conclave::server {

class SignalingService final : public net::WebSocketHandler {
 public:
  SignalingService(store::Store& store, const Clock& clock, const Config& config);

  void on_websocket_open(const std::shared_ptr<net::WebSocketConnection>& connection) override;
  void on_websocket_message(net::WebSocketConnection& connection,
                            const net::WebSocketMessage& message) override;
  void on_websocket_close(net::WebSocketConnection& connection) override;

  // The REST API changed a meeting's settings: tell everyone connected.
  void on_meeting_updated(const store::Meeting& meeting);

  // For tests and status: meetings with someone connected, and counts.
  size_t active_meetings() const { return rooms_.size(); }
  size_t lobby_size(const std::string& meeting_id) const;
  size_t joined_count(const std::string& meeting_id) const;

  // The limiters are shared with the REST API (same budget per address).
  RateLimiter& auth_per_address() { return auth_per_address_; }
  RateLimiter& auth_per_meeting() { return auth_per_meeting_; }

  // The message types reserved for phase 2.
  static bool is_reserved_type(std::string_view type);

 private:
  enum class State { connected, lobby, joined };
  struct Participant {
    std::shared_ptr<net::WebSocketConnection> connection;
    std::string participant_id;
    std::string display_name;
    std::string meeting_id;
    State state = State::connected;
    bool host = false;
  };
  struct Room {
    std::vector<uint64_t> lobby;  // in arrival order
    std::set<uint64_t> joined;
  };

  void handle(Participant& p, const Envelope& e);
  void handle_hello(Participant& p, const Envelope& e);
  void handle_admit_or_deny(Participant& p, const Envelope& e, bool admit);
  void handle_leave(Participant& p, const Envelope& e);

  void join(Participant& p, const store::Meeting& meeting, const nlohmann::json& in_reply_to);
  void remove_participant(uint64_t connection_id, std::string_view lobby_reason);

  void send(const Participant& p, const nlohmann::json& message);
  void send_error(const Participant& p, ProtocolError e, const nlohmann::json& in_reply_to,
                  std::string_view message = {});
  void send_to_hosts(const Room& room, const nlohmann::json& message);
  void send_to_joined(const Room& room, const nlohmann::json& message, uint64_t except);

  nlohmann::json participant_json(const Participant& p) const;
  nlohmann::json meeting_json(const store::Meeting& m) const;
  Participant* find_in_lobby(const Room& room, std::string_view participant_id);

  store::Store& store_;
  const Config& config_;
  RateLimiter auth_per_address_;
  RateLimiter auth_per_meeting_;
  std::unordered_map<uint64_t, Participant> participants_;
  std::map<std::string, Room> rooms_;
};

}  // namespace conclave::server
