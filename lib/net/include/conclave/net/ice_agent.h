// IceAgent: the controlling side of ICE (RFC 8445) as a native client needs
// it against an ICE-lite server with one host candidate: one candidate
// pair, aggressive nomination, then consent freshness (RFC 7675). Pure
// code: the caller sends what poll() returns to the server's address,
// passes every STUN datagram from the media socket to handle(), and calls
// poll() again at next_timeout().
//
//   start(now) -> checking
//   poll(now) -> Binding requests (RFC 8445 section 7.2.2):
//       USERNAME "<remote ufrag>:<local ufrag>", PRIORITY, ICE-CONTROLLING,
//       USE-CANDIDATE, MESSAGE-INTEGRITY (remote ice-pwd), FINGERPRINT
//     each a STUN transaction retransmitted at RTO 100 ms, 200, 400, ...
//     (RFC 8489 section 6.2.1: Rc = 7 sends, then 16 x RTO for an answer)
//   handle(response): STUN? -> parses? -> Binding response? -> FINGERPRINT
//     -> our transaction? -> from the server's address? -> MESSAGE-INTEGRITY
//     with the remote ice-pwd? -> success with XOR-MAPPED-ADDRESS?
//   first success -> connected: the pair is nominated (USE-CANDIDATE was
//     in the request) and the server selects it
//   connected: a consent check every 4-6 s (RFC 7675 section 5.1: 5 s
//     jittered +-20%); 30 s without a success -> failed (consent_lost)
//   checking: the first transaction times out -> failed (check_timeout)
//
// Every check carries USE-CANDIDATE: RFC 5245 "aggressive nomination",
// which RFC 8445 section 8.1.1 deprecates. With one candidate pair it ends
// where regular nomination would (the only valid pair, nominated) one
// round trip sooner; an agent doing it must not announce the 'ice2' ICE
// option in its SDP. Consent checks carry it too, which keeps the server's
// selected pair on our current address should a NAT rebind it (IceLite
// follows the latest nomination). Error responses are never acted on (an
// unauthenticated 4xx is trivial to forge); they are counted and the
// transaction runs on. Every datagram not accepted as a success has an
// IceAgentDropReason and a counter, as in IceLite.
//
// Transaction IDs (96 random bits, so that an off-path attacker cannot
// answer a check) and the consent jitter come from the crypto library's
// random generator.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/net/stun_message.h"

namespace conclave::net {

enum class IceAgentDropReason : uint8_t {
  not_stun,                // first byte, cookie or length say it is not STUN
  malformed,               // StunMessage::parse() failed
  not_binding_response,    // a request, an indication, or another method
  missing_fingerprint,     // RFC 8445 section 7.3: ICE agents use FINGERPRINT
  bad_fingerprint,         // FINGERPRINT does not match
  unknown_transaction,     // not a transaction we have sent
  stale_transaction,       // a transaction already answered or given up
  wrong_source,            // not from the server's address (RFC 8445 7.2.5.2.1)
  missing_integrity,       // no MESSAGE-INTEGRITY
  bad_integrity,           // MESSAGE-INTEGRITY does not match the remote ice-pwd
  error_response,          // an error response (logged, never acted on)
  missing_mapped_address,  // a success without XOR-MAPPED-ADDRESS
  not_running,             // before start() or after failing
};
inline constexpr size_t kIceAgentDropReasonCount = 13;

std::string_view to_string(IceAgentDropReason reason);

enum class IceAgentState : uint8_t { idle, checking, connected, failed };

std::string_view to_string(IceAgentState state);

enum class IceAgentFailure : uint8_t {
  check_timeout,  // the connectivity check got no valid answer
  consent_lost,   // no consent check succeeded for kConsentTimeout
};

std::string_view to_string(IceAgentFailure failure);

// RFC 8445 section 5.1.2.1: the priority of a peer-reflexive candidate
// (type preference 110), local preference 65535, component 1.
inline constexpr uint32_t kPeerReflexivePriority = (110U << 24) | (65535U << 8) | (256U - 1U);

struct IceAgentConfig {
  std::string local_ufrag;   // our a=ice-ufrag
  std::string remote_ufrag;  // the server's a=ice-ufrag
  SecretBytes remote_pwd;    // the server's a=ice-pwd: keys our requests and its answers
  TransportAddress remote;   // the server's host candidate
  uint64_t tie_breaker = 0;  // random, RFC 8445 section 16.1
  uint32_t priority = kPeerReflexivePriority;
  Clock::Duration initial_rto = std::chrono::milliseconds(100);
  size_t max_transmissions = 7;   // Rc
  uint32_t final_wait_factor = 16;  // Rm: the last send waits Rm x initial RTO
  Clock::Duration consent_interval = std::chrono::seconds(5);
  Clock::Duration consent_timeout = std::chrono::seconds(30);
};

struct IceAgentOutcome {
  // nullopt: an authenticated success for one of our checks.
  std::optional<IceAgentDropReason> drop;
  // This success completed the first check: the agent is now connected.
  bool connected = false;

  bool accepted() const { return !drop.has_value(); }
};

class IceAgent {
 public:
  using TimePoint = Clock::TimePoint;
  // Transactions kept at once (the consent checks overlap a little).
  static constexpr size_t kMaxTransactions = 4;
  // Transaction IDs remembered after they end, to tell late answers apart.
  static constexpr size_t kRetiredTransactions = 16;

  explicit IceAgent(IceAgentConfig config);

  // idle -> checking; the first check goes out at the next poll(now).
  void start(TimePoint now);
  // Binding requests to send to config.remote now: new checks and
  // retransmissions. Also moves the state on timeouts.
  std::vector<Bytes> poll(TimePoint now);
  // When poll() has something to do; nullopt when idle or failed.
  std::optional<TimePoint> next_timeout() const;
  IceAgentOutcome handle(BytesView datagram, const TransportAddress& from, TimePoint now);

  IceAgentState state() const { return state_; }
  std::optional<IceAgentFailure> failure() const { return failure_; }
  // The pair is nominated once connected: this agent always nominates.
  bool nominated() const { return state_ == IceAgentState::connected; }
  // Our address as the server saw it (XOR-MAPPED-ADDRESS of the last success).
  const std::optional<TransportAddress>& mapped_address() const { return mapped_address_; }
  std::optional<TimePoint> last_consent() const { return last_consent_; }

  uint64_t requests_sent() const { return requests_sent_; }
  uint64_t successes() const { return successes_; }
  uint64_t drops(IceAgentDropReason reason) const;

 private:
  struct Transaction {
    StunTransactionId id{};
    Bytes request;
    TimePoint next_send;
    Clock::Duration rto{};
    size_t sent = 0;
    TimePoint give_up;  // set after the last send
  };

  IceAgentOutcome drop(IceAgentDropReason reason);
  void begin_transaction(TimePoint now);
  void retire(const StunTransactionId& id);
  void fail(IceAgentFailure failure);
  Clock::Duration consent_delay() const;
  Bytes build_request(const StunTransactionId& id) const;

  IceAgentConfig config_;
  std::string username_;
  IceAgentState state_ = IceAgentState::idle;
  std::optional<IceAgentFailure> failure_;
  std::vector<Transaction> transactions_;
  std::vector<StunTransactionId> retired_;
  std::optional<TimePoint> next_check_;
  std::optional<TimePoint> last_consent_;
  std::optional<TransportAddress> mapped_address_;
  uint64_t requests_sent_ = 0;
  uint64_t successes_ = 0;
  std::array<uint64_t, kIceAgentDropReasonCount> drops_{};
};

}  // namespace conclave::net
