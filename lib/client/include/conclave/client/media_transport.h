// MediaTransport: the client end of one WebRTC transport with the SFU (the
// native client's counterpart of sfu::PeerTransport): ICE controlling side
// (net::IceAgent, aggressive nomination against the server's one host
// candidate), DTLS client (a=setup:active; the server's certificate must
// match the fingerprint in its SDP, which is the one the client pinned),
// then SRTP both ways. Pure: the caller owns the UDP socket and passes
// each datagram and the time.
//
//   start(now) -> poll(now): Binding requests -> connected -> ClientHello
//   receive(datagram): STUN -> IceAgent; DTLS -> DtlsTransport;
//                      SRTP/SRTCP -> unprotected in place, returned
//   protect(packet): SRTP or SRTCP for the server; fails without keys
//
// Nothing is ever sent in clear: before DTLS completes, protect() fails.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/net/certificate.h"
#include "conclave/net/dtls_transport.h"
#include "conclave/net/ice_agent.h"
#include "conclave/net/srtp_session.h"

namespace conclave::client {

struct MediaTransportConfig {
  std::string local_ufrag;
  std::string remote_ufrag;
  SecretBytes remote_pwd;
  net::TransportAddress server;        // the server's candidate
  net::Fingerprint server_fingerprint;  // from the server's SDP
};

// What receive() found in a datagram.
struct Received {
  enum class Kind : uint8_t { none, rtp, rtcp };
  Kind kind = Kind::none;
  size_t size = 0;  // plain bytes at the start of the datagram buffer
  // Why it was not usable, for the caller's counters ("" when used or a
  // control datagram).
  std::string_view drop;
};

class MediaTransport {
 public:
  using TimePoint = Clock::TimePoint;

  // `certificate` is ours (self-signed, generated per session).
  static Result<MediaTransport> create(const net::Certificate& certificate,
                                       MediaTransportConfig config);

  void start(TimePoint now);
  // Datagrams to send to the server now (ICE checks, DTLS flights).
  std::vector<Bytes> poll(TimePoint now);
  // The next time poll() has something to do.
  std::optional<TimePoint> next_timeout() const;

  // One datagram from the server, unprotected in place when it is SRTP.
  Received receive(MutableBytesView datagram, const net::TransportAddress& from, TimePoint now);

  // SRTP/SRTCP protect in place: `buffer` holds `length` plain bytes and
  // has room for SrtpSession::kMaxTrailer more.
  Result<size_t> protect(MutableBytesView buffer, size_t length, bool rtcp);

  bool ready() const { return outbound_.has_value(); }
  bool failed() const;
  const net::TransportAddress& server() const { return server_; }

 private:
  MediaTransport(net::TransportAddress server, net::IceAgent ice, net::DtlsTransport dtls)
      : server_(server), ice_(std::move(ice)), dtls_(std::move(dtls)) {}

  net::TransportAddress server_;
  net::IceAgent ice_;
  net::DtlsTransport dtls_;
  bool dtls_started_ = false;
  bool srtp_failed_ = false;
  std::optional<net::SrtpSession> inbound_;
  std::optional<net::SrtpSession> outbound_;
};

}  // namespace conclave::client
