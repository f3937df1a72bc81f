// The media side of the signaling service: SDP offers and answers for the
// SFU's transports, and the SFU's events (docs/protocol.md, "Media").
#include <spdlog/spdlog.h>

#include "conclave/server/signaling_service.h"
#include "short_id.h"

namespace conclave::server {

using json = nlohmann::json;

namespace {

constexpr size_t kMaxSdpBytes = 32 * 1024;

json media_offer_message(const MediaService::Reply& offer) {
  json m = make_message("media_offer");
  m["sdp"] = offer.sdp;
  m["version"] = offer.version;
  m["tracks"] = offer.tracks;
  return m;
}

}  // namespace

SignalingService::Room* SignalingService::media_room(Participant& p, const Envelope& e) {
  if (media_ == nullptr) {
    send_error(p, ProtocolError::media_unavailable, e.id);
    return nullptr;
  }
  // Media goes to members of the group only: whoever receives ciphertext
  // is someone every member sees in the roster.
  return member_room(p, e);
}

SignalingService::Participant* SignalingService::find_joined(const Room& room,
                                                             std::string_view participant_id) {
  for (uint64_t number : room.joined) {
    Participant& candidate = participants_.at(number);
    if (candidate.participant_id == participant_id) return &candidate;
  }
  return nullptr;
}

void SignalingService::send_media_offers(const std::string& meeting_id) {
  auto room = rooms_.find(meeting_id);
  if (media_ == nullptr || room == rooms_.end()) return;
  for (auto& [participant_id, offer] : media_->take_offers(meeting_id)) {
    if (Participant* target = find_joined(room->second, participant_id)) {
      send(*target, media_offer_message(offer));
    }
  }
}

void SignalingService::handle_media_publish(Participant& p, const Envelope& e) {
  if (!media_room(p, e)) return;
  bool ok = true;
  auto sdp = e.string_field("sdp", 1, kMaxSdpBytes, ok);
  if (!ok || !sdp) {
    send_error(p, ProtocolError::invalid_field, e.id, "sdp");
    return;
  }
  auto reply = media_->publish(p.meeting_id, p.participant_id, *sdp);
  if (!reply) {
    send_error(p, ProtocolError::invalid_sdp, e.id, reply.error().to_string());
    return;
  }
  json answer = make_message("media_published");
  answer["in_reply_to"] = e.id;
  answer["sdp"] = reply->sdp;
  answer["tracks"] = reply->tracks;
  send(p, answer);
  spdlog::info("signaling: {} publishes {} tracks in {}", p.participant_id,
               reply->tracks.size(), short_id(p.meeting_id));
  send_media_offers(p.meeting_id);
}

void SignalingService::handle_media_subscribe(Participant& p, const Envelope& e) {
  if (!media_room(p, e)) return;
  auto offer = media_->subscribe(p.meeting_id, p.participant_id);
  if (!offer) {
    send_error(p, ProtocolError::internal, e.id);
    return;
  }
  if (offer->version == 0) {  // no tracks yet: the offer follows with the first
    send(p, make_ack(e.id));
    return;
  }
  json m = media_offer_message(*offer);
  m["in_reply_to"] = e.id;
  send(p, m);
  // Who speaks now: the SFU reports only changes.
  auto room = rooms_.find(p.meeting_id);
  if (room != rooms_.end() && !room->second.active_speaker.empty()) {
    json speaker = make_message("active_speaker");
    speaker["participant_id"] = room->second.active_speaker;
    send(p, speaker);
  }
}

void SignalingService::handle_media_answer(Participant& p, const Envelope& e) {
  if (!media_room(p, e)) return;
  bool ok = true;
  auto sdp = e.string_field("sdp", 1, kMaxSdpBytes, ok);
  const json* version = e.body.contains("version") ? &e.body["version"] : nullptr;
  if (!ok || !sdp || version == nullptr || !version->is_number_unsigned()) {
    send_error(p, ProtocolError::invalid_field, e.id, !ok || !sdp ? "sdp" : "version");
    return;
  }
  Status answered = media_->answer(p.meeting_id, p.participant_id, *sdp, version->get<uint64_t>());
  if (!answered) {
    bool state = answered.error().is(Errc::media_state);
    send_error(p, state ? ProtocolError::out_of_order : ProtocolError::invalid_sdp, e.id,
               answered.error().to_string());
    return;
  }
  send(p, make_ack(e.id));
}

void SignalingService::media_leave(const Participant& p) {
  if (media_ == nullptr) return;
  if (auto room = rooms_.find(p.meeting_id);
      room != rooms_.end() && room->second.active_speaker == p.participant_id) {
    room->second.active_speaker.clear();  // until the SFU names the next one
  }
  media_->leave(p.meeting_id, p.participant_id);
  send_media_offers(p.meeting_id);
}

void SignalingService::on_media_event(const sfu::SfuEvent& event) {
  auto room = rooms_.find(event.meeting);
  if (room == rooms_.end()) return;
  if (event.kind == sfu::SfuEvent::Kind::active_speaker) {
    room->second.active_speaker = event.participant;
    json m = make_message("active_speaker");
    m["participant_id"] = event.participant.empty() ? json(nullptr) : json(event.participant);
    send_to_members(room->second, m);
    return;
  }
  Participant* target = find_joined(room->second, event.participant);
  if (target == nullptr || media_ == nullptr) return;
  auto owner = media_->owner(event.transport);
  if (!owner || owner->second != event.participant) return;
  json m = make_message("media_state");
  m["transport"] = media_->is_publish(event.transport) ? "publish" : "subscribe";
  m["state"] = event.kind == sfu::SfuEvent::Kind::connected ? "connected" : "failed";
  send(*target, m);
}

}  // namespace conclave::server
