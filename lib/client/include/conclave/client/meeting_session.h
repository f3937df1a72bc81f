// MeetingSession: one participant's side of a meeting (docs/protocol.md),
// as a pure state machine: no sockets, no threads, time passed in. The
// caller (Client, or a test's relay) moves JSON messages between it and the
// server and reads the events it reports.
//
//   connected(now) ──> hello {meeting_id, display_name, passcode?, host_key?,
//                              resume_token?}
//   joined / lobby ──> key_package (unless a member)   first host, no group:
//                                                      Group::create ─> group_info
//   welcome ─────────> Group::join                     (becomes a member)
//   add_request ─────> host member: commit Add (+ GroupContextExtensions
//                      naming a host joiner) ─> pending until its own commit
//                      comes back as `commit` (adopt) or `stale_commit`
//                      (drop; retry while the joiner is still not in the tree)
//   commit ──────────> handle ─> StagedCommit ─> meeting::check_commit ─> apply
//   proposal ────────> meeting::check_proposal ─> handle (stored); committed
//                      after a random 200-1000 ms unless a commit comes first
//   application ─────> handle ─> chat event        say(text) ─> application
//   leave() ─────────> leave                       disconnected() ─> resume
//
// Outputs: take_outgoing() (messages to send, in order) and take_events()
// (one JSON object per event, each with "event" and "time": seconds since
// the session started). Events: joined, lobby, waiting, epoch {epoch,
// security_code}, roster {epoch, members [{leaf, name, host, self}]}, chat
// {from, participant_id, leaf, text, epoch}, rejected {what, reason, rule},
// error {code, message}, left {reason}.
//
// Anything the server sends that fails (a bad MLS message, a CV-POLICY-*
// violation, a decryption failure, a replay) gives a `rejected` or `error`
// event and changes no state. Nothing here throws on received input.
//
// Chat messages travel as MLS application data holding the UTF-8 JSON
// object {"type": "chat", "text": "..."} (docs/client.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/mls/group.h"

namespace conclave::client {

using Json = nlohmann::json;
using TimePoint = Clock::TimePoint;

// What a host does with participants waiting in the lobby.
enum class AdmitPolicy {
  none,  // leave them for another host
  all,   // admit everyone who waits
};

struct SessionConfig {
  std::string meeting_id;
  std::string display_name;
  std::optional<std::string> passcode;
  std::optional<std::string> host_key;
  AdmitPolicy admit = AdmitPolicy::none;
  // Delay before committing pending proposals (server Removes); empty: a
  // random 200-1000 ms.
  std::function<std::chrono::milliseconds()> commit_delay;
  // A commit the server neither sequences nor refuses within this time is
  // dropped (and retried while its reason stands).
  std::chrono::milliseconds commit_timeout{10000};
};

// How a session ended.
enum class EndReason {
  left,     // we left (the server acknowledged, or closed after leave)
  removed,  // a commit removed us, or the server said `removed`
  denied,   // a host denied us in the lobby
  failed,   // a fatal error (hello refused, key package refused, ...)
};
std::string_view to_string(EndReason reason);

struct RosterEntry {
  mls::LeafIndex leaf;
  std::string name;  // the Basic credential's identity
  bool host = false;
  bool self = false;
};

class MeetingSession {
 public:
  enum class Phase {
    idle,        // before connected()
    connecting,  // hello sent
    lobby,       // waiting for a host
    joined,      // joined, not (yet) a member of the group
    member,      // holds the group's keys
    ended,
  };

  // Makes the session's KeyPackage (suite 1, Basic credential = display
  // name, capabilities naming the meeting policy extension).
  static Result<std::unique_ptr<MeetingSession>> create(SessionConfig config);

  MeetingSession(const MeetingSession&) = delete;
  MeetingSession& operator=(const MeetingSession&) = delete;
  ~MeetingSession();

  // ------------------------------------------------------- connection
  // A (new) connection is up: sends hello, with the resume token after a
  // drop.
  void connected(TimePoint now);
  // The connection dropped without our asking. Returns whether a reconnect
  // makes sense (false once the session has ended).
  bool disconnected(TimePoint now);
  // The server closed the connection normally (after leave, removed or
  // denied): ends the session if that was expected.
  void closed_by_server(TimePoint now);

  // ---------------------------------------------------------- inputs
  void receive(const Json& message, TimePoint now);
  // A text frame: malformed JSON becomes an error event.
  void receive_text(std::string_view text, TimePoint now);
  // Runs what is due (delayed commits, retries, timeouts).
  void tick(TimePoint now);
  // The earliest time tick() has something to do.
  std::optional<TimePoint> next_deadline() const;

  // ---------------------------------------------------------- actions
  // Sends a chat message to the group (member only).
  Status say(std::string_view text, TimePoint now);
  // Leaves the meeting.
  void leave(TimePoint now);
  // Host members: commit the group's locked flag (members then refuse Adds).
  Status set_locked(bool locked, TimePoint now);

  // --------------------------------------------------------- outputs
  std::vector<Json> take_outgoing();
  std::vector<Json> take_events();

  // ----------------------------------------------------------- state
  Phase phase() const { return phase_; }
  bool ended() const { return phase_ == Phase::ended; }
  bool is_member() const { return phase_ == Phase::member; }
  std::optional<EndReason> end_reason() const { return end_reason_; }
  const std::string& participant_id() const { return participant_id_; }
  const std::string& role() const { return role_; }
  // The group, when a member (tests read it; commit() is const).
  const mls::Group* group() const;
  std::optional<uint64_t> epoch() const;
  // meeting::security_code of the current epoch ("" when not a member).
  std::string security_code() const;
  std::vector<RosterEntry> roster() const;
  // Whether a commit of ours waits for the server's verdict.
  bool has_pending_commit() const;
  const mls::KeyPackageBundle& key_package() const;

  struct State;

 private:
  explicit MeetingSession(std::unique_ptr<State> state);

  // One handler per server message type.
  void on_joined(const Json& m, TimePoint now);
  void on_lobby(const Json& m, TimePoint now);
  void on_ack(const Json& m, TimePoint now);
  void on_error(const Json& m, TimePoint now);
  void on_add_request(const Json& m, TimePoint now);
  void on_welcome(const Json& m, TimePoint now);
  void on_commit(const Json& m, TimePoint now);
  void on_proposal(const Json& m, TimePoint now);
  void on_application(const Json& m, TimePoint now);
  void on_participant_waiting(const Json& m, TimePoint now);
  void on_meeting_updated(const Json& m, TimePoint now);

  std::string send(std::string type, Json fields);
  void emit(std::string event, Json fields, TimePoint now);
  void reject(std::string_view what, const Error& error, TimePoint now);
  void reject(std::string_view what, std::string_view reason, TimePoint now);
  void end(EndReason reason, TimePoint now, std::string_view detail = {});
  void upload_key_package();
  void create_group(TimePoint now);
  void adopt(mls::Group group, TimePoint now);
  void announce_epoch(TimePoint now);
  // Commits what is due (adds, lock, stored proposals) when nothing is
  // pending.
  void maybe_commit(TimePoint now);

  std::unique_ptr<State> s_;
  Phase phase_ = Phase::idle;
  std::optional<EndReason> end_reason_;
  std::string participant_id_;
  std::string role_;
};

}  // namespace conclave::client
