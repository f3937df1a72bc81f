#include "conclave/server/media_service.h"

#include "conclave/net/ice_lite.h"

#include <algorithm>


namespace conclave::server {
namespace {

sfu::TrackKind to_router_kind(sdp::MediaKind kind) {
  return kind == sdp::MediaKind::video ? sfu::TrackKind::video : sfu::TrackKind::audio;
}

sfu::ExtensionIds to_router_ids(const sdp::HeaderExtensionIds& ids) {
  return {ids.audio_level, ids.mid, ids.transport_cc, ids.abs_send_time,
          ids.dependency_descriptor};
}

nlohmann::json track_json(const std::string& mid, const std::string& participant,
                          sdp::MediaKind kind, uint32_t ssrc) {
  return {{"mid", mid},
          {"participant_id", participant},
          {"kind", std::string(sdp::to_string(kind))},
          {"ssrc", ssrc}};
}

}  // namespace

MediaService::MediaService(MediaServer& media, net::Fingerprint fingerprint,
                           std::string candidate_host)
    : media_(media), fingerprint_(std::move(fingerprint)),
      candidate_host_(std::move(candidate_host)) {}

sdp::TransportParams MediaService::server_params(std::string ufrag, std::string pwd) const {
  sdp::TransportParams p;
  p.ice_ufrag = std::move(ufrag);
  p.ice_pwd = std::move(pwd);
  p.ice_lite = true;
  p.fingerprint = fingerprint_.str();
  p.setup = sdp::Setup::passive;
  p.candidates.push_back(sdp::Candidate::host_udp(candidate_host_, media_.port()));
  return p;
}

Result<MediaService::Reply> MediaService::publish(const std::string& meeting,
                                                  const std::string& participant,
                                                  std::string_view offer_text) {
  CV_TRY(auto offer, sdp::SessionDescription::parse(offer_text));
  std::string ufrag = net::random_ice_credential(8);
  std::string pwd = net::random_ice_credential(16);
  CV_TRY(auto negotiated, sdp::answer_publish_offer(offer, server_params(ufrag, pwd)));
  CV_TRY(auto remote_fingerprint, net::Fingerprint::parse(negotiated.client.fingerprint));

  Meeting& m = meetings_[meeting];
  // SSRCs must be unique in the meeting (the publisher's previous
  // transport excepted: it is being replaced).
  std::vector<Track> tracks;
  for (const auto& t : negotiated.tracks) {
    if (t.direction == sdp::Direction::inactive || t.ssrcs.empty()) continue;
    uint32_t ssrc = t.ssrcs.front();
    for (const auto& [who, other] : m.members) {
      if (who == participant) continue;
      for (const auto& p : other.published) {
        if (p.ssrc == ssrc) return Error(sdp::Errc::duplicate_ssrc, "ssrc in use in the meeting");
      }
    }
    tracks.push_back(Track{participant, 0, t.kind, ssrc, t.cname, t.msid_stream, t.msid_track});
  }

  Member& member = m.members[participant];
  remove_publish(meeting, member);
  sfu::TransportId id = next_transport_++;
  member.publish = id;
  owners_[id] = {meeting, participant};
  publish_transports_.insert(id);
  for (auto& t : tracks) t.transport = id;
  member.published = tracks;

  std::vector<sfu::PublishedTrack> routed;
  for (const auto& t : negotiated.tracks) {
    if (t.direction == sdp::Direction::inactive || t.ssrcs.empty()) continue;
    routed.push_back({t.ssrcs.front(), to_router_kind(t.kind), t.clock_rate, t.payload_type,
                      t.mid, to_router_ids(t.ext)});
  }
  sfu::PeerTransportConfig config{ufrag, SecretBytes(as_bytes(pwd)), negotiated.client.ice_ufrag,
                                  remote_fingerprint};
  media_.post([id, meeting, participant, config = std::move(config),
               routed = std::move(routed)](sfu::Sfu& sfu) mutable {
    if (!sfu.add_transport(id, meeting, participant, std::move(config))) return;
    for (const auto& t : routed) (void)sfu.router().add_track(id, t);
  });

  Reply reply;
  reply.sdp = negotiated.answer.serialize();
  for (const auto& t : negotiated.tracks) {
    if (t.ssrcs.empty()) continue;
    reply.tracks.push_back(track_json(t.mid, participant, t.kind, t.ssrcs.front()));
  }
  // Everyone else's subscribe offer gains these tracks.
  for (auto& [who, other] : m.members) {
    if (who != participant && other.subscribing) sync_slots(m, who, other);
  }
  return reply;
}

void MediaService::remove_publish(const std::string& meeting, Member& member) {
  if (member.publish == 0) return;
  sfu::TransportId id = member.publish;
  media_.post([id](sfu::Sfu& sfu) { sfu.remove_transport(id); });
  owners_.erase(id);
  publish_transports_.erase(id);
  member.publish = 0;
  member.published.clear();
  Meeting& m = meetings_[meeting];
  for (auto& [who, other] : m.members) {
    if (other.subscribing) sync_slots(m, who, other);
  }
}

bool MediaService::sync_slots(Meeting& m, const std::string& who, Member& member) {
  bool changed = false;
  std::vector<const Track*> wanted;
  for (const auto& [publisher, other] : m.members) {
    if (publisher == who) continue;
    for (const auto& t : other.published) wanted.push_back(&t);
  }
  // Deactivate sections whose track is gone.
  for (auto& slot : member.slots) {
    if (!slot.track) continue;
    bool still = std::any_of(wanted.begin(), wanted.end(), [&](const Track* t) {
      return t->ssrc == slot.track->ssrc && t->transport == slot.track->transport;
    });
    if (still) continue;
    if (member.subscribe != 0) {
      sfu::TransportId sub = member.subscribe, pub = slot.track->transport;
      uint32_t ssrc = slot.track->ssrc;
      media_.post([sub, pub, ssrc](sfu::Sfu& sfu) { sfu.router().unsubscribe(sub, pub, ssrc); });
    }
    slot.track.reset();
    changed = true;
  }
  // Place new tracks: a free section of the same kind, else a new one.
  for (const Track* t : wanted) {
    bool placed = std::any_of(member.slots.begin(), member.slots.end(), [&](const Slot& s) {
      return s.track && s.track->ssrc == t->ssrc && s.track->transport == t->transport;
    });
    if (placed) continue;
    auto free = std::find_if(member.slots.begin(), member.slots.end(),
                             [&](const Slot& s) { return !s.track && s.kind == t->kind; });
    if (free == member.slots.end()) {
      member.slots.push_back(Slot{std::to_string(member.slots.size()), t->kind, std::nullopt});
      free = member.slots.end() - 1;
    }
    free->track = *t;
    if (member.subscribe != 0) {
      sfu::TransportId sub = member.subscribe, pub = t->transport;
      uint32_t ssrc = t->ssrc;
      media_.post([sub, pub, ssrc](sfu::Sfu& sfu) { (void)sfu.router().subscribe(sub, pub, ssrc); });
    }
    changed = true;
  }
  if (changed) member.dirty = true;
  return changed;
}

MediaService::Reply MediaService::make_offer(Member& member) {
  std::vector<sdp::SubscribeTrack> tracks;
  sdp::HeaderExtensionIds ext;
  ext.audio_level = sfu::kDownstreamExtensionIds.audio_level;
  ext.abs_send_time = sfu::kDownstreamExtensionIds.abs_send_time;
  ext.dependency_descriptor = sfu::kDownstreamExtensionIds.dependency_descriptor;
  Reply reply;
  for (const Slot& slot : member.slots) {
    sdp::SubscribeTrack t;
    t.mid = slot.mid;
    t.kind = slot.kind;
    t.ext = ext;
    if (slot.track) {
      t.ssrc = slot.track->ssrc;
      t.cname = slot.track->cname.empty() ? slot.track->participant : slot.track->cname;
      t.stream_id = slot.track->participant;
      t.track_id = slot.mid + "-" + std::to_string(slot.track->ssrc);
      t.active = true;
      reply.tracks.push_back(track_json(slot.mid, slot.track->participant, slot.kind, t.ssrc));
    } else {
      t.active = false;
    }
    tracks.push_back(std::move(t));
  }
  ++member.version;
  sdp::TransportParams params = server_params(member.ufrag, member.pwd);
  params.setup = sdp::Setup::actpass;
  member.offer = sdp::build_subscribe_offer(params, tracks, member.version);
  member.dirty = false;
  reply.sdp = member.offer->serialize();
  reply.version = member.version;
  return reply;
}

Result<MediaService::Reply> MediaService::subscribe(const std::string& meeting,
                                                    const std::string& participant) {
  Meeting& m = meetings_[meeting];
  Member& member = m.members[participant];
  if (!member.subscribing) {
    member.subscribing = true;
    member.ufrag = net::random_ice_credential(8);
    member.pwd = net::random_ice_credential(16);
  }
  sync_slots(m, participant, member);
  // Nothing to offer yet (an offer needs a section): the first track of
  // another participant brings the offer (take_offers).
  if (member.slots.empty()) return Reply{};
  return make_offer(member);
}

Status MediaService::answer(const std::string& meeting, const std::string& participant,
                            std::string_view answer_text, uint64_t version) {
  auto mit = meetings_.find(meeting);
  if (mit == meetings_.end()) return Error(Errc::media_state, "no media_subscribe");
  auto it = mit->second.members.find(participant);
  if (it == mit->second.members.end() || !it->second.offer) {
    return Error(Errc::media_state, "no media_subscribe");
  }
  Member& member = it->second;
  if (version != member.version) return Error(Errc::media_state, "stale offer version");
  CV_TRY(auto answer, sdp::SessionDescription::parse(answer_text));
  CV_TRY(auto info, sdp::parse_subscribe_answer(*member.offer, answer));
  if (member.subscribe != 0) return {};  // renegotiation: the transport stays
  CV_TRY(auto remote_fingerprint, net::Fingerprint::parse(info.client.fingerprint));
  sfu::TransportId id = next_transport_++;
  member.subscribe = id;
  owners_[id] = {meeting, participant};
  std::vector<std::pair<sfu::TransportId, uint32_t>> routes;
  for (const Slot& slot : member.slots) {
    if (slot.track) routes.emplace_back(slot.track->transport, slot.track->ssrc);
  }
  sfu::PeerTransportConfig config{member.ufrag, SecretBytes(as_bytes(member.pwd)),
                                  info.client.ice_ufrag, remote_fingerprint};
  media_.post([id, meeting, participant, config = std::move(config),
               routes = std::move(routes)](sfu::Sfu& sfu) mutable {
    if (!sfu.add_transport(id, meeting, participant, std::move(config))) return;
    for (auto [pub, ssrc] : routes) (void)sfu.router().subscribe(id, pub, ssrc);
  });
  return {};
}

void MediaService::leave(const std::string& meeting, const std::string& participant) {
  auto mit = meetings_.find(meeting);
  if (mit == meetings_.end()) return;
  auto it = mit->second.members.find(participant);
  if (it == mit->second.members.end()) return;
  Member& member = it->second;
  if (member.subscribe != 0) {
    sfu::TransportId id = member.subscribe;
    media_.post([id](sfu::Sfu& sfu) { sfu.remove_transport(id); });
    owners_.erase(id);
  }
  remove_publish(meeting, member);
  mit->second.members.erase(it);
  if (mit->second.members.empty()) meetings_.erase(mit);
}

std::vector<std::pair<std::string, MediaService::Reply>> MediaService::take_offers(
    const std::string& meeting) {
  std::vector<std::pair<std::string, Reply>> out;
  auto mit = meetings_.find(meeting);
  if (mit == meetings_.end()) return out;
  for (auto& [who, member] : mit->second.members) {
    if (member.subscribing && member.dirty) out.emplace_back(who, make_offer(member));
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> MediaService::owner(
    sfu::TransportId id) const {
  auto it = owners_.find(id);
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

}  // namespace conclave::server
