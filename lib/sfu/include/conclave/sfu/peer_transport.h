// PeerTransport: the server end of one WebRTC transport on the shared media
// port: the ICE-lite responder, the DTLS server and, once the handshake is
// done, the two SRTP sessions (inbound from the peer, outbound to it).
//
//   STUN    -> IceLite: answered; a nomination selects the peer's address
//   DTLS    -> DtlsTransport (server): flights back to the selected address;
//              connected -> SrtpSession inbound (peer's master) + outbound
//   SRTP    -> unprotect in place -> plain RTP/RTCP for the Router
//   Router  -> protect in place   -> datagram to the selected address
//
// Media is sent only to an address the peer nominated and whose ICE
// consent is fresh (RFC 7675); nothing is sent in clear, ever: before the
// handshake completes, send_* fail and the SFU counts no_keys_downstream.
#pragma once

#include <optional>
#include <string>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/net/dtls_transport.h"
#include "conclave/net/ice_lite.h"
#include "conclave/net/srtp_session.h"
#include "conclave/net/stun_message.h"
#include "conclave/sfu/drop_reason.h"

namespace conclave::sfu {

struct PeerTransportConfig {
  std::string local_ufrag;
  SecretBytes local_pwd;
  std::string remote_ufrag;            // from the peer's SDP
  net::Fingerprint remote_fingerprint;  // from the peer's SDP
};

class PeerTransport {
 public:
  using TimePoint = Clock::TimePoint;

  static Result<PeerTransport> create(const net::Certificate& certificate,
                                      PeerTransportConfig config);

  const std::string& local_ufrag() const { return local_ufrag_; }

  // A STUN datagram; returns the response to send to `from` (may be empty).
  // `nominated` is set when the request selected `from`.
  struct StunResult {
    Bytes response;
    bool nominated = false;
    std::optional<DropReason> drop;
  };
  StunResult handle_stun(BytesView datagram, const net::TransportAddress& from, TimePoint now);

  // A DTLS datagram from the selected address. Outgoing flights are in
  // take_dtls_outgoing(). Returns the drop reason if the record was refused.
  std::optional<DropReason> handle_dtls(BytesView datagram, TimePoint now);
  std::vector<Bytes> take_dtls_outgoing() { return dtls_.take_outgoing(); }
  std::optional<TimePoint> next_timeout() const { return dtls_.next_timeout(); }
  void on_timeout(TimePoint now) { dtls_.on_timeout(now); }

  // Removes SRTP/SRTCP in place; returns the plain length.
  Result<size_t> unprotect(MutableBytesView datagram, bool rtcp);
  // Adds SRTP/SRTCP in place: `buffer` holds `length` plain bytes and has
  // room for the trailer. Fails when no keys yet.
  Result<size_t> protect(MutableBytesView buffer, size_t length, bool rtcp);

  bool srtp_ready() const { return inbound_.has_value(); }
  bool connected() const { return dtls_.state() == net::DtlsState::connected; }
  bool failed() const;
  const std::optional<net::TransportAddress>& selected() const { return ice_.selected(); }
  bool has_consent(TimePoint now) const;
  bool consent_expired(TimePoint now) const { return ice_.consent_expired(now); }
  const net::IceLite& ice() const { return ice_; }
  const net::DtlsTransport& dtls() const { return dtls_; }

 private:
  PeerTransport(std::string local_ufrag, net::IceLite ice, net::DtlsTransport dtls)
      : local_ufrag_(std::move(local_ufrag)), ice_(std::move(ice)), dtls_(std::move(dtls)) {}
  Status open_srtp();

  std::string local_ufrag_;
  net::IceLite ice_;
  net::DtlsTransport dtls_;
  std::optional<net::SrtpSession> inbound_;
  std::optional<net::SrtpSession> outbound_;
  bool srtp_failed_ = false;
};

}  // namespace conclave::sfu
