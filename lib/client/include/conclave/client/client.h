// Client: runs a MeetingSession over a pinned WSS connection
// (net::WebSocketClient) on the calling thread until the session is done.
//
//   connect ─> session.connected ─> loop {
//       send session.take_outgoing()
//       report session.take_events()         (on_client_event)
//       receive(timeout = min(next deadline, end of --for, stop poll))
//       session.receive_text / session.tick
//       queued --say texts once a member (and someone else is in, or after
//       say_wait)
//   } until left, removed, denied, failed, duration over (then leave)
//
// With ClientOptions::media a MediaEngine runs beside the loop: each epoch
// event gives it the epoch's SFrame base key, media_* messages go to it,
// and its messages (SDP offers and answers) go out on the connection.
//
// An unexpected drop reconnects (with the session's resume token, so the
// server restores the same participant) up to max_reconnects times in a row,
// with a growing delay; the session then sends catch_up. A stop request
// (SIGINT in the CLI) makes the session leave cleanly.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/client/media_engine.h"
#include "conclave/client/meeting_session.h"
#include "conclave/net/https_client.h"

namespace conclave::client {

struct ClientOptions {
  std::string path = "/api/v1/signal";
  SessionConfig session;
  // Stay this long, then leave; empty: until the session ends or stop.
  std::optional<std::chrono::milliseconds> duration;
  // Chat messages sent once a member and the roster has say_min_members
  // members (us included), or once say_wait has passed since we became a
  // member (empty: wait for the members however long it takes).
  std::vector<std::string> say;
  size_t say_min_members = 2;
  std::optional<std::chrono::milliseconds> say_wait = std::chrono::milliseconds(3000);
  // TEST ONLY. Epoch events also carry the epoch authenticator and the
  // SFrame base key (hex), so system tests can scan the server for them.
  bool reveal_test_secrets = false;
  // TEST ONLY. Once, this long after becoming a member, the connection is
  // dropped without a close handshake (the client then resumes).
  std::optional<std::chrono::milliseconds> drop_connection_after;
  int max_reconnects = 5;
  std::chrono::milliseconds reconnect_delay{500};  // doubled per failed attempt
  // Set (e.g. from a signal handler) to leave.
  const std::atomic<bool>* stop = nullptr;
  // Audio and video (media_engine.h); empty: chat only. Media starts once
  // we are a member: every epoch hands the engine its SFrame base key.
  std::optional<MediaOptions> media;
};

// How run() ended.
struct ClientOutcome {
  EndReason reason = EndReason::failed;
  std::string detail;
  bool clean() const { return reason == EndReason::left; }
};

class Client {
 public:
  Client(net::ServerEndpoint endpoint, ClientOptions options, const Clock& clock);

  // Called for every session event and for the client's own (connecting,
  // reconnecting), in order.
  std::function<void(const Json& event)> on_client_event;
  // Every message sent (outgoing = true) or received, as text (debugging).
  std::function<void(bool outgoing, std::string_view text)> on_client_trace;

  // Runs until the session is done. An error only when the session could
  // not be created; connection failures end with EndReason::failed.
  Result<ClientOutcome> run();

 private:
  void report(MeetingSession& session, MediaEngine* media);
  void media_events(MediaEngine& media);
  void client_event(std::string name, Json fields);

  net::ServerEndpoint endpoint_;
  ClientOptions options_;
  const Clock& clock_;
  TimePoint start_{};
  std::string last_error_;
  // The signature keys of the group's members at the last epoch handed to
  // the media engine: a member missing from the next epoch was removed.
  std::vector<Bytes> member_keys_;
};

}  // namespace conclave::client
