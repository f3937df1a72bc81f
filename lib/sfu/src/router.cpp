#include "conclave/sfu/router.h"

#include <algorithm>

#include "conclave/rtp/audio_level.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/transport_sequence_number.h"

namespace conclave::sfu {

struct Router::Track {
  Track(TransportId owner, const PublishedTrack& published)
      : publisher(owner),
        info(published),
        cache(published.kind == TrackKind::video ? kVideoCachePackets : kAudioCachePackets),
        statistics(published.ssrc, published.clock_rate) {}

  TransportId publisher;
  PublishedTrack info;
  ExtensionRemap remap;
  PacketCache cache;
  ReceiveStatistics statistics;
  std::vector<TransportId> subscribers;
  std::optional<TimePoint> last_key_frame_request;
  uint8_t fir_sequence = 0;
  // A new subscriber needs a key frame to start decoding: asked for at the
  // next tick.
  bool key_frame_wanted = false;
};

struct Router::Transport {
  TransportId id = 0;
  std::string meeting;
  std::string participant;
  Meeting* room = nullptr;  // meetings_[meeting], which outlives the transport
  uint32_t rtcp_ssrc = 0;
  std::vector<std::unique_ptr<Track>> tracks;  // published
  std::optional<TransportFeedbackGenerator> feedback;
  // Subscriptions: (publisher, SSRC).
  std::vector<std::pair<TransportId, uint32_t>> subscriptions;
  uint64_t remb_bps = 0;  // the last REMB this transport sent (as a subscriber)
};

Router::Router(SfuStats& stats) : stats_(stats) {}
Router::~Router() = default;

Status Router::add_transport(TransportId id, std::string meeting, std::string participant,
                             uint32_t rtcp_ssrc) {
  if (transports_.contains(id)) return Error(Errc::duplicate_transport);
  auto t = std::make_unique<Transport>();
  t->id = id;
  t->meeting = std::move(meeting);
  t->participant = std::move(participant);
  t->rtcp_ssrc = rtcp_ssrc;
  t->room = &meetings_[t->meeting];  // unordered_map nodes do not move
  t->room->transports.push_back(id);
  transports_.emplace(id, std::move(t));
  return {};
}

void Router::remove_track(Transport& publisher, uint32_t ssrc) {
  auto it = std::find_if(publisher.tracks.begin(), publisher.tracks.end(),
                         [&](const auto& t) { return t->info.ssrc == ssrc; });
  if (it == publisher.tracks.end()) return;
  for (TransportId sub : (*it)->subscribers) {
    auto s = transports_.find(sub);
    if (s == transports_.end()) continue;
    std::erase(s->second->subscriptions, std::pair{publisher.id, ssrc});
  }
  Meeting& meeting = meetings_[publisher.meeting];
  if ((*it)->info.kind == TrackKind::audio) {
    meeting.speakers.remove(ssrc);
    meeting.audio_owner.erase(ssrc);
  }
  publisher.tracks.erase(it);
}

void Router::remove_transport(TransportId id) {
  auto it = transports_.find(id);
  if (it == transports_.end()) return;
  Transport& t = *it->second;
  while (!t.tracks.empty()) remove_track(t, t.tracks.back()->info.ssrc);
  for (auto [publisher, ssrc] : t.subscriptions) {
    if (Track* track = find_track(publisher, ssrc)) std::erase(track->subscribers, id);
  }
  auto m = meetings_.find(t.meeting);
  if (m != meetings_.end()) {
    std::erase(m->second.transports, id);
    if (m->second.transports.empty()) meetings_.erase(m);
  }
  transports_.erase(it);
}

Router::Track* Router::find_track(TransportId publisher, uint32_t ssrc) {
  auto it = transports_.find(publisher);
  if (it == transports_.end()) return nullptr;
  for (auto& t : it->second->tracks) {
    if (t->info.ssrc == ssrc) return t.get();
  }
  return nullptr;
}

const Router::Track* Router::find_track(TransportId publisher, uint32_t ssrc) const {
  return const_cast<Router*>(this)->find_track(publisher, ssrc);
}

Router::Track* Router::find_subscribed(Transport& subscriber, uint32_t ssrc) {
  for (auto [publisher, s] : subscriber.subscriptions) {
    if (s == ssrc) return find_track(publisher, s);
  }
  return nullptr;
}

Status Router::add_track(TransportId publisher, const PublishedTrack& track) {
  auto it = transports_.find(publisher);
  if (it == transports_.end()) return Error(Errc::unknown_transport);
  if (track.ssrc == 0 || track.clock_rate == 0) return Error(Errc::invalid_argument, "ssrc");
  Transport& owner = *it->second;
  for (TransportId other : meetings_[owner.meeting].transports) {
    auto o = transports_.find(other);
    if (o == transports_.end()) continue;
    if (o->second->rtcp_ssrc == track.ssrc) return Error(Errc::duplicate_ssrc);
    for (const auto& t : o->second->tracks) {
      if (t->info.ssrc == track.ssrc) return Error(Errc::duplicate_ssrc);
    }
  }
  auto t = std::make_unique<Track>(publisher, track);
  const ExtensionIds& up = track.extensions;
  const ExtensionIds& down = kDownstreamExtensionIds;
  if (track.kind == TrackKind::audio && up.audio_level) t->remap.map(up.audio_level, down.audio_level);
  if (up.abs_send_time) t->remap.map(up.abs_send_time, down.abs_send_time);
  if (track.kind == TrackKind::video && up.dependency_descriptor) {
    t->remap.map(up.dependency_descriptor, down.dependency_descriptor);
  }
  if (up.transport_cc && !owner.feedback) {
    owner.feedback.emplace(owner.rtcp_ssrc, track.ssrc);
  }
  if (track.kind == TrackKind::audio) {
    meetings_[owner.meeting].audio_owner[track.ssrc] = owner.participant;
  }
  owner.tracks.push_back(std::move(t));
  return {};
}

Status Router::subscribe(TransportId subscriber, TransportId publisher, uint32_t ssrc) {
  auto s = transports_.find(subscriber);
  if (s == transports_.end()) return Error(Errc::unknown_transport);
  Track* track = find_track(publisher, ssrc);
  if (!track) return Error(Errc::unknown_track);
  if (subscriber == publisher ||
      s->second->meeting != transports_.at(publisher)->meeting) {
    return Error(Errc::invalid_argument, "subscriber and publisher");
  }
  if (std::find(track->subscribers.begin(), track->subscribers.end(), subscriber) ==
      track->subscribers.end()) {
    track->subscribers.push_back(subscriber);
    s->second->subscriptions.emplace_back(publisher, ssrc);
    if (track->info.kind == TrackKind::video) track->key_frame_wanted = true;
  }
  return {};
}

void Router::unsubscribe(TransportId subscriber, TransportId publisher, uint32_t ssrc) {
  if (Track* track = find_track(publisher, ssrc)) std::erase(track->subscribers, subscriber);
  auto s = transports_.find(subscriber);
  if (s != transports_.end()) std::erase(s->second->subscriptions, std::pair{publisher, ssrc});
}

void Router::on_rtp(TransportId from, MutableBytesView packet, TimePoint now,
                    RouterSink& sink) {
  auto it = transports_.find(from);
  if (it == transports_.end()) {
    stats_.drop(DropReason::unknown_source);
    return;
  }
  Transport& transport = *it->second;
  auto parsed = rtp::RtpPacket::parse(packet);
  if (!parsed) {
    stats_.drop(DropReason::rtp_malformed);
    return;
  }
  Track* track = nullptr;
  for (auto& t : transport.tracks) {
    if (t->info.ssrc == parsed->ssrc()) track = t.get();
  }
  if (!track) {
    stats_.drop(transport.tracks.empty() ? DropReason::wrong_direction : DropReason::unknown_ssrc);
    return;
  }
  ++stats_.rtp_in;
  const ExtensionIds& ext = track->info.extensions;
  if (ext.transport_cc && transport.feedback) {
    if (auto data = parsed->extension(ext.transport_cc)) {
      if (auto seq = rtp::TransportSequenceNumber::parse(*data)) {
        transport.feedback->on_packet(*seq, now);
      }
    }
  }
  if (track->info.kind == TrackKind::audio && ext.audio_level) {
    if (auto data = parsed->extension(ext.audio_level)) {
      if (auto level = rtp::AudioLevel::parse(*data)) {
        transport.room->speakers.on_level(track->info.ssrc, level->level);
      }
    }
  }
  uint16_t seq = parsed->sequence_number();
  track->statistics.on_packet(seq, parsed->timestamp(), now);
  track->remap.apply(packet, *parsed);
  track->cache.insert(seq, packet);
  for (TransportId sub : track->subscribers) {
    sink.send_rtp(sub, packet);
    ++stats_.rtp_forwarded;
  }
}

void Router::send_rtcp(TransportId to, Bytes& compound, RouterSink& sink) {
  if (compound.empty()) return;
  sink.send_rtcp(to, compound);
  ++stats_.rtcp_out;
  compound.clear();
}

void Router::handle_nack(Transport& from, uint32_t media_ssrc,
                         const std::vector<uint16_t>& lost, RouterSink& sink) {
  Track* track = find_subscribed(from, media_ssrc);
  if (!track) return;
  std::vector<uint16_t> missing;
  for (uint16_t seq : lost) {
    ++stats_.nacked_packets;
    if (auto cached = track->cache.find(seq)) {
      sink.send_rtp(from.id, *cached);
      ++stats_.retransmitted;
    } else {
      missing.push_back(seq);
    }
  }
  if (missing.empty()) return;
  auto publisher = transports_.find(track->publisher);
  if (publisher == transports_.end()) return;
  rtp::GenericNack nack{publisher->second->rtcp_ssrc, media_ssrc, std::move(missing)};
  Bytes out;
  if (nack.serialize(out)) {
    stats_.nacks_forwarded += nack.lost.size();
    send_rtcp(track->publisher, out, sink);
  }
}

void Router::request_key_frame(Transport& from, uint32_t media_ssrc, bool fir, TimePoint now,
                               RouterSink& sink) {
  Track* track = find_subscribed(from, media_ssrc);
  if (!track) return;
  if (track->last_key_frame_request && now - *track->last_key_frame_request <
                                           kKeyFrameRequestInterval) {
    return;  // one already went out: the coming key frame serves everyone
  }
  auto publisher = transports_.find(track->publisher);
  if (publisher == transports_.end()) return;
  track->last_key_frame_request = now;
  Bytes out;
  Status written = fir ? rtp::Fir{publisher->second->rtcp_ssrc, 0,
                                  {{media_ssrc, track->fir_sequence++}}}
                             .serialize(out)
                       : rtp::Pli{publisher->second->rtcp_ssrc, media_ssrc}.serialize(out);
  if (written) {
    ++stats_.key_frame_requests_relayed;
    send_rtcp(track->publisher, out, sink);
  }
}

void Router::on_rtcp(TransportId from, BytesView compound, TimePoint now, RouterSink& sink) {
  auto it = transports_.find(from);
  if (it == transports_.end()) {
    stats_.drop(DropReason::unknown_source);
    return;
  }
  Transport& transport = *it->second;
  auto packets = rtp::parse_rtcp_compound(compound);
  if (!packets) {
    stats_.drop(DropReason::rtcp_malformed);
    return;
  }
  ++stats_.rtcp_in;
  for (const rtp::RtcpPacket& packet : *packets) {
    if (const auto* sr = std::get_if<rtp::SenderReport>(&packet)) {
      Track* track = nullptr;
      for (auto& t : transport.tracks) {
        if (t->info.ssrc == sr->sender_ssrc) track = t.get();
      }
      if (!track) continue;
      track->statistics.on_sender_report(sr->ntp_timestamp, now);
      rtp::SenderReport forward = *sr;
      forward.report_blocks.clear();  // they speak of the publisher's own receptions
      Bytes out;
      if (!forward.serialize(out)) continue;
      for (TransportId sub : track->subscribers) {
        Bytes copy = out;
        send_rtcp(sub, copy, sink);
      }
    } else if (const auto* nack = std::get_if<rtp::GenericNack>(&packet)) {
      handle_nack(transport, nack->media_ssrc, nack->lost, sink);
    } else if (const auto* pli = std::get_if<rtp::Pli>(&packet)) {
      request_key_frame(transport, pli->media_ssrc, false, now, sink);
    } else if (const auto* fir = std::get_if<rtp::Fir>(&packet)) {
      for (const auto& entry : fir->entries) {
        request_key_frame(transport, entry.ssrc, true, now, sink);
      }
    } else if (const auto* remb = std::get_if<rtp::Remb>(&packet)) {
      transport.remb_bps = remb->bitrate_bps;
    }
    // RR, SDES, BYE, transport-cc from subscribers and unknown types carry
    // nothing the router acts on.
  }
}

void Router::on_tick(TimePoint now, RouterSink& sink) {
  for (auto& [id, t] : transports_) {
    for (auto& track : t->tracks) {
      if (!track->key_frame_wanted || track->subscribers.empty()) continue;
      track->key_frame_wanted = false;
      auto subscriber = transports_.find(track->subscribers.back());
      if (subscriber != transports_.end()) {
        request_key_frame(*subscriber->second, track->info.ssrc, false, now, sink);
      }
    }
  }
  if (!last_feedback_ || now - *last_feedback_ >= kFeedbackInterval) {
    last_feedback_ = now;
    for (auto& [id, t] : transports_) {
      if (!t->feedback) continue;
      for (const auto& fb : t->feedback->build()) {
        Bytes out;
        if (fb.serialize(out)) send_rtcp(id, out, sink);
      }
    }
  }
  if (!last_report_ || now - *last_report_ >= kReportInterval) {
    last_report_ = now;
    for (auto& [id, t] : transports_) {
      if (t->tracks.empty()) continue;
      rtp::ReceiverReport rr{t->rtcp_ssrc, {}};
      uint64_t remb = 0;
      std::vector<uint32_t> video;
      for (auto& track : t->tracks) {
        if (auto block = track->statistics.report_block(now)) {
          if (rr.report_blocks.size() < rtp::ReceiverReport::kMaxReportBlocks) {
            rr.report_blocks.push_back(*block);
          }
        }
        if (track->info.kind != TrackKind::video) continue;
        video.push_back(track->info.ssrc);
        for (TransportId sub : track->subscribers) {
          auto s = transports_.find(sub);
          if (s == transports_.end() || s->second->remb_bps == 0) continue;
          remb = remb == 0 ? s->second->remb_bps : std::min(remb, s->second->remb_bps);
        }
      }
      Bytes out;
      if (!rr.serialize(out)) continue;
      if (remb > 0 && !video.empty()) {
        rtp::Remb r{t->rtcp_ssrc, 0, remb, video};
        if (!r.serialize(out)) continue;
      }
      send_rtcp(id, out, sink);
    }
  }
  if (!last_speaker_ || now - *last_speaker_ >= kSpeakerInterval) {
    last_speaker_ = now;
    for (auto& [name, meeting] : meetings_) {
      if (auto changed = meeting.speakers.tick()) {
        auto owner = meeting.audio_owner.find(*changed);
        sink.active_speaker(name, owner == meeting.audio_owner.end() ? "" : owner->second);
      }
    }
  }
}

std::string Router::active_speaker(const std::string& meeting) const {
  auto m = meetings_.find(meeting);
  if (m == meetings_.end()) return "";
  auto owner = m->second.audio_owner.find(m->second.speakers.dominant());
  return owner == m->second.audio_owner.end() ? "" : owner->second;
}

const ReceiveStatistics* Router::statistics(TransportId publisher, uint32_t ssrc) const {
  const Track* t = find_track(publisher, ssrc);
  return t ? &t->statistics : nullptr;
}

}  // namespace conclave::sfu
