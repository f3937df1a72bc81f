#include "conclave/sfu/peer_transport.h"

namespace conclave::sfu {

Result<PeerTransport> PeerTransport::create(const net::Certificate& certificate,
                                            PeerTransportConfig config) {
  net::IceLiteConfig ice_config;
  ice_config.local_ufrag = config.local_ufrag;
  ice_config.local_pwd = std::move(config.local_pwd);
  ice_config.remote_ufrag = config.remote_ufrag;
  CV_TRY(auto dtls, net::DtlsTransport::create(net::DtlsRole::server, certificate,
                                               config.remote_fingerprint));
  CV_TRY_STATUS(dtls.start(Clock::TimePoint{}));
  return PeerTransport(config.local_ufrag, net::IceLite(std::move(ice_config)), std::move(dtls));
}

PeerTransport::StunResult PeerTransport::handle_stun(BytesView datagram,
                                                     const net::TransportAddress& from,
                                                     TimePoint now) {
  net::IceLiteOutcome outcome = ice_.handle(datagram, from, now);
  StunResult result;
  result.response = std::move(outcome.response);
  result.nominated = outcome.nominated;
  if (!outcome.accepted()) result.drop = DropReason::stun_rejected;
  return result;
}

std::optional<DropReason> PeerTransport::handle_dtls(BytesView datagram, TimePoint now) {
  bool was_connected = connected();
  Status handled = dtls_.handle(datagram, now);
  if (!was_connected && connected()) {
    if (!open_srtp()) srtp_failed_ = true;
  }
  if (!handled) return DropReason::dtls_rejected;
  return std::nullopt;
}

Status PeerTransport::open_srtp() {
  CV_TRY(auto profile, dtls_.srtp_profile());
  CV_TRY(auto remote, dtls_.remote_master());
  CV_TRY(auto local, dtls_.local_master());
  CV_TRY(auto in, net::SrtpSession::inbound(profile, remote));
  CV_TRY(auto out, net::SrtpSession::outbound(profile, local));
  inbound_.emplace(std::move(in));
  outbound_.emplace(std::move(out));
  return {};
}

bool PeerTransport::failed() const {
  return srtp_failed_ || dtls_.state() == net::DtlsState::failed ||
         dtls_.state() == net::DtlsState::closed;
}

bool PeerTransport::has_consent(TimePoint now) const {
  return ice_.selected() && ice_.has_consent(*ice_.selected(), now);
}

Result<size_t> PeerTransport::unprotect(MutableBytesView datagram, bool rtcp) {
  if (!inbound_) return Error(net::SrtpErrc::wrong_direction, "no keys");
  return rtcp ? inbound_->unprotect_rtcp(datagram, datagram.size())
              : inbound_->unprotect_rtp(datagram, datagram.size());
}

Result<size_t> PeerTransport::protect(MutableBytesView buffer, size_t length, bool rtcp) {
  if (!outbound_) return Error(net::SrtpErrc::wrong_direction, "no keys");
  return rtcp ? outbound_->protect_rtcp(buffer, length) : outbound_->protect_rtp(buffer, length);
}

}  // namespace conclave::sfu
