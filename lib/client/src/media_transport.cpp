#include "conclave/client/media_transport.h"

#include "conclave/crypto/random.h"
#include "conclave/net/stun_message.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::client {

Result<MediaTransport> MediaTransport::create(const net::Certificate& certificate,
                                              MediaTransportConfig config) {
  net::IceAgentConfig ice;
  ice.local_ufrag = config.local_ufrag;
  ice.remote_ufrag = config.remote_ufrag;
  ice.remote_pwd = std::move(config.remote_pwd);
  ice.remote = config.server;
  ice.tie_breaker = crypto::random_uint<uint64_t>();
  CV_TRY(auto dtls, net::DtlsTransport::create(net::DtlsRole::client, certificate,
                                               config.server_fingerprint));
  return MediaTransport(config.server, net::IceAgent(std::move(ice)), std::move(dtls));
}

void MediaTransport::start(TimePoint now) { ice_.start(now); }

std::vector<Bytes> MediaTransport::poll(TimePoint now) {
  std::vector<Bytes> out = ice_.poll(now);
  if (ice_.nominated() && !dtls_started_) {
    dtls_started_ = true;
    (void)dtls_.start(now);
  }
  if (auto t = dtls_.next_timeout(); t && *t <= now) dtls_.on_timeout(now);
  for (Bytes& d : dtls_.take_outgoing()) out.push_back(std::move(d));
  return out;
}

std::optional<MediaTransport::TimePoint> MediaTransport::next_timeout() const {
  auto a = ice_.next_timeout();
  auto b = dtls_.next_timeout();
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

Received MediaTransport::receive(MutableBytesView datagram, const net::TransportAddress& from,
                                 TimePoint now) {
  Received r;
  if (datagram.empty()) {
    r.drop = "empty";
    return r;
  }
  if (!(from == server_)) {
    r.drop = "unknown_source";
    return r;
  }
  switch (net::classify(datagram[0])) {
    case net::PacketKind::stun: {
      auto outcome = ice_.handle(datagram, from, now);
      if (!outcome.accepted()) r.drop = "stun_rejected";
      return r;
    }
    case net::PacketKind::dtls: {
      bool was = dtls_.state() == net::DtlsState::connected;
      if (!dtls_.handle(datagram, now)) r.drop = "dtls_rejected";
      if (!was && dtls_.state() == net::DtlsState::connected) {
        auto profile = dtls_.srtp_profile();
        auto remote = dtls_.remote_master();
        auto local = dtls_.local_master();
        if (profile && remote && local) {
          auto in = net::SrtpSession::inbound(*profile, *remote);
          auto out = net::SrtpSession::outbound(*profile, *local);
          if (in && out) {
            inbound_.emplace(std::move(*in));
            outbound_.emplace(std::move(*out));
          }
        }
        if (!outbound_) srtp_failed_ = true;
      }
      return r;
    }
    case net::PacketKind::rtp_rtcp: {
      if (!inbound_) {
        r.drop = "srtp_not_ready";
        return r;
      }
      bool rtcp = rtp::looks_like_rtcp(datagram);  // RFC 5761 section 4
      auto plain = rtcp ? inbound_->unprotect_rtcp(datagram, datagram.size())
                        : inbound_->unprotect_rtp(datagram, datagram.size());
      if (!plain) {
        r.drop = plain.error().is(net::SrtpErrc::auth_failed) ? "srtp_auth_failed"
                 : plain.error().is(net::SrtpErrc::replay)    ? "srtp_replay"
                                                              : "srtp_other";
        return r;
      }
      r.kind = rtcp ? Received::Kind::rtcp : Received::Kind::rtp;
      r.size = *plain;
      return r;
    }
    case net::PacketKind::unknown:
      r.drop = "unknown_protocol";
      return r;
  }
  return r;
}

Result<size_t> MediaTransport::protect(MutableBytesView buffer, size_t length, bool rtcp) {
  if (!outbound_) return Error(net::SrtpErrc::wrong_direction, "no keys");
  return rtcp ? outbound_->protect_rtcp(buffer, length) : outbound_->protect_rtp(buffer, length);
}

bool MediaTransport::failed() const {
  return srtp_failed_ || ice_.state() == net::IceAgentState::failed ||
         dtls_.state() == net::DtlsState::failed || dtls_.state() == net::DtlsState::closed;
}

}  // namespace conclave::client
