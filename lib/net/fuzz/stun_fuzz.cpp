// libFuzzer target: STUN message parsing (RFC 8489) and the ICE-lite
// responder.
//
// Oracles:
// - parse() never crashes, and accepts only what is_stun() accepts;
// - a parsed message rebuilt attribute by attribute (value and padding as
//   received) gives back exactly the input bytes, and every accessor and
//   verify_*() runs on it;
// - IceLite::handle() never crashes; any response it returns parses, is a
//   Binding response with the request's transaction ID and a valid
//   FINGERPRINT, and every datagram it does not answer with a success is
//   counted once under its drop reason.
// Random bytes cannot carry a valid MESSAGE-INTEGRITY, so each parsed
// message is also re-signed with the responder's password (its own
// MESSAGE-INTEGRITY/FINGERPRINT replaced) and handled again, which reaches
// the checks after authentication.
// Seeds: RFC 5769's sample messages (scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/net/ice_lite.h"
#include "conclave/net/stun_message.h"

namespace {

using namespace conclave;
using namespace conclave::net;

constexpr std::string_view kUfrag = "evtj";
constexpr std::string_view kPassword = "VOkJxbRl1RmTxUk/WvJxBt";

void check(bool ok) {
  if (!ok) std::abort();
}

void exercise_accessors(const StunMessage& m) {
  (void)m.username();
  (void)m.software();
  (void)m.realm();
  (void)m.nonce();
  (void)m.userhash();
  if (auto a = m.mapped_address()) (void)a->to_string();
  if (auto a = m.xor_mapped_address()) (void)a->to_string();
  (void)m.error_code();
  (void)m.unknown_attributes();
  (void)m.priority();
  (void)m.use_candidate();
  (void)m.ice_controlling();
  (void)m.ice_controlled();
  (void)m.unknown_comprehension_required();
  (void)m.verify_integrity(as_bytes(kPassword));
  (void)m.verify_integrity_sha256(as_bytes(kPassword));
  (void)m.verify_fingerprint();
}

void handle_and_check(BytesView datagram) {
  IceLiteConfig config;
  config.local_ufrag = std::string(kUfrag);
  config.local_pwd = SecretBytes(as_bytes(kPassword));
  IceLite ice(std::move(config));
  const auto from = TransportAddress::ipv4({192, 0, 2, 1}, 32853);
  auto out = ice.handle(datagram, from, Clock::TimePoint(std::chrono::seconds(1)));
  uint64_t counted = ice.answered();
  for (size_t i = 0; i < kIceDropReasonCount; ++i) {
    counted += ice.drops(static_cast<IceDropReason>(i));
  }
  check(counted == 1);
  check(out.accepted() == (ice.answered() == 1));
  if (out.nominated) check(out.accepted() && ice.selected() == from);
  if (out.response.empty()) {
    check(!out.accepted());
    return;
  }
  auto response = StunMessage::parse(out.response);
  check(response.ok());
  check(response->method() == StunMethod::binding);
  check(response->message_class() ==
        (out.accepted() ? StunClass::success_response : StunClass::error_response));
  check(response->verify_fingerprint().ok());
  auto request = StunMessage::parse(datagram);
  check(request.ok() && request->transaction_id() == response->transaction_id());
  if (out.accepted()) {
    check(response->xor_mapped_address() == from);
    check(response->verify_integrity(as_bytes(kPassword)).ok());
    // A fresh responder has a selected pair only if this request nominated.
    check(ice.consent_expired(Clock::TimePoint(std::chrono::seconds(1))) == !out.nominated);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const BytesView input(data, size);
  if (size > 0) (void)classify(data[0]);
  const bool stun = is_stun(input);
  auto parsed = StunMessage::parse(input);
  handle_and_check(input);
  if (!parsed.ok()) return 0;
  check(stun);
  const StunMessage& m = *parsed;
  check(equal(m.bytes(), input));
  exercise_accessors(m);

  // Rebuilt verbatim: the same bytes.
  StunMessageBuilder same(m.method(), m.message_class(), m.transaction_id());
  for (const auto& a : m.attributes()) same.add(a.type, a.value, a.padding);
  check(equal(same.bytes(), input));

  // Re-signed with the responder's password.
  if (size + 32 > kStunHeaderSize + 0xFFFF) return 0;
  StunMessageBuilder resigned(m.method(), m.message_class(), m.transaction_id());
  for (const auto& a : m.attributes()) {
    const auto t = static_cast<StunAttributeType>(a.type);
    if (t == StunAttributeType::message_integrity ||
        t == StunAttributeType::message_integrity_sha256 || t == StunAttributeType::fingerprint) {
      continue;
    }
    resigned.add(a.type, a.value, a.padding);
  }
  resigned.add_message_integrity(as_bytes(kPassword)).add_fingerprint();
  auto again = StunMessage::parse(resigned.bytes());
  check(again.ok());
  check(again->verify_integrity(as_bytes(kPassword)).ok());
  check(again->verify_fingerprint().ok());
  handle_and_check(resigned.bytes());
  return 0;
}
