#include "conclave/sfu/sfu.h"

#include <algorithm>
#include <cstring>

#include "conclave/crypto/random.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::sfu {

struct Sfu::Entry {
  TransportId id = 0;
  std::string meeting;
  std::string participant;
  PeerTransport transport;
  // Where DTLS goes: the nominated address, or before any nomination the
  // last address whose check was valid (a controlling agent may start
  // DTLS as soon as a check succeeds).
  std::optional<net::TransportAddress> address;
  bool reported_connected = false;
  bool reported_failed = false;
};

size_t TransportAddressHash::operator()(const net::TransportAddress& a) const {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](uint8_t b) {
    h ^= b;
    h *= 1099511628211ull;
  };
  for (uint8_t b : a.ip) mix(b);
  mix(static_cast<uint8_t>(a.port >> 8));
  mix(static_cast<uint8_t>(a.port));
  mix(static_cast<uint8_t>(a.family));
  return static_cast<size_t>(h);
}

Sfu::Sfu(net::Certificate certificate) : certificate_(std::move(certificate)) {}
Sfu::~Sfu() = default;

Status Sfu::add_transport(TransportId id, std::string meeting, std::string participant,
                          PeerTransportConfig config) {
  if (id == 0 || transports_.contains(id)) return Error(Errc::duplicate_transport, "id");
  if (config.local_ufrag.empty() || by_ufrag_.contains(config.local_ufrag)) {
    return Error(Errc::duplicate_transport, "ufrag");
  }
  CV_TRY(auto transport, PeerTransport::create(certificate_, std::move(config)));
  // The SFU's own RTCP SSRC for this transport: random, never 0.
  uint32_t rtcp_ssrc = 0;
  while (rtcp_ssrc == 0) rtcp_ssrc = crypto::random_uint<uint32_t>();
  CV_TRY_STATUS(router_.add_transport(id, meeting, participant, rtcp_ssrc));
  auto entry = std::make_unique<Entry>(Entry{id, std::move(meeting), std::move(participant),
                                             std::move(transport), std::nullopt});
  by_ufrag_.emplace(entry->transport.local_ufrag(), id);
  transports_.emplace(id, std::move(entry));
  return {};
}

void Sfu::remove_transport(TransportId id) {
  auto it = transports_.find(id);
  if (it == transports_.end()) return;
  router_.remove_transport(id);
  by_ufrag_.erase(it->second->transport.local_ufrag());
  std::erase_if(by_address_, [id](const auto& kv) { return kv.second == id; });
  transports_.erase(it);
}

const PeerTransport* Sfu::transport(TransportId id) const {
  auto it = transports_.find(id);
  return it == transports_.end() ? nullptr : &it->second->transport;
}

Sfu::Entry* Sfu::by_address(const net::TransportAddress& from) {
  auto it = by_address_.find(from);
  if (it == by_address_.end()) return nullptr;
  auto t = transports_.find(it->second);
  return t == transports_.end() ? nullptr : t->second.get();
}

void Sfu::send_dtls(Entry& entry, DatagramSink& out) {
  auto datagrams = entry.transport.take_dtls_outgoing();
  const auto& to = entry.address;
  if (!to) return;  // no valid check yet: the flight is resent by the timer
  for (const Bytes& d : datagrams) {
    MutableBytesView buffer = out.reserve();
    if (d.size() > buffer.size()) continue;
    std::memcpy(buffer.data(), d.data(), d.size());
    out.commit(*to, d.size());
    ++stats_.datagrams_out;
    stats_.bytes_out += d.size();
  }
}

void Sfu::check_state(Entry& entry, TimePoint now) {
  if (!entry.reported_connected && entry.transport.srtp_ready()) {
    entry.reported_connected = true;
    ++stats_.dtls_handshakes;
    events_.push_back({SfuEvent::Kind::connected, entry.id, entry.meeting, entry.participant});
  }
  bool consent_lost = entry.reported_connected && entry.transport.consent_expired(now);
  if (!entry.reported_failed && (entry.transport.failed() || consent_lost)) {
    entry.reported_failed = true;
    events_.push_back({SfuEvent::Kind::failed, entry.id, entry.meeting, entry.participant});
  }
}

void Sfu::handle(MutableBytesView datagram, const net::TransportAddress& from, TimePoint now,
                 DatagramSink& out) {
  ++stats_.datagrams_in;
  stats_.bytes_in += datagram.size();
  if (datagram.empty()) {
    stats_.drop(DropReason::unknown_protocol);
    return;
  }
  out_ = &out;
  now_ = now;
  switch (net::classify(datagram[0])) {
    case net::PacketKind::stun: {
      auto message = net::StunMessage::parse(datagram);
      std::optional<std::string_view> username;
      if (message) username = message->username();
      std::string_view local = username ? username->substr(0, username->find(':')) : "";
      auto id = by_ufrag_.find(std::string(local));
      if (id == by_ufrag_.end()) {
        stats_.drop(DropReason::stun_rejected);
        break;
      }
      Entry& entry = *transports_.at(id->second);
      auto result = entry.transport.handle_stun(datagram, from, now);
      if (!result.response.empty()) {
        MutableBytesView buffer = out.reserve();
        if (result.response.size() <= buffer.size()) {
          std::memcpy(buffer.data(), result.response.data(), result.response.size());
          out.commit(from, result.response.size());
          ++stats_.datagrams_out;
          stats_.bytes_out += result.response.size();
        }
      }
      if (result.drop) {
        stats_.drop(*result.drop);
        break;
      }
      ++stats_.stun_answered;
      if (result.nominated || !entry.address) {
        std::erase_if(by_address_, [&](const auto& kv) { return kv.second == entry.id; });
        // An address bound to another transport moves to this one.
        by_address_[from] = entry.id;
        entry.address = from;
        send_dtls(entry, out);  // a flight waiting for an address
      }
      break;
    }
    case net::PacketKind::dtls: {
      Entry* entry = by_address(from);
      if (!entry) {
        stats_.drop(DropReason::unknown_source);
        break;
      }
      if (auto drop = entry->transport.handle_dtls(datagram, now)) stats_.drop(*drop);
      send_dtls(*entry, out);
      check_state(*entry, now);
      break;
    }
    case net::PacketKind::rtp_rtcp: {
      Entry* entry = by_address(from);
      if (!entry) {
        stats_.drop(DropReason::unknown_source);
        break;
      }
      if (!entry->transport.srtp_ready()) {
        stats_.drop(DropReason::srtp_not_ready);
        break;
      }
      bool rtcp = rtp::looks_like_rtcp(datagram);  // RFC 5761 section 4
      auto plain = entry->transport.unprotect(datagram, rtcp);
      if (!plain) {
        if (plain.error().is(net::SrtpErrc::auth_failed)) {
          stats_.drop(DropReason::srtp_auth_failed);
        } else if (plain.error().is(net::SrtpErrc::replay)) {
          stats_.drop(DropReason::srtp_replay);
        } else {
          stats_.drop(DropReason::srtp_other);
        }
        break;
      }
      MutableBytesView packet = datagram.first(*plain);
      if (observer_) observer_(false, packet);
      if (rtcp) {
        router_.on_rtcp(entry->id, packet, now, *this);
      } else {
        router_.on_rtp(entry->id, packet, now, *this);
      }
      break;
    }
    case net::PacketKind::unknown:
      stats_.drop(DropReason::unknown_protocol);
      break;
  }
  out_ = nullptr;
}

void Sfu::send_plain(TransportId to, BytesView packet, bool rtcp) {
  auto it = transports_.find(to);
  if (it == transports_.end() || !out_) return;
  PeerTransport& transport = it->second->transport;
  if (!transport.srtp_ready()) {
    stats_.drop(DropReason::no_keys_downstream);
    return;
  }
  if (!transport.has_consent(now_)) {
    stats_.drop(DropReason::consent_expired);
    return;
  }
  MutableBytesView buffer = out_->reserve();
  if (packet.size() + net::SrtpSession::kMaxTrailer > buffer.size()) {
    stats_.drop(DropReason::send_failed);
    return;
  }
  std::memcpy(buffer.data(), packet.data(), packet.size());
  if (observer_) observer_(true, packet);
  auto size = transport.protect(buffer, packet.size(), rtcp);
  if (!size) {
    stats_.drop(DropReason::send_failed);
    return;
  }
  out_->commit(*transport.selected(), *size);
  ++stats_.datagrams_out;
  stats_.bytes_out += *size;
}

void Sfu::active_speaker(const std::string& meeting, const std::string& participant) {
  events_.push_back({SfuEvent::Kind::active_speaker, 0, meeting, participant});
}

void Sfu::on_tick(TimePoint now, DatagramSink& out) {
  out_ = &out;
  now_ = now;
  for (auto& [id, entry] : transports_) {
    auto timeout = entry->transport.next_timeout();
    if (timeout && *timeout <= now) {
      entry->transport.on_timeout(now);
      send_dtls(*entry, out);
    }
    check_state(*entry, now);
  }
  router_.on_tick(now, *this);
  out_ = nullptr;
}

std::vector<SfuEvent> Sfu::take_events() { return std::exchange(events_, {}); }

}  // namespace conclave::sfu
