// ICE-lite responder (RFC 8445 sections 2.5, 6.1.1, 7.3, 7.3.2 and 8.2; RFC 7675
// consent freshness): the server side of one WebRTC transport. It never
// sends checks; it answers the browser's Binding requests on the shared
// media port, learns which remote address the browser nominated, and
// watches the browser's periodic requests (every few seconds, RFC 7675) to
// tell when consent has expired. Pure code: the caller owns the socket and
// passes each STUN datagram with its source address and the time.
//
//   datagram, from, now --handle()--> IceLiteOutcome
//      checks, in order (RFC 8489 sections 6.3 and 9.1.3, RFC 8445 7.3):
//      STUN? -> parses? -> Binding request? -> FINGERPRINT valid?
//      -> USERNAME and MESSAGE-INTEGRITY present?   (else 400)
//      -> USERNAME = "<local ufrag>:<remote ufrag>"? (else 401)
//      -> MESSAGE-INTEGRITY with the local ice-pwd?  (else 401)
//      -> no unknown comprehension-required attrs?   (else 420, signed)
//      -> remote ufrag the one expected/learnt?       (else silent drop)
//      -> not ICE-CONTROLLED (we are always controlled)? (else 487, signed)
//      => Binding success: XOR-MAPPED-ADDRESS = from, MESSAGE-INTEGRITY,
//         FINGERPRINT; consent refreshed for `from`; USE-CANDIDATE selects
//         the pair (a later nomination of another address replaces it).
//
// Every datagram that is not answered with a success has an IceDropReason
// and a counter. Some drops still carry an error response (the 4xx above);
// config.send_error_responses = false suppresses those.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/net/stun_message.h"

namespace conclave::net {

enum class IceDropReason : uint8_t {
  not_stun,              // first byte, cookie or length say it is not STUN
  malformed,             // StunMessage::parse() failed
  indication,            // a Binding indication (keepalive): nothing to do
  not_binding_request,   // a response, or a method other than Binding
  missing_fingerprint,   // RFC 8445 section 7.3: ICE agents use FINGERPRINT
  bad_fingerprint,       // FINGERPRINT does not match
  missing_credentials,   // no USERNAME or no MESSAGE-INTEGRITY (400)
  wrong_username,        // USERNAME is not "<local ufrag>:<something>" (401)
  bad_integrity,         // MESSAGE-INTEGRITY does not match the ice-pwd (401)
  unknown_attributes,    // unknown comprehension-required attributes (420)
  unknown_remote_ufrag,  // authenticated, but for another remote ufrag
  role_conflict,         // the peer claims the controlled role too (487)
};
inline constexpr size_t kIceDropReasonCount = 12;

std::string_view to_string(IceDropReason reason);

// A fresh ICE ufrag or password (RFC 8839 section 5.4: ice-chars, ufrag at
// least 4 and pwd at least 22 of them): `random_bytes` random bytes in hex.
std::string random_ice_credential(size_t random_bytes);

struct IceLiteConfig {
  std::string local_ufrag;  // our a=ice-ufrag
  SecretBytes local_pwd;    // our a=ice-pwd: the short-term credential key
  // The peer's a=ice-ufrag when known from its SDP; otherwise the first
  // authenticated request sets it.
  std::optional<std::string> remote_ufrag;
  bool send_error_responses = true;
  bool require_fingerprint = true;
};

struct IceLiteOutcome {
  // nullopt: a valid Binding request, answered with a success response.
  std::optional<IceDropReason> drop;
  // Bytes to send back to the source address; empty: send nothing.
  Bytes response;
  // This request carried USE-CANDIDATE and (re)selected the pair.
  bool nominated = false;

  bool accepted() const { return !drop.has_value(); }
};

class IceLite {
 public:
  using TimePoint = Clock::TimePoint;
  // RFC 7675 section 5.1: consent expires 30 s after the last valid request.
  static constexpr Clock::Duration kConsentTimeout = std::chrono::seconds(30);
  // Remote addresses whose consent is tracked; the least recently refreshed
  // one is forgotten first.
  static constexpr size_t kMaxRemoteAddresses = 8;

  explicit IceLite(IceLiteConfig config);

  IceLiteOutcome handle(BytesView datagram, const TransportAddress& from, TimePoint now);

  // The remote address of the selected pair (the last nominated one).
  const std::optional<TransportAddress>& selected() const { return selected_; }
  // The remote ufrag, configured or learnt from the first valid request.
  const std::optional<std::string>& remote_ufrag() const { return config_.remote_ufrag; }
  // The time of the last valid request from `address`, if any is known.
  std::optional<TimePoint> last_valid_request(const TransportAddress& address) const;
  // Whether `address` sent a valid request less than kConsentTimeout ago:
  // media may go there.
  bool has_consent(const TransportAddress& address, TimePoint now) const;
  // True when there is no selected pair or its consent has expired.
  bool consent_expired(TimePoint now) const;

  uint64_t answered() const { return answered_; }
  uint64_t drops(IceDropReason reason) const;

 private:
  struct Consent {
    TransportAddress address;
    TimePoint last;
  };

  IceLiteOutcome drop(IceDropReason reason, Bytes response = {});
  Bytes error_response(const StunMessage& request, uint16_t code, std::string_view reason,
                       bool sign, const std::vector<uint16_t>& unknown = {}) const;
  void refresh_consent(const TransportAddress& from, TimePoint now);

  IceLiteConfig config_;
  std::optional<TransportAddress> selected_;
  std::vector<Consent> consent_;
  uint64_t answered_ = 0;
  std::array<uint64_t, kIceDropReasonCount> drops_{};
};

}  // namespace conclave::net
