#include "conclave/net/ice_lite.h"

#include "conclave/base/encoding.h"
#include "conclave/crypto/random.h"

#include <algorithm>
#include <utility>

namespace conclave::net {

std::string random_ice_credential(size_t random_bytes) {
  return to_hex(crypto::random_bytes(random_bytes));
}

static_assert(static_cast<size_t>(IceDropReason::role_conflict) + 1 == kIceDropReasonCount);

std::string_view to_string(IceDropReason reason) {
  switch (reason) {
    case IceDropReason::not_stun:
      return "not_stun";
    case IceDropReason::malformed:
      return "malformed";
    case IceDropReason::indication:
      return "indication";
    case IceDropReason::not_binding_request:
      return "not_binding_request";
    case IceDropReason::missing_fingerprint:
      return "missing_fingerprint";
    case IceDropReason::bad_fingerprint:
      return "bad_fingerprint";
    case IceDropReason::missing_credentials:
      return "missing_credentials";
    case IceDropReason::wrong_username:
      return "wrong_username";
    case IceDropReason::bad_integrity:
      return "bad_integrity";
    case IceDropReason::unknown_attributes:
      return "unknown_attributes";
    case IceDropReason::unknown_remote_ufrag:
      return "unknown_remote_ufrag";
    case IceDropReason::role_conflict:
      return "role_conflict";
  }
  return "unknown";
}

IceLite::IceLite(IceLiteConfig config) : config_(std::move(config)) {}

uint64_t IceLite::drops(IceDropReason reason) const {
  return drops_[static_cast<size_t>(reason)];
}

IceLiteOutcome IceLite::drop(IceDropReason reason, Bytes response) {
  ++drops_[static_cast<size_t>(reason)];
  IceLiteOutcome out;
  out.drop = reason;
  if (config_.send_error_responses) out.response = std::move(response);
  return out;
}

Bytes IceLite::error_response(const StunMessage& request, uint16_t code, std::string_view reason,
                              bool sign, const std::vector<uint16_t>& unknown) const {
  StunMessageBuilder b(StunMethod::binding, StunClass::error_response, request.transaction_id());
  b.add_error_code(code, reason);
  if (!unknown.empty()) b.add_unknown_attributes(unknown);
  // RFC 8489 section 9.1.3: errors about the credentials themselves are
  // not signed (there is no key to sign with); later ones are.
  if (sign) b.add_message_integrity(config_.local_pwd.view());
  b.add_fingerprint();
  return std::move(b).bytes();
}

IceLiteOutcome IceLite::handle(BytesView datagram, const TransportAddress& from, TimePoint now) {
  if (!is_stun(datagram)) return drop(IceDropReason::not_stun);
  auto parsed = StunMessage::parse(datagram);
  if (!parsed.ok()) return drop(IceDropReason::malformed);
  const StunMessage& m = *parsed;
  if (m.message_class() == StunClass::indication) return drop(IceDropReason::indication);
  if (m.message_class() != StunClass::request || m.method() != StunMethod::binding) {
    return drop(IceDropReason::not_binding_request);
  }
  // A FINGERPRINT that does not match means the datagram is not STUN after
  // all: drop it without an answer (RFC 8489 section 7.3).
  if (m.has(StunAttributeType::fingerprint)) {
    if (!m.verify_fingerprint().ok()) return drop(IceDropReason::bad_fingerprint);
  } else if (config_.require_fingerprint) {
    return drop(IceDropReason::missing_fingerprint);
  }

  const auto username = m.username();
  if (!username || !m.has(StunAttributeType::message_integrity)) {
    return drop(IceDropReason::missing_credentials, error_response(m, 400, "Bad Request", false));
  }
  // RFC 8445 section 7.2.2: the controlling agent sends "RFRAG:LFRAG",
  // i.e. our ufrag first.
  const size_t colon = username->find(':');
  if (colon == std::string_view::npos || username->substr(0, colon) != config_.local_ufrag) {
    return drop(IceDropReason::wrong_username, error_response(m, 401, "Unauthenticated", false));
  }
  if (!m.verify_integrity(config_.local_pwd.view()).ok()) {
    return drop(IceDropReason::bad_integrity, error_response(m, 401, "Unauthenticated", false));
  }
  // Authenticated from here on; errors are signed.
  if (auto unknown = m.unknown_comprehension_required(); !unknown.empty()) {
    return drop(IceDropReason::unknown_attributes,
                error_response(m, 420, "Unknown Attribute", true, unknown));
  }
  const std::string_view remote_ufrag = username->substr(colon + 1);
  if (config_.remote_ufrag && *config_.remote_ufrag != remote_ufrag) {
    return drop(IceDropReason::unknown_remote_ufrag);
  }
  // A lite agent is always controlled (RFC 8445 section 6.1.1) and cannot
  // switch, so a peer that also claims the controlled role gets 487 and
  // must take the controlling role itself (section 7.3.1.1).
  if (m.ice_controlled()) {
    return drop(IceDropReason::role_conflict, error_response(m, 487, "Role Conflict", true));
  }

  if (!config_.remote_ufrag) config_.remote_ufrag = std::string(remote_ufrag);
  refresh_consent(from, now);
  IceLiteOutcome out;
  if (m.use_candidate()) {
    // RFC 8445 sections 7.3.2 and 8.2: the nominated pair becomes the selected one.
    out.nominated = true;
    selected_ = from;
  }
  ++answered_;
  StunMessageBuilder b(StunMethod::binding, StunClass::success_response, m.transaction_id());
  b.add_xor_mapped_address(from);
  b.add_message_integrity(config_.local_pwd.view());
  b.add_fingerprint();
  out.response = std::move(b).bytes();
  return out;
}

void IceLite::refresh_consent(const TransportAddress& from, TimePoint now) {
  for (auto& c : consent_) {
    if (c.address == from) {
      c.last = now;
      return;
    }
  }
  if (consent_.size() >= kMaxRemoteAddresses) {
    // Forget the least recently refreshed address that is not selected.
    auto victim = consent_.end();
    for (auto it = consent_.begin(); it != consent_.end(); ++it) {
      if (selected_ && it->address == *selected_) continue;
      if (victim == consent_.end() || it->last < victim->last) victim = it;
    }
    consent_.erase(victim);
  }
  consent_.push_back({from, now});
}

std::optional<IceLite::TimePoint> IceLite::last_valid_request(
    const TransportAddress& address) const {
  for (const auto& c : consent_) {
    if (c.address == address) return c.last;
  }
  return std::nullopt;
}

bool IceLite::has_consent(const TransportAddress& address, TimePoint now) const {
  auto last = last_valid_request(address);
  return last && now - *last < kConsentTimeout;
}

bool IceLite::consent_expired(TimePoint now) const {
  return !selected_ || !has_consent(*selected_, now);
}

}  // namespace conclave::net
