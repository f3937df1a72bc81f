#include "conclave/server/signaling_service.h"

#include "short_id.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "conclave/base/encoding.h"
#include "conclave/crypto/random.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/store/host_key.h"
#include "conclave/store/passcode_hash.h"

namespace conclave::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxDisplayName = 64;
constexpr size_t kResumeTokenBytes = 16;
constexpr auto kSuite = mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519;

// Display names: 1-64 bytes of UTF-8 (the JSON parser checked the
// encoding) without control characters.
bool valid_display_name(const std::string& s) {
  if (s.empty() || s.size() > kMaxDisplayName) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// The server's external-sender key, new at each start. Failing to make
// one is a broken installation, not hostile input.
crypto::SignaturePrivateKey generate_server_key() {
  auto suite = mls::CipherSuite::create(kSuite);
  CV_CHECK(suite.ok());
  auto key = suite->generate_signature_key();
  CV_CHECK(key.ok());
  return std::move(key).value();
}

}  // namespace

SignalingService::SignalingService(store::Store& store, const Clock& clock, const Config& config)
    : store_(store),
      clock_(clock),
      config_(config),
      auth_per_address_(clock, config.auth_per_address),
      auth_per_meeting_(clock, config.auth_per_meeting),
      server_key_(generate_server_key()),
      external_sender_{server_key_.public_key().bytes(),
                       mls::Credential::basic(to_bytes("conclave-server"))} {
  for (HostileMode mode : config_.hostile) {
    spdlog::warn("signaling: TEST-ONLY hostile mode {} is on", hostile_mode_name(mode));
  }
}

size_t SignalingService::lobby_size(const std::string& meeting_id) const {
  auto it = rooms_.find(meeting_id);
  return it == rooms_.end() ? 0 : it->second.lobby.size();
}

size_t SignalingService::joined_count(const std::string& meeting_id) const {
  auto it = rooms_.find(meeting_id);
  return it == rooms_.end() ? 0 : it->second.joined.size();
}

std::optional<uint64_t> SignalingService::group_epoch(const std::string& meeting_id) const {
  auto it = rooms_.find(meeting_id);
  if (it == rooms_.end() || !it->second.group) return std::nullopt;
  return it->second.group->sequencer.epoch();
}

size_t SignalingService::member_count(const std::string& meeting_id) const {
  auto it = rooms_.find(meeting_id);
  return it == rooms_.end() || !it->second.group ? 0 : it->second.group->leaves.size();
}

void SignalingService::on_websocket_open(const std::shared_ptr<net::WebSocketConnection>& c) {
  Participant p;
  p.connection = c;
  p.number = c->id();
  p.participant_id = "p" + std::to_string(c->id());
  participants_.emplace(p.number, std::move(p));
  const uint32_t per_minute = config_.messages_per_second * 60;
  connections_.emplace(
      c->id(), Connection{c->id(), TokenBucket(config_.messages_burst, per_minute, clock_.now())});
  spdlog::debug("signaling: connection {} from {}", c->id(), c->remote_address());
}

void SignalingService::on_websocket_close(net::WebSocketConnection& c) {
  auto cit = connections_.find(c.id());
  if (cit == connections_.end()) return;
  const uint64_t number = cit->second.participant;
  connections_.erase(cit);
  spdlog::debug("signaling: connection {} closed", c.id());
  Participant* p = find_participant(number);
  // Closed by us (deny, leave, removal) or replaced by a resume.
  if (p == nullptr || p->connection.get() != &c) return;
  if (p->state == State::joined && p->leaf && config_.reconnect_grace_ms > 0) {
    // A member keeps its seat for the grace period (on_tick ends it).
    p->connection.reset();
    p->detached_since = clock_.now();
    spdlog::info("signaling: member {} of {} dropped; seat kept for {} ms", p->participant_id,
                 short_id(p->meeting_id), config_.reconnect_grace_ms);
    return;
  }
  remove_participant(number, "left");
}

void SignalingService::on_websocket_message(net::WebSocketConnection& c,
                                            const net::WebSocketMessage& m) {
  auto cit = connections_.find(c.id());
  if (cit == connections_.end()) return;  // closed by us, frames still in flight
  Participant* found = find_participant(cit->second.participant);
  if (found == nullptr || found->connection.get() != &c) return;
  Participant& p = *found;
  const auto now = clock_.now();
  if (!cit->second.messages.try_take(now)) {
    json err = make_error(ProtocolError::rate_limited, nullptr, "too many messages");
    err["retry_after_ms"] = cit->second.messages.wait_ms(now);
    send(p, err);
    return;
  }
  if (m.binary) {
    send_error(p, ProtocolError::malformed, nullptr, "binary frames are not used; send JSON text");
    return;
  }
  ParsedEnvelope parsed = Envelope::parse(m.data, config_.max_message_bytes);
  if (parsed.failure) {
    send_error(p, parsed.failure->error, parsed.failure->in_reply_to, parsed.failure->message);
    return;
  }
  handle(p, *parsed.envelope);
}

void SignalingService::on_tick(Clock::TimePoint now) {
  const auto grace = std::chrono::milliseconds(config_.reconnect_grace_ms);
  std::vector<uint64_t> expired;
  for (const auto& [number, p] : participants_) {
    if (p.detached_since && now - *p.detached_since >= grace) expired.push_back(number);
  }
  for (uint64_t number : expired) {
    spdlog::info("signaling: participant {} did not come back",
                 participants_.at(number).participant_id);
    remove_participant(number, "left");
  }
  std::vector<std::string> release;
  for (const auto& [id, room] : rooms_) {
    if (room.group && room.group->held &&
        now - room.group->held->since >= std::chrono::milliseconds(hostile::kForkHoldMs)) {
      release.push_back(id);
    }
  }
  for (const auto& id : release) release_held_commit(rooms_.at(id));
}

void SignalingService::handle(Participant& p, const Envelope& e) {
  if (e.type == "ping") {
    json pong = make_message("pong");
    pong["in_reply_to"] = e.id;
    send(p, pong);
  } else if (e.type == "hello") {
    handle_hello(p, e);
  } else if (e.type == "admit") {
    handle_admit_or_deny(p, e, true);
  } else if (e.type == "deny") {
    handle_admit_or_deny(p, e, false);
  } else if (e.type == "leave") {
    handle_leave(p, e);
  } else if (e.type == "key_package") {
    handle_key_package(p, e);
  } else if (e.type == "group_info") {
    handle_group_info(p, e);
  } else if (e.type == "commit") {
    handle_commit(p, e);
  } else if (e.type == "proposal") {
    handle_proposal(p, e);
  } else if (e.type == "application") {
    handle_application(p, e);
  } else if (e.type == "remove") {
    handle_remove(p, e);
  } else if (e.type == "catch_up") {
    handle_catch_up(p, e);
  } else if (e.type == "media_publish") {
    handle_media_publish(p, e);
  } else if (e.type == "media_subscribe") {
    handle_media_subscribe(p, e);
  } else if (e.type == "media_answer") {
    handle_media_answer(p, e);
  } else {
    send_error(p, ProtocolError::unknown_type, e.id);
  }
}

void SignalingService::handle_hello(Participant& p, const Envelope& e) {
  if (p.state != State::connected) {
    send_error(p, ProtocolError::out_of_order, e.id, "hello was already accepted");
    return;
  }
  bool ok = true;
  auto meeting_text = e.string_field("meeting_id", 1, 64, ok);
  if (!ok || !meeting_text) {
    send_error(p, ProtocolError::invalid_field, e.id, "meeting_id: required string");
    return;
  }
  auto display_name = e.string_field("display_name", 1, 1024, ok);
  if (!ok || !display_name || !valid_display_name(*display_name)) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "display_name: 1-64 bytes without control characters");
    return;
  }
  auto passcode = e.string_field("passcode", 0, store::PasscodeHash::kMaxPasscodeBytes, ok);
  if (!ok) {
    send_error(p, ProtocolError::invalid_field, e.id, "passcode: string of at most 128 bytes");
    return;
  }
  auto host_key = e.string_field("host_key", 1, 128, ok);
  if (!ok) {
    send_error(p, ProtocolError::invalid_field, e.id, "host_key: string");
    return;
  }
  auto resume_token = e.string_field("resume_token", 1, 64, ok);
  if (!ok) {
    send_error(p, ProtocolError::invalid_field, e.id, "resume_token: string");
    return;
  }

  const std::string& address = p.connection->remote_address();
  auto id = store::MeetingId::parse(*meeting_text);
  // A malformed ID is a failed guess like an unknown one.
  std::string meeting_key = id.ok() ? id->str() : std::string("invalid");
  if (!auth_per_address_.allowed(address) || !auth_per_meeting_.allowed(meeting_key)) {
    json err = make_error(ProtocolError::rate_limited, e.id);
    err["retry_after_ms"] = std::max(auth_per_address_.retry_after_ms(address),
                                     auth_per_meeting_.retry_after_ms(meeting_key));
    send(p, err);
    spdlog::info("signaling: connection {} from {} rate-limited", p.connection->id(), address);
    return;
  }
  if (!id.ok()) {
    auth_per_address_.charge(address);
    send_error(p, ProtocolError::not_found, e.id);
    return;
  }
  auto meeting = store_.find_meeting(*id);
  if (!meeting.ok()) {
    if (meeting.error().is(store::Errc::not_found)) {
      auth_per_address_.charge(address);
      send_error(p, ProtocolError::not_found, e.id);
    } else {
      spdlog::error("signaling: store: {}", meeting.error().to_string());
      send_error(p, ProtocolError::internal, e.id);
    }
    return;
  }
  if (resume_token) {
    handle_resume(p, e, *meeting, *resume_token);
    return;
  }

  bool host = false;
  if (host_key) {
    if (!store::HostKey::matches(meeting->host_key_hash, *host_key)) {
      auth_per_address_.charge(address);
      auth_per_meeting_.charge(id->str());
      spdlog::info("signaling: wrong host key for meeting {} from {}", short_id(id->str()),
                   address);
      send_error(p, ProtocolError::bad_host_key, e.id);
      return;
    }
    host = true;
  } else if (meeting->passcode_hash) {
    if (!passcode || passcode->empty()) {
      send_error(p, ProtocolError::passcode_required, e.id);
      return;
    }
    if (!store::PasscodeHash::verify(*meeting->passcode_hash, *passcode)) {
      auth_per_address_.charge(address);
      auth_per_meeting_.charge(id->str());
      spdlog::info("signaling: wrong passcode for meeting {} from {}", short_id(id->str()),
                   address);
      send_error(p, ProtocolError::bad_passcode, e.id);
      return;
    }
  }
  if (!host && meeting->locked) {
    send_error(p, ProtocolError::meeting_locked, e.id);
    return;
  }
  auto room_it = rooms_.find(id->str());
  size_t present =
      room_it == rooms_.end() ? 0 : room_it->second.joined.size() + room_it->second.lobby.size();
  if (present >= config_.max_participants) {
    send_error(p, ProtocolError::meeting_full, e.id);
    return;
  }

  // Accepted: from here on, state changes.
  p.meeting_id = id->str();
  p.display_name = *display_name;
  p.host = host;
  Room& room = rooms_[p.meeting_id];
  if (host || !meeting->waiting_room) {
    join(p, *meeting, e.id);
    return;
  }
  p.state = State::lobby;
  room.lobby.push_back(p.number);
  json lobby = make_message("lobby");
  lobby["in_reply_to"] = e.id;
  lobby["participant_id"] = p.participant_id;
  lobby["meeting"] = meeting_json(*meeting);
  send(p, lobby);
  json waiting = make_message("participant_waiting");
  waiting["participant"] = participant_json(p);
  send_to_hosts(room, waiting);
  spdlog::info("signaling: connection {} waiting in the lobby of {}", p.connection->id(),
               short_id(p.meeting_id));
}

void SignalingService::handle_resume(Participant& p, const Envelope& e,
                                     const store::Meeting& meeting, const std::string& token) {
  auto it = resume_tokens_.find(token);
  Participant* target = it == resume_tokens_.end() ? nullptr : find_participant(it->second);
  const auto grace = std::chrono::milliseconds(config_.reconnect_grace_ms);
  if (target == nullptr || target->meeting_id != meeting.id.str() ||
      target->state != State::joined ||
      (target->detached_since && clock_.now() - *target->detached_since >= grace)) {
    auth_per_address_.charge(p.connection->remote_address());
    send_error(p, ProtocolError::bad_resume_token, e.id);
    return;
  }
  // The new connection takes the participant over; a still-open old one
  // (the server has not noticed the drop yet) is closed.
  std::shared_ptr<net::WebSocketConnection> connection = p.connection;
  const uint64_t temporary = p.number;
  connections_.at(connection->id()).participant = target->number;
  participants_.erase(temporary);  // `p` is gone from here on
  std::shared_ptr<net::WebSocketConnection> old = std::move(target->connection);
  target->connection = connection;
  target->detached_since.reset();
  if (old) {
    connections_.erase(old->id());
    old->close(net::CloseCode::going_away);
  }
  spdlog::info("signaling: participant {} of {} resumed on connection {}", target->participant_id,
               short_id(target->meeting_id), connection->id());
  join(*target, meeting, e.id, /*resumed=*/true);
  // A host may have missed add requests while away.
  offer_candidates_to(rooms_.at(target->meeting_id), *target);
}

void SignalingService::join(Participant& p, const store::Meeting& meeting, const json& in_reply_to,
                            bool resumed) {
  Room& room = rooms_[p.meeting_id];
  if (!p.resume_token.empty()) resume_tokens_.erase(p.resume_token);
  p.resume_token = to_base64url(crypto::random_bytes(kResumeTokenBytes));
  resume_tokens_[p.resume_token] = p.number;

  json joined_msg = make_message("joined");
  if (!in_reply_to.is_null()) joined_msg["in_reply_to"] = in_reply_to;
  joined_msg["participant_id"] = p.participant_id;
  joined_msg["role"] = p.host ? "host" : "participant";
  joined_msg["meeting"] = meeting_json(meeting);
  json list = json::array();
  for (uint64_t number : room.joined) {
    if (number != p.number) list.push_back(participant_json(participants_.at(number)));
  }
  joined_msg["participants"] = list;
  if (p.host) {
    json lobby = json::array();
    for (uint64_t number : room.lobby) lobby.push_back(participant_json(participants_.at(number)));
    joined_msg["lobby"] = lobby;
  }
  joined_msg["external_sender"] = to_base64url(codec::encode(external_sender_));
  joined_msg["cipher_suite"] = static_cast<uint16_t>(kSuite);
  joined_msg["group"] = room.group ? json{{"epoch", room.group->sequencer.epoch()}} : json(nullptr);
  joined_msg["resume_token"] = p.resume_token;
  if (resumed) {
    joined_msg["resumed"] = true;
    send(p, joined_msg);
    return;
  }
  p.state = State::joined;
  room.joined.insert(p.number);
  send(p, joined_msg);
  json announce = make_message("participant_joined");
  announce["participant"] = participant_json(p);
  send_to_joined(room, announce, p.number);
  spdlog::info("signaling: connection {} joined {} as {}", p.connection->id(),
               short_id(p.meeting_id), p.host ? "host" : "participant");
  if (p.key_package) offer_candidate(room, p);
}

std::optional<std::string> SignalingService::host_command_target(Participant& p,
                                                                 const Envelope& e) {
  if (p.state != State::joined) {
    send_error(p, ProtocolError::out_of_order, e.id, "join the meeting first");
    return std::nullopt;
  }
  if (!p.host) {
    send_error(p, ProtocolError::forbidden, e.id);
    return std::nullopt;
  }
  bool ok = true;
  auto target_id = e.string_field("participant_id", 1, 64, ok);
  if (!ok || !target_id) {
    send_error(p, ProtocolError::invalid_field, e.id, "participant_id: required string");
    return std::nullopt;
  }
  return std::string(*target_id);
}

void SignalingService::handle_admit_or_deny(Participant& p, const Envelope& e, bool admit) {
  auto target_id = host_command_target(p, e);
  if (!target_id) return;
  Room& room = rooms_[p.meeting_id];
  Participant* target = find_in_lobby(room, *target_id);
  if (target == nullptr) {
    send_error(p, ProtocolError::unknown_participant, e.id);
    return;
  }
  std::optional<store::Meeting> meeting;
  if (admit) {
    auto m = store_.find_meeting(*store::MeetingId::parse(p.meeting_id));
    if (!m.ok()) {
      send_error(p, ProtocolError::internal, e.id);
      return;
    }
    if (m->locked) {
      send_error(p, ProtocolError::meeting_locked, e.id, "unlock the meeting to admit anyone");
      return;
    }
    meeting = std::move(*m);
  }

  uint64_t target_number = target->number;
  std::erase(room.lobby, target_number);
  json left = make_message("lobby_left");
  left["participant_id"] = target->participant_id;
  left["reason"] = admit ? "admitted" : "denied";
  send_to_hosts(room, left);
  send(p, make_ack(e.id));
  if (admit) {
    join(*target, *meeting, nullptr);
  } else {
    send(*target, make_message("denied"));
    target->connection->close(net::CloseCode::normal);
    spdlog::info("signaling: participant {} denied entry to {}", target->participant_id,
                 short_id(p.meeting_id));
    participants_.erase(target_number);
  }
}

void SignalingService::handle_leave(Participant& p, const Envelope& e) {
  if (p.state == State::connected) {
    send_error(p, ProtocolError::out_of_order, e.id, "nothing to leave");
    return;
  }
  send(p, make_ack(e.id));
  auto connection = p.connection;
  remove_participant(p.number, "left");
  connection->close(net::CloseCode::normal);
}

void SignalingService::remove_participant(uint64_t number, std::string_view lobby_reason) {
  auto it = participants_.find(number);
  if (it == participants_.end()) return;
  if (!it->second.resume_token.empty()) resume_tokens_.erase(it->second.resume_token);
  if (it->second.state == State::connected) {
    participants_.erase(it);
    return;
  }
  auto room_it = rooms_.find(it->second.meeting_id);
  if (room_it == rooms_.end()) {
    participants_.erase(it);
    return;
  }
  Room& room = room_it->second;
  if (it->second.state == State::joined) media_leave(it->second);
  if (it->second.state == State::joined && it->second.leaf) member_departed(room, it->second);
  Participant p = std::move(it->second);
  participants_.erase(it);
  if (p.state == State::lobby) {
    std::erase(room.lobby, number);
    json left = make_message("lobby_left");
    left["participant_id"] = p.participant_id;
    left["reason"] = lobby_reason;
    send_to_hosts(room, left);
  } else {
    room.joined.erase(number);
    json left = make_message("participant_left");
    left["participant_id"] = p.participant_id;
    send_to_joined(room, left, number);
  }
  if (room.lobby.empty() && room.joined.empty()) rooms_.erase(room_it);
}

void SignalingService::on_meeting_updated(const store::Meeting& meeting) {
  auto it = rooms_.find(meeting.id.str());
  if (it == rooms_.end()) return;
  json update = make_message("meeting_updated");
  update["meeting"] = meeting_json(meeting);
  const Room& room = it->second;
  send_to_joined(room, update, 0);
  for (uint64_t number : room.lobby) send(participants_.at(number), update);
}

SignalingService::Participant* SignalingService::find_in_lobby(const Room& room,
                                                               std::string_view participant_id) {
  for (uint64_t number : room.lobby) {
    Participant& candidate = participants_.at(number);
    if (candidate.participant_id == participant_id) return &candidate;
  }
  return nullptr;
}

SignalingService::Participant* SignalingService::find_participant(uint64_t number) {
  auto it = participants_.find(number);
  return it == participants_.end() ? nullptr : &it->second;
}

void SignalingService::send(const Participant& p, const json& message) {
  if (p.connection)
    p.connection->send(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

void SignalingService::send_error(const Participant& p, ProtocolError e, const json& in_reply_to,
                                  std::string_view message) {
  send(p, make_error(e, in_reply_to, message));
}

void SignalingService::send_to_hosts(const Room& room, const json& message) {
  std::string text = message.dump(-1, ' ', false, json::error_handler_t::replace);
  for (uint64_t number : room.joined) {
    const Participant& p = participants_.at(number);
    if (p.host && p.connection) p.connection->send(text);
  }
}

void SignalingService::send_to_joined(const Room& room, const json& message, uint64_t except) {
  std::string text = message.dump(-1, ' ', false, json::error_handler_t::replace);
  for (uint64_t number : room.joined) {
    const Participant& p = participants_.at(number);
    if (number != except && p.connection) p.connection->send(text);
  }
}

void SignalingService::send_to_members(const Room& room, const json& message, uint64_t except) {
  if (!room.group) return;
  std::string text = message.dump(-1, ' ', false, json::error_handler_t::replace);
  for (const auto& [leaf, number] : room.group->leaves) {
    const Participant& p = participants_.at(number);
    if (number != except && p.connection) p.connection->send(text);
  }
}

json SignalingService::participant_json(const Participant& p) const {
  return json{{"participant_id", p.participant_id},
              {"display_name", p.display_name},
              {"role", p.host ? "host" : "participant"}};
}

json SignalingService::meeting_json(const store::Meeting& m) const {
  return json{{"meeting_id", m.id.str()},
              {"waiting_room", m.waiting_room},
              {"locked", m.locked},
              {"passcode_required", m.passcode_required()}};
}

}  // namespace conclave::server
