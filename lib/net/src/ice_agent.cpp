#include "conclave/net/ice_agent.h"

#include <algorithm>
#include <utility>

#include "conclave/crypto/random.h"

namespace conclave::net {

static_assert(static_cast<size_t>(IceAgentDropReason::not_running) + 1 ==
              kIceAgentDropReasonCount);

std::string_view to_string(IceAgentDropReason reason) {
  switch (reason) {
    case IceAgentDropReason::not_stun: return "not_stun";
    case IceAgentDropReason::malformed: return "malformed";
    case IceAgentDropReason::not_binding_response: return "not_binding_response";
    case IceAgentDropReason::missing_fingerprint: return "missing_fingerprint";
    case IceAgentDropReason::bad_fingerprint: return "bad_fingerprint";
    case IceAgentDropReason::unknown_transaction: return "unknown_transaction";
    case IceAgentDropReason::stale_transaction: return "stale_transaction";
    case IceAgentDropReason::wrong_source: return "wrong_source";
    case IceAgentDropReason::missing_integrity: return "missing_integrity";
    case IceAgentDropReason::bad_integrity: return "bad_integrity";
    case IceAgentDropReason::error_response: return "error_response";
    case IceAgentDropReason::missing_mapped_address: return "missing_mapped_address";
    case IceAgentDropReason::not_running: return "not_running";
  }
  return "unknown";
}

std::string_view to_string(IceAgentState state) {
  switch (state) {
    case IceAgentState::idle: return "idle";
    case IceAgentState::checking: return "checking";
    case IceAgentState::connected: return "connected";
    case IceAgentState::failed: return "failed";
  }
  return "unknown";
}

std::string_view to_string(IceAgentFailure failure) {
  switch (failure) {
    case IceAgentFailure::check_timeout: return "check_timeout";
    case IceAgentFailure::consent_lost: return "consent_lost";
  }
  return "unknown";
}

IceAgent::IceAgent(IceAgentConfig config)
    : config_(std::move(config)),
      // RFC 8445 section 7.2.2: "RFRAG:LFRAG", the peer's ufrag first.
      username_(config_.remote_ufrag + ":" + config_.local_ufrag) {
  if (config_.max_transmissions == 0) config_.max_transmissions = 1;
}

uint64_t IceAgent::drops(IceAgentDropReason reason) const {
  return drops_[static_cast<size_t>(reason)];
}

IceAgentOutcome IceAgent::drop(IceAgentDropReason reason) {
  ++drops_[static_cast<size_t>(reason)];
  IceAgentOutcome out;
  out.drop = reason;
  return out;
}

void IceAgent::start(TimePoint now) {
  if (state_ != IceAgentState::idle) return;
  state_ = IceAgentState::checking;
  next_check_ = now;
}

Bytes IceAgent::build_request(const StunTransactionId& id) const {
  StunMessageBuilder b(StunMethod::binding, StunClass::request, id);
  b.add_username(username_);
  b.add_priority(config_.priority);
  b.add_ice_controlling(config_.tie_breaker);
  b.add_use_candidate();
  b.add_message_integrity(config_.remote_pwd.view());
  b.add_fingerprint();
  return std::move(b).bytes();
}

void IceAgent::begin_transaction(TimePoint now) {
  if (transactions_.size() >= kMaxTransactions) {
    retire(transactions_.front().id);
  }
  Transaction t;
  crypto::random_bytes(t.id);
  t.request = build_request(t.id);
  t.next_send = now;
  t.rto = config_.initial_rto;
  transactions_.push_back(std::move(t));
}

void IceAgent::retire(const StunTransactionId& id) {
  std::erase_if(transactions_, [&](const Transaction& t) { return t.id == id; });
  if (retired_.size() >= kRetiredTransactions) retired_.erase(retired_.begin());
  retired_.push_back(id);
}

void IceAgent::fail(IceAgentFailure failure) {
  state_ = IceAgentState::failed;
  failure_ = failure;
  for (const auto& t : std::vector<Transaction>(transactions_)) retire(t.id);
  next_check_.reset();
}

Clock::Duration IceAgent::consent_delay() const {
  // RFC 7675 section 5.1: uniformly in [0.8, 1.2] x the interval.
  std::array<uint8_t, 2> r{};
  crypto::random_bytes(r);
  const int64_t permille = 800 + (r[0] << 8 | r[1]) % 401;
  return Clock::Duration(config_.consent_interval.count() * permille / 1000);
}

std::vector<Bytes> IceAgent::poll(TimePoint now) {
  std::vector<Bytes> out;
  if (state_ != IceAgentState::checking && state_ != IceAgentState::connected) return out;
  if (state_ == IceAgentState::connected && last_consent_ &&
      now - *last_consent_ >= config_.consent_timeout) {
    fail(IceAgentFailure::consent_lost);
    return out;
  }
  if (next_check_ && now >= *next_check_) {
    begin_transaction(now);
    // While checking, the one transaction decides; once connected, a
    // consent check starts every interval whatever became of the last.
    next_check_.reset();
    if (state_ == IceAgentState::connected) next_check_ = now + consent_delay();
  }
  std::vector<StunTransactionId> expired;
  for (Transaction& t : transactions_) {
    if (t.sent < config_.max_transmissions) {
      if (now < t.next_send) continue;
      out.push_back(t.request);
      ++t.sent;
      ++requests_sent_;
      if (t.sent < config_.max_transmissions) {
        t.next_send = now + t.rto;
        t.rto *= 2;
      } else {
        t.give_up = now + config_.initial_rto * config_.final_wait_factor;
      }
    } else if (now >= t.give_up) {
      expired.push_back(t.id);
    }
  }
  for (const auto& id : expired) retire(id);
  if (!expired.empty() && state_ == IceAgentState::checking && transactions_.empty()) {
    fail(IceAgentFailure::check_timeout);
  }
  return out;
}

std::optional<IceAgent::TimePoint> IceAgent::next_timeout() const {
  if (state_ != IceAgentState::checking && state_ != IceAgentState::connected) {
    return std::nullopt;
  }
  std::optional<TimePoint> next = next_check_;
  auto consider = [&](TimePoint t) {
    if (!next || t < *next) next = t;
  };
  for (const Transaction& t : transactions_) {
    consider(t.sent < config_.max_transmissions ? t.next_send : t.give_up);
  }
  if (state_ == IceAgentState::connected && last_consent_) {
    consider(*last_consent_ + config_.consent_timeout);
  }
  return next;
}

IceAgentOutcome IceAgent::handle(BytesView datagram, const TransportAddress& from,
                                 TimePoint now) {
  if (state_ != IceAgentState::checking && state_ != IceAgentState::connected) {
    return drop(IceAgentDropReason::not_running);
  }
  if (!is_stun(datagram)) return drop(IceAgentDropReason::not_stun);
  auto parsed = StunMessage::parse(datagram);
  if (!parsed.ok()) return drop(IceAgentDropReason::malformed);
  const StunMessage& m = *parsed;
  // ICE-lite servers never send checks (RFC 8445 section 2.5), so requests
  // and indications have nothing to do here either.
  if (m.method() != StunMethod::binding || m.message_class() == StunClass::request ||
      m.message_class() == StunClass::indication) {
    return drop(IceAgentDropReason::not_binding_response);
  }
  if (!m.has(StunAttributeType::fingerprint)) {
    return drop(IceAgentDropReason::missing_fingerprint);
  }
  if (!m.verify_fingerprint().ok()) return drop(IceAgentDropReason::bad_fingerprint);

  auto it = std::find_if(transactions_.begin(), transactions_.end(),
                         [&](const Transaction& t) { return t.id == m.transaction_id(); });
  if (it == transactions_.end()) {
    const bool retired =
        std::find(retired_.begin(), retired_.end(), m.transaction_id()) != retired_.end();
    return drop(retired ? IceAgentDropReason::stale_transaction
                        : IceAgentDropReason::unknown_transaction);
  }
  // RFC 8445 section 7.2.5.2.1: the response must come from where the
  // request went.
  if (!(from == config_.remote)) return drop(IceAgentDropReason::wrong_source);
  if (m.message_class() == StunClass::error_response) {
    return drop(IceAgentDropReason::error_response);
  }
  if (!m.has(StunAttributeType::message_integrity)) {
    return drop(IceAgentDropReason::missing_integrity);
  }
  if (!m.verify_integrity(config_.remote_pwd.view()).ok()) {
    return drop(IceAgentDropReason::bad_integrity);
  }
  auto mapped = m.xor_mapped_address();
  if (!mapped) return drop(IceAgentDropReason::missing_mapped_address);

  retire(m.transaction_id());
  ++successes_;
  mapped_address_ = *mapped;
  last_consent_ = now;
  IceAgentOutcome out;
  if (state_ == IceAgentState::checking) {
    // The check carried USE-CANDIDATE, so its success also nominated the
    // pair (RFC 8445 section 7.2.5.3.4); it is the selected pair now.
    state_ = IceAgentState::connected;
    out.connected = true;
    next_check_ = now + consent_delay();
  }
  return out;
}

}  // namespace conclave::net
