#include "conclave/client/media_engine.h"

#include <arpa/inet.h>
#include <poll.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <map>

#include "conclave/client/audio_sender.h"
#include "conclave/client/external_subscriber.h"
#include "conclave/client/loss_counter.h"
#include "conclave/client/media_errc.h"
#include "conclave/client/media_receiver.h"
#include "conclave/client/media_transport.h"
#include "conclave/client/synthetic_source.h"
#include "conclave/client/transport_sequence_counter.h"
#include "conclave/client/video_sender.h"
#include "conclave/crypto/random.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/tone_generator.h"
#include "conclave/media/wav_reader.h"
#include "conclave/media/wav_writer.h"
#include "conclave/media/y4m_reader.h"
#include "conclave/media/y4m_writer.h"
#include "conclave/net/ice_lite.h"
#include "conclave/net/udp_socket.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/sdp/negotiation.h"
#include "conclave/sframe/mls_context.h"

namespace conclave::client {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

uint32_t random_ssrc() {
  uint32_t v = 0;
  while (v == 0) v = crypto::random_uint<uint32_t>();
  return v;
}

Json event(std::string name, Json fields = Json::object()) {
  fields["event"] = std::move(name);
  return fields;
}

double ms(Clock::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The server's host candidate as a socket address.
std::optional<net::TransportAddress> candidate_address(const sdp::TransportParams& params) {
  for (const auto& c : params.candidates) {
    if (c.component != 1) continue;
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, c.address.c_str(), &v4) == 1) {
      std::array<uint8_t, 4> ip{};
      std::memcpy(ip.data(), &v4, 4);
      return net::TransportAddress::ipv4(ip, c.port);
    }
    if (inet_pton(AF_INET6, c.address.c_str(), &v6) == 1) {
      std::array<uint8_t, 16> ip{};
      std::memcpy(ip.data(), &v6, 16);
      return net::TransportAddress::ipv6(ip, c.port);
    }
  }
  return std::nullopt;
}

RtpExtensionIds to_ids(const sdp::HeaderExtensionIds& ids, const std::string& mid) {
  RtpExtensionIds out;
  out.audio_level = ids.audio_level;
  out.mid = ids.mid;
  out.mid_value = mid;
  out.transport_cc = ids.transport_cc;
  out.abs_send_time = ids.abs_send_time;
  out.dependency_descriptor = ids.dependency_descriptor;
  return out;
}

// One side's UDP socket and transport.
struct Leg {
  std::string ufrag = net::random_ice_credential(8);
  std::string pwd = net::random_ice_credential(16);
  std::optional<net::UdpSocket> socket;
  std::optional<MediaTransport> transport;
  bool reported = false;
};

struct RemoteTrack {
  std::string mid;
  std::string participant;
  MediaKind kind = MediaKind::audio;
  std::unique_ptr<MediaReceiver> receiver;
  std::optional<media::Y4mWriter> y4m;
  std::optional<media::WavWriter> wav;
  uint64_t frames_recorded = 0;
  // Decryption failures in the track's first second (frames of an epoch
  // whose key is still on its way) are told apart from later ones.
  Clock::TimePoint created{};
  std::optional<uint64_t> decrypt_failures_at_1s;
  LossCounter loss;  // RTP sequence numbers on arrival
};

// A subscribe offer handed to the external subscriber, waiting for its
// answer (answers come back in the order of the offers).
struct PendingOffer {
  sdp::SessionDescription offer;
  Json version;
  std::map<uint32_t, std::string> owners;
};

// How well a synthetic source kept its schedule: a frame sent more than
// kLate after it was due is late (the load machine fell behind: 3 video
// frames, 5 audio frames; shorter hiccups are caught up at once).
struct Schedule {
  static constexpr Clock::Duration kLate = std::chrono::milliseconds(100);
  uint64_t frames = 0;
  uint64_t late = 0;
  Clock::Duration max_lag{};
  void note(Clock::Duration lag) {
    ++frames;
    if (lag > kLate) ++late;
    max_lag = std::max(max_lag, lag);
  }
};

// Whether the next frame of a source (due at `next`; the first one at once)
// is due at `now`. If so `next` moves one period on from when this frame was
// due, not from now, so a late round catches up instead of drifting, and
// `schedule` notes how late the frame is.
bool frame_due(Clock::TimePoint& next, Clock::TimePoint now, Clock::Duration period,
               Schedule& schedule) {
  if (now < next) return false;
  const Clock::TimePoint due = next == Clock::TimePoint{} ? now : next;
  next = due + period;
  schedule.note(now - due);
  return true;
}

constexpr Clock::Duration kAudioFrame = std::chrono::milliseconds(20);

}  // namespace

struct MediaEngine::Impl {
  Impl(MediaOptions o, const Clock& c, net::Certificate cert, sframe::MlsContext k)
      : options(std::move(o)), clock(c), certificate(std::move(cert)), keys(std::move(k)) {}

  MediaOptions options;
  const Clock& clock;
  net::Certificate certificate;

  // Shared with the signaling thread.
  std::mutex mutex;
  std::vector<std::function<void()>> commands;
  std::vector<Json> outgoing;
  std::vector<Json> events;
  Json last_stats = Json::object();
  std::atomic<bool> stopping{false};
  std::thread thread;

  // Media thread only.
  sframe::MlsContext keys;
  std::optional<uint64_t> own_leaf;
  bool started = false;
  TransportSequenceCounter transport_sequence{0};
  Leg publish;
  std::optional<sdp::SessionDescription> publish_offer;
  uint32_t video_ssrc = random_ssrc();
  uint32_t audio_ssrc = random_ssrc();
  std::unique_ptr<VideoSender> video;
  std::unique_ptr<AudioSender> audio;
  std::optional<media::TestPattern> pattern;
  std::optional<media::ToneGenerator> tone;
  std::optional<media::Y4mReader> y4m_in;
  std::optional<media::WavReader> wav_in;
  std::optional<SyntheticSource> synthetic;
  Schedule video_schedule, audio_schedule;  // reported for synthetic sources
  std::string y4m_path, wav_path;
  uint64_t video_index = 0;
  Clock::TimePoint next_video{}, next_audio{};
  bool has_video_source = false, has_audio_source = false;
  Leg subscribe;
  uint32_t receiver_ssrc = random_ssrc();
  std::map<uint32_t, RemoteTrack> remote;
  Json finished = Json::array();  // stats of tracks that have ended
  std::map<std::string, uint64_t> transport_drops;
  // Reused by every receive (building one zeroes 64 KiB).
  net::ReceiveBatch batch{32};
  std::string active_speaker;
  // RTP that reached the receive path, by where it came from.
  uint64_t rtp_from_transport = 0;
  uint64_t rtp_from_external = 0;
  // Test only: the external subscriber (MediaOptions::external_subscriber).
  std::optional<ExternalSubscriber> external;
  std::deque<PendingOffer> external_offers;
  uint64_t external_rtcp_dropped = 0;
  uint64_t external_answers_rejected = 0;
  bool external_reported = false;
  bool external_closed_reported = false;

  void emit(Json e) {
    std::lock_guard lock(mutex);
    events.push_back(std::move(e));
  }
  void send(Json m) {
    std::lock_guard lock(mutex);
    outgoing.push_back(std::move(m));
  }

  Status open_sources();
  void start_media();
  void handle_published(const Json& m);
  void handle_offer(const Json& m);
  void handle_external_answer(const std::string& sdp);
  void sync_tracks(const std::vector<sdp::NegotiatedTrack>& tracks,
                   const std::map<uint32_t, std::string>& owners);
  void deliver_rtp(BytesView packet);
  void receive_external();
  void open_leg(Leg& leg, const sdp::TransportParams& server, const char* name);
  void run();
  void pump_leg(Leg& leg, const char* name, Clock::TimePoint now);
  void receive_leg(Leg& leg, bool is_publish, Clock::TimePoint now);
  void send_packet(Bytes packet, bool rtcp);
  void produce(Clock::TimePoint now);
  void produce_synthetic(Clock::TimePoint now);
  Clock::Duration video_period() const { return std::chrono::microseconds(1'000'000 / options.fps); }
  void handle_feedback(BytesView rtcp);
  Json collect_stats() const;
  Json track_stats(uint32_t ssrc, const RemoteTrack& t) const;
  void close_recordings();
};

Status MediaEngine::Impl::open_sources() {
  if (options.publish.empty()) return {};
  if (options.publish.starts_with("synthetic")) {
    has_video_source = options.publish == "synthetic" || options.publish == "synthetic-video";
    has_audio_source = options.publish == "synthetic" || options.publish == "synthetic-audio";
    if (!has_video_source && !has_audio_source) {
      return Error(MediaErrc::invalid_config, "--publish: synthetic[-video|-audio]");
    }
    if (options.fps == 0) return Error(MediaErrc::invalid_config, "fps");
    synthetic.emplace(SyntheticSourceConfig{.video_kbps = options.video_kbps, .fps = options.fps});
    return {};
  }
  if (options.publish == "test") {
    CV_TRY(auto p, media::TestPattern::create({options.width, options.height, options.fps}));
    pattern.emplace(std::move(p));
    CV_TRY(auto t, media::ToneGenerator::create({.frequency_hz = options.tone_hz}));
    tone.emplace(std::move(t));
    has_video_source = has_audio_source = true;
    return {};
  }
  size_t pos = 0;
  while (pos <= options.publish.size()) {
    size_t comma = options.publish.find(',', pos);
    std::string file = options.publish.substr(pos, comma == std::string::npos ? std::string::npos
                                                                               : comma - pos);
    if (file.ends_with(".y4m")) {
      CV_TRY(auto r, media::Y4mReader::open_file(file));
      options.width = r.header().width;
      options.height = r.header().height;
      y4m_in.emplace(std::move(r));
      y4m_path = file;
      has_video_source = true;
    } else if (file.ends_with(".wav")) {
      CV_TRY(auto r, media::WavReader::open_file(file));
      wav_in.emplace(std::move(r));
      wav_path = file;
      has_audio_source = true;
    } else {
      return Error(MediaErrc::invalid_config, "--publish: test, or .y4m/.wav files");
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return {};
}

void MediaEngine::Impl::start_media() {
  started = true;
  if (has_video_source || has_audio_source) {
    sdp::TransportParams params;
    params.ice_ufrag = publish.ufrag;
    params.ice_pwd = publish.pwd;
    params.fingerprint = certificate.fingerprint().str();
    std::vector<sdp::PublishTrack> tracks;
    if (has_audio_source) {
      tracks.push_back({"0", sdp::MediaKind::audio, audio_ssrc, "conclave", "conclave", "audio"});
    }
    if (has_video_source) {
      tracks.push_back({std::to_string(tracks.size()), sdp::MediaKind::video, video_ssrc,
                        "conclave", "conclave", "video"});
    }
    publish_offer = sdp::build_publish_offer(params, tracks);
    send({{"type", "media_publish"}, {"sdp", publish_offer->serialize()}});
  }
  if (!options.subscribe) return;
  if (!options.external_subscriber.empty()) {
    auto child = ExternalSubscriber::spawn(options.external_subscriber);
    if (!child) {
      emit(event("media_error", Json{{"what", "external subscriber: " + child.error().to_string()}}));
      return;
    }
    external.emplace(std::move(*child));
  }
  send({{"type", "media_subscribe"}});
}

void MediaEngine::Impl::open_leg(Leg& leg, const sdp::TransportParams& server, const char* name) {
  auto address = candidate_address(server);
  auto fingerprint = net::Fingerprint::parse(server.fingerprint);
  if (!address || !fingerprint) {
    emit(event("media_error", Json{{"what", std::string(name) + ": no usable candidate"}}));
    return;
  }
  auto socket = net::UdpSocket::bind(
      address->family == net::TransportAddress::Family::ipv4 ? "0.0.0.0" : "::", 0);
  if (!socket) {
    emit(event("media_error", Json{{"what", std::string(name) + ": " + socket.error().to_string()}}));
    return;
  }
  auto transport = MediaTransport::create(
      certificate, {leg.ufrag, server.ice_ufrag, SecretBytes(as_bytes(server.ice_pwd)), *address,
                    *fingerprint});
  if (!transport) {
    emit(event("media_error", Json{{"what", std::string(name) + ": " + transport.error().to_string()}}));
    return;
  }
  leg.socket.emplace(std::move(*socket));
  leg.transport.emplace(std::move(*transport));
  leg.transport->start(clock.now());
}

void MediaEngine::Impl::handle_published(const Json& m) {
  if (!publish_offer || !m.contains("sdp") || !m["sdp"].is_string()) return;
  auto answer = sdp::SessionDescription::parse(m["sdp"].get<std::string>());
  if (!answer) {
    emit(event("media_error", Json{{"what", "publish answer: " + answer.error().to_string()}}));
    return;
  }
  auto info = sdp::parse_publish_answer(*publish_offer, *answer);
  if (!info) {
    emit(event("media_error", Json{{"what", "publish answer: " + info.error().to_string()}}));
    return;
  }
  for (const auto& t : info->tracks) {
    if (t.direction == sdp::Direction::inactive) continue;
    if (t.kind == sdp::MediaKind::video && has_video_source) {
      VideoSenderConfig c;
      c.ssrc = video_ssrc;
      c.payload_type = t.payload_type;
      c.sender_index = *own_leaf;
      c.extensions = to_ids(t.ext, t.mid);
      // A synthetic source never uses the encoder: keep it small.
      c.encoder.width = synthetic ? 64 : options.width;
      c.encoder.height = synthetic ? 64 : options.height;
      c.encoder.fps = options.fps;
      c.encoder.bitrate_kbps = options.video_kbps;
      c.transport_sequence = &transport_sequence;
      auto s = VideoSender::create(c, keys, clock);
      if (s) video = std::make_unique<VideoSender>(std::move(*s));
    } else if (t.kind == sdp::MediaKind::audio && has_audio_source) {
      AudioSenderConfig c;
      c.ssrc = audio_ssrc;
      c.payload_type = t.payload_type;
      c.sender_index = *own_leaf;
      c.extensions = to_ids(t.ext, t.mid);
      c.transport_sequence = &transport_sequence;
      if (wav_in) c.encoder.channels = wav_in->channels();
      auto s = AudioSender::create(c, keys, clock);
      if (s) audio = std::make_unique<AudioSender>(std::move(*s));
    }
  }
  if (!publish.transport) open_leg(publish, info->server, "publish");
}

namespace {

// Who sends what: the offer's tracks list names the participants.
std::map<uint32_t, std::string> track_owners(const Json& m) {
  std::map<uint32_t, std::string> owners;
  if (m.contains("tracks") && m["tracks"].is_array()) {
    for (const auto& t : m["tracks"]) {
      if (t.is_object() && t.contains("ssrc") && t["ssrc"].is_number_unsigned() &&
          t.contains("participant_id") && t["participant_id"].is_string()) {
        owners[t["ssrc"].get<uint32_t>()] = t["participant_id"].get<std::string>();
      }
    }
  }
  return owners;
}

}  // namespace

void MediaEngine::Impl::handle_offer(const Json& m) {
  if (!m.contains("sdp") || !m["sdp"].is_string() || !m.contains("version")) return;
  auto offer = sdp::SessionDescription::parse(m["sdp"].get<std::string>());
  if (!offer) {
    emit(event("media_error", Json{{"what", "subscribe offer: " + offer.error().to_string()}}));
    return;
  }
  if (external) {
    // The child answers; handle_external_answer takes it from there.
    if (auto sent = external->send_offer(m["sdp"].get<std::string>()); !sent) {
      emit(event("media_error", Json{{"what", "external subscriber: " + sent.error().to_string()}}));
      return;
    }
    external_offers.push_back({std::move(*offer), m["version"], track_owners(m)});
    return;
  }
  sdp::TransportParams params;
  params.ice_ufrag = subscribe.ufrag;
  params.ice_pwd = subscribe.pwd;
  params.fingerprint = certificate.fingerprint().str();
  auto answer = sdp::answer_subscribe_offer(*offer, params);
  if (!answer) {
    emit(event("media_error", Json{{"what", "subscribe offer: " + answer.error().to_string()}}));
    return;
  }
  send({{"type", "media_answer"}, {"sdp", answer->answer.serialize()}, {"version", m["version"]}});
  if (!subscribe.transport) open_leg(subscribe, answer->server, "subscribe");
  sync_tracks(answer->tracks, track_owners(m));
}

// The child's answer to the oldest pending offer: checked with the SFU's
// own parser (so an answer the SFU would refuse is reported here by name),
// sent as media_answer, and its tracks get receivers.
void MediaEngine::Impl::handle_external_answer(const std::string& text) {
  if (external_offers.empty()) {
    ++external_answers_rejected;
    emit(event("media_error", Json{{"what", "external subscriber: an answer without an offer"}}));
    return;
  }
  PendingOffer pending = std::move(external_offers.front());
  external_offers.pop_front();
  auto answer = sdp::SessionDescription::parse(text);
  if (!answer) {
    ++external_answers_rejected;
    emit(event("media_error", Json{{"what", "external answer: " + answer.error().to_string()}}));
    return;
  }
  auto info = sdp::parse_subscribe_answer(pending.offer, *answer);
  if (!info) {
    ++external_answers_rejected;
    emit(event("media_error", Json{{"what", "external answer: " + info.error().to_string()}}));
    return;
  }
  // The child's SDP goes to the SFU as written.
  send({{"type", "media_answer"}, {"sdp", text}, {"version", pending.version}});
  sync_tracks(info->tracks, pending.owners);
}

void MediaEngine::Impl::sync_tracks(const std::vector<sdp::NegotiatedTrack>& tracks,
                                    const std::map<uint32_t, std::string>& owners) {
  std::map<uint32_t, bool> active;
  for (const auto& t : tracks) {
    if (t.direction == sdp::Direction::inactive || t.ssrcs.empty()) continue;
    uint32_t ssrc = t.ssrcs.front();
    active[ssrc] = true;
    if (remote.contains(ssrc)) continue;
    RemoteTrack track;
    track.mid = t.mid;
    auto owner = owners.find(ssrc);
    track.participant = owner != owners.end() ? owner->second : "unknown";
    track.kind = t.kind == sdp::MediaKind::video ? MediaKind::video : MediaKind::audio;
    MediaReceiverConfig c;
    c.kind = track.kind;
    c.ssrc = ssrc;
    c.payload_type = t.payload_type;
    c.extensions = to_ids(t.ext, t.mid);
    c.receiver_ssrc = receiver_ssrc;
    c.decode = options.decode;
    if (!options.decode) {
      // Count-only: no retransmissions, so the loss counted is the loss.
      c.jitter = track.kind == MediaKind::video ? JitterBufferConfig::video()
                                                : JitterBufferConfig::audio();
      c.jitter->nack = false;
    }
    RemoteTrack* slot = &remote[ssrc];
    auto dir = options.record_dir;
    std::string base = dir ? (*dir / (track.participant + "-" + t.mid)).string() : "";
    if (track.kind == MediaKind::video) {
      c.on_receiver_video = [slot, base](const media::VideoFrame& f, uint64_t, uint64_t) {
        if (base.empty()) return;
        if (!slot->y4m) {
          auto w = media::Y4mWriter::create_file(base + ".y4m", f.width(), f.height());
          if (!w) return;
          slot->y4m.emplace(std::move(*w));
        }
        if (slot->y4m->write(f)) ++slot->frames_recorded;
      };
    } else {
      c.on_receiver_audio = [slot, base](const media::AudioFrame& f, uint64_t, uint64_t) {
        if (base.empty()) return;
        if (!slot->wav) {
          auto w = media::WavWriter::create_file(base + ".wav", f.channels());
          if (!w) return;
          slot->wav.emplace(std::move(*w));
        }
        if (slot->wav->write(f)) ++slot->frames_recorded;
      };
    }
    auto receiver = MediaReceiver::create(std::move(c), keys, clock);
    if (!receiver) {
      remote.erase(ssrc);
      continue;
    }
    slot->mid = track.mid;
    slot->participant = track.participant;
    slot->kind = track.kind;
    slot->created = clock.now();
    slot->receiver = std::make_unique<MediaReceiver>(std::move(*receiver));
    emit(event("media_track", Json{{"participant_id", slot->participant},
                                      {"kind", slot->kind == MediaKind::video ? "video" : "audio"},
                                      {"ssrc", ssrc},
                                      {"mid", slot->mid}}));
  }
  // Tracks that went inactive stop here (their recordings are closed).
  for (auto it = remote.begin(); it != remote.end();) {
    if (active.contains(it->first)) {
      ++it;
      continue;
    }
    if (it->second.y4m) (void)it->second.y4m->close();
    if (it->second.wav) (void)it->second.wav->close();
    finished.push_back(track_stats(it->first, it->second));
    it = remote.erase(it);
  }
}

void MediaEngine::Impl::send_packet(Bytes packet, bool rtcp) {
  if (!publish.transport || !publish.transport->ready()) return;
  size_t length = packet.size();
  packet.resize(length + net::SrtpSession::kMaxTrailer);
  auto size = publish.transport->protect(packet, length, rtcp);
  if (!size) return;
  if (!publish.socket->send_to(publish.transport->server(), BytesView(packet).first(*size))) {
    ++transport_drops["send_failed"];
  }
}

void MediaEngine::Impl::handle_feedback(BytesView rtcp) {
  auto packets = rtp::parse_rtcp_compound(rtcp);
  if (!packets) {
    ++transport_drops["rtcp_malformed"];
    return;
  }
  for (const auto& p : *packets) {
    if (video) {
      const uint64_t requests = video->stats().key_frame_requests;
      for (Bytes& again : video->handle_rtcp(p)) send_packet(std::move(again), false);
      if (synthetic && video->stats().key_frame_requests != requests) {
        synthetic->request_key_frame();
      }
    }
  }
}

void MediaEngine::Impl::pump_leg(Leg& leg, const char* name, Clock::TimePoint now) {
  if (!leg.transport) return;
  for (const Bytes& d : leg.transport->poll(now)) {
    (void)leg.socket->send_to(leg.transport->server(), d);
  }
  if (!leg.reported && leg.transport->ready()) {
    leg.reported = true;
    emit(event("media_connected", Json{{"transport", name}}));
  }
}

void MediaEngine::Impl::receive_leg(Leg& leg, bool is_publish, Clock::TimePoint now) {
  if (!leg.socket) return;
  for (int round = 0; round < 8; ++round) {
    auto n = leg.socket->receive(batch);
    if (!n || *n == 0) return;
    for (size_t i = 0; i < *n; ++i) {
      MutableBytesView d = batch.data(i);
      Received r = leg.transport->receive(d, batch.from(i), now);
      if (!r.drop.empty()) ++transport_drops[std::string(r.drop)];
      BytesView plain = BytesView(d).first(r.size);
      if (r.kind == Received::Kind::rtcp && is_publish) {
        handle_feedback(plain);
      } else if (r.kind == Received::Kind::rtp && !is_publish) {
        ++rtp_from_transport;
        deliver_rtp(plain);
      }
    }
  }
}

// One RTP packet of the subscribe side, SRTP already removed (by our
// transport or by the external subscriber), to its track's receiver.
void MediaEngine::Impl::deliver_rtp(BytesView packet) {
  auto parsed = rtp::RtpPacket::parse(packet);
  if (!parsed) {
    ++transport_drops["rtp_malformed"];
    return;
  }
  auto track = remote.find(parsed->ssrc());
  if (track == remote.end()) {
    ++transport_drops["unknown_ssrc"];
    return;
  }
  track->second.loss.add(parsed->sequence_number());
  track->second.receiver->receive(packet);
}

void MediaEngine::Impl::receive_external() {
  if (!external) return;
  ExternalSubscriber::Output out = external->read();
  for (const std::string& answer : out.answers) handle_external_answer(answer);
  for (const Bytes& packet : out.rtp) {
    if (!external_reported) {
      external_reported = true;
      emit(event("media_connected", Json{{"transport", "subscribe"}, {"via", "external"}}));
    }
    ++rtp_from_external;
    deliver_rtp(packet);
  }
  if (external->closed() && !external_closed_reported) {
    external_closed_reported = true;
    emit(event("media_error", Json{{"what", "external subscriber: its output closed"}}));
  }
}

void MediaEngine::Impl::produce_synthetic(Clock::TimePoint now) {
  if (video && frame_due(next_video, now, video_period(), video_schedule)) {
    auto packets = video->send_encoded(synthetic->next_video());
    if (packets) {
      for (Bytes& p : *packets) send_packet(std::move(p), false);
    }
  }
  if (audio && frame_due(next_audio, now, kAudioFrame, audio_schedule)) {
    const auto timestamp = static_cast<int64_t>(synthetic->audio_timestamp());
    auto packet = audio->send_encoded(synthetic->next_audio(), timestamp,
                                      synthetic->config().audio_level);
    if (packet) send_packet(std::move(*packet), false);
  }
}

void MediaEngine::Impl::produce(Clock::TimePoint now) {
  if (!publish.transport || !publish.transport->ready()) return;
  if (synthetic) return produce_synthetic(now);
  if (video && frame_due(next_video, now, video_period(), video_schedule)) {
    std::optional<media::VideoFrame> frame;
    if (pattern) {
      frame = pattern->frame(video_index);
    } else if (y4m_in) {
      auto next = y4m_in->next();
      if (next && !*next && options.loop_files) {
        auto reopened = media::Y4mReader::open_file(y4m_path);
        if (reopened) {
          y4m_in.emplace(std::move(*reopened));
          next = y4m_in->next();
        }
      }
      if (next && *next) frame = std::move(**next);
    }
    if (frame) {
      ++video_index;
      auto packets = video->send(*frame);
      if (packets) {
        for (Bytes& p : *packets) send_packet(std::move(p), false);
      }
    }
  }
  if (audio && frame_due(next_audio, now, kAudioFrame, audio_schedule)) {
    std::optional<media::AudioFrame> frame;
    if (tone) {
      frame = tone->next();
    } else if (wav_in) {
      auto next = wav_in->next();
      if (next && !*next && options.loop_files) {
        auto reopened = media::WavReader::open_file(wav_path);
        if (reopened) {
          wav_in.emplace(std::move(*reopened));
          next = wav_in->next();
        }
      }
      if (next && *next) frame = std::move(**next);
    }
    if (frame) {
      auto packet = audio->send(*frame);
      if (packet) send_packet(std::move(*packet), false);
    }
  }
}

Json MediaEngine::Impl::track_stats(uint32_t ssrc, const RemoteTrack& t) const {
  const auto& s = t.receiver->stats();
  return {{"participant_id", t.participant},
          {"mid", t.mid},
          {"kind", t.kind == MediaKind::video ? "video" : "audio"},
          {"ssrc", ssrc},
          {"packets", s.packets_received},
          {"frames_decoded", s.frames_decoded},
          {"frames_lost", t.receiver->frames_lost()},
          {"decrypt_failures", s.decrypt_failures},
          {"unknown_epoch", s.unknown_epoch},
          {"decrypt_failures_after_1s",
           t.decrypt_failures_at_1s ? s.decrypt_failures - *t.decrypt_failures_at_1s : 0},
          {"decode_failures", s.decode_failures},
          {"frames_recorded", t.frames_recorded},
          {"frames_decrypted", s.frames_decrypted},
          {"rtp_expected", t.loss.expected()},
          {"rtp_received", t.loss.received()},
          {"rtp_duplicates", t.loss.duplicates()},
          {"latency_ms_p50", ms(t.receiver->latency().percentile(50))},
          {"latency_ms_p99", ms(t.receiver->latency().percentile(99))}};
}

Json MediaEngine::Impl::collect_stats() const {
  Json out = Json::object();
  if (video) {
    const auto& s = video->stats();
    out["video_sent"] = {{"frames", s.frames_sent},
                         {"key_frames", s.key_frames_sent},
                         {"packets", s.packets_sent},
                         {"dropped_no_key", s.frames_dropped_no_key},
                         {"retransmissions", s.retransmissions},
                         {"key_frame_requests", s.key_frame_requests}};
  }
  if (audio) {
    const auto& s = audio->stats();
    out["audio_sent"] = {{"frames", s.frames_sent},
                         {"packets", s.packets_sent},
                         {"dropped_no_key", s.frames_dropped_no_key}};
  }
  if (synthetic) {
    auto schedule = [](const Schedule& k) {
      return Json{{"frames", k.frames}, {"late", k.late}, {"max_lag_ms", ms(k.max_lag)}};
    };
    out["synthetic"] = {{"video", schedule(video_schedule)}, {"audio", schedule(audio_schedule)}};
  }
  Json tracks = finished;
  for (const auto& [ssrc, t] : remote) tracks.push_back(track_stats(ssrc, t));
  out["received"] = tracks;
  out["transport_drops"] = transport_drops;
  out["subscribe_rtp"] = {{"transport", rtp_from_transport}, {"external", rtp_from_external}};
  if (external) {
    const auto& s = external->stats();
    out["external_subscriber"] = {{"offers", s.offers_sent},
                                  {"answers", s.answers},
                                  {"answers_rejected", external_answers_rejected},
                                  {"rtp_packets", s.rtp_packets},
                                  {"key_frame_requests", s.key_frame_requests_sent},
                                  {"parse_errors", s.parse_errors},
                                  {"rtcp_dropped", external_rtcp_dropped}};
  }
  return out;
}

void MediaEngine::Impl::close_recordings() {
  for (auto& [ssrc, t] : remote) {
    if (t.y4m) (void)t.y4m->close();
    if (t.wav) (void)t.wav->close();
  }
}

void MediaEngine::Impl::run() {
  Clock::TimePoint last_report = clock.now();
  while (!stopping) {
    std::vector<std::function<void()>> due;
    {
      std::lock_guard lock(mutex);
      due.swap(commands);
    }
    for (auto& command : due) command();

    std::vector<pollfd> fds;
    if (publish.socket) fds.push_back({publish.socket->native_handle(), POLLIN, 0});
    if (subscribe.socket) fds.push_back({subscribe.socket->native_handle(), POLLIN, 0});
    if (external && !external->closed()) fds.push_back({external->output_fd(), POLLIN, 0});
    if (fds.empty()) {
      std::this_thread::sleep_for(5ms);
    } else if (options.batch_interval) {
      // Load runs: one round per interval, whatever arrived in between.
      std::this_thread::sleep_for(*options.batch_interval);
    } else {
      (void)::poll(fds.data(), fds.size(), 2);
    }
    Clock::TimePoint now = clock.now();
    receive_leg(publish, true, now);
    receive_leg(subscribe, false, now);
    receive_external();
    pump_leg(publish, "publish", now);
    pump_leg(subscribe, "subscribe", now);
    produce(now);
    for (auto& [ssrc, t] : remote) {
      t.receiver->poll();
      if (!t.decrypt_failures_at_1s && now - t.created >= 1s) {
        t.decrypt_failures_at_1s = t.receiver->stats().decrypt_failures;
      }
      std::vector<rtp::RtcpPacket> feedback = t.receiver->take_rtcp();
      if (external) {
        // Key-frame requests go to the child, which sends a PLI from its
        // own stack; the rest (NACKs: werift NACKs by itself) has no way
        // back to the SFU and is counted.
        for (const auto& packet : feedback) {
          std::vector<uint32_t> wanted;
          if (const auto* pli = std::get_if<rtp::Pli>(&packet)) {
            wanted.push_back(pli->media_ssrc);
          } else if (const auto* fir = std::get_if<rtp::Fir>(&packet)) {
            for (const auto& entry : fir->entries) wanted.push_back(entry.ssrc);
          } else {
            ++external_rtcp_dropped;
          }
          for (uint32_t media_ssrc : wanted) {
            if (!external->send_key_frame_request(media_ssrc)) ++external_rtcp_dropped;
          }
        }
        continue;
      }
      if (feedback.empty() || !subscribe.transport || !subscribe.transport->ready()) continue;
      auto compound = rtp::build_rtcp_compound(feedback);
      if (!compound) continue;
      Bytes packet = std::move(*compound);
      size_t length = packet.size();
      packet.resize(length + net::SrtpSession::kMaxTrailer);
      auto size = subscribe.transport->protect(packet, length, true);
      if (size) {
        (void)subscribe.socket->send_to(subscribe.transport->server(),
                                        BytesView(packet).first(*size));
      }
    }
    if (now - last_report >= 1s) {
      last_report = now;
      Json snapshot = collect_stats();
      std::lock_guard lock(mutex);
      last_stats = std::move(snapshot);
    }
  }
}

MediaEngine::MediaEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<MediaEngine>> MediaEngine::create(MediaOptions options,
                                                         const Clock& clock) {
  if (options.record_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*options.record_dir, ec);
    if (ec) return Error(MediaErrc::invalid_config, "--record: cannot create the directory");
  }
  CV_TRY(auto certificate, net::Certificate::generate_self_signed());
  const auto& suite = sframe::CipherSuite::get(sframe::CipherSuiteId::aes_128_gcm_sha256_128);
  CV_TRY(auto keys, sframe::MlsContext::create(suite, {}, clock));
  auto impl = std::make_unique<Impl>(std::move(options), clock, std::move(certificate),
                                     std::move(keys));
  CV_TRY_STATUS(impl->open_sources());
  Impl* p = impl.get();
  impl->thread = std::thread([p] { p->run(); });
  return std::unique_ptr<MediaEngine>(new MediaEngine(std::move(impl)));
}

MediaEngine::~MediaEngine() { stop(); }

void MediaEngine::on_epoch(uint64_t epoch, SecretBytes base_key, uint64_t own_leaf,
                           bool removed_members) {
  Impl* p = impl_.get();
  auto key = std::make_shared<SecretBytes>(std::move(base_key));
  std::lock_guard lock(p->mutex);
  p->commands.push_back([p, epoch, key, own_leaf, removed_members] {
    if (!p->keys.add_epoch(epoch, key->view())) {
      p->emit(event("media_error", Json{{"what", "SFrame key for epoch " + std::to_string(epoch)}}));
      return;
    }
    // The others apply the same commit a little later: keep sealing in the
    // previous epoch briefly so that their frames keep opening. Not after a
    // removal: the departed member holds the previous epoch's key.
    if (!removed_members) p->keys.delay_send_switch(kSendSwitchDelay);
    p->keys.purge_expired();
    p->own_leaf = own_leaf;
    if (!p->started) p->start_media();
  });
}

void MediaEngine::on_message(const Json& message) {
  Impl* p = impl_.get();
  std::lock_guard lock(p->mutex);
  p->commands.push_back([p, message] {
    std::string type = message.value("type", "");
    if (type == "media_published") {
      p->handle_published(message);
    } else if (type == "media_offer") {
      p->handle_offer(message);
    } else if (type == "active_speaker") {
      Json e = event("active_speaker");
      e["participant_id"] = message.value("participant_id", Json(nullptr));
      p->emit(std::move(e));
    } else if (type == "media_state") {
      Json e = event("media_state");
      e["transport"] = message.value("transport", "");
      e["state"] = message.value("state", "");
      p->emit(std::move(e));
    }
  });
}

std::vector<MediaEngine::Json> MediaEngine::take_outgoing() {
  std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->outgoing, {});
}

std::vector<MediaEngine::Json> MediaEngine::take_events() {
  std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->events, {});
}

MediaEngine::Json MediaEngine::stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_stats;
}

void MediaEngine::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->stopping = true;
  impl_->thread.join();
  impl_->close_recordings();
  if (impl_->external) impl_->external->stop();
  Json e = event("media_stats");
  e.update(impl_->collect_stats());
  std::lock_guard lock(impl_->mutex);
  impl_->last_stats = e;
  impl_->events.push_back(std::move(e));
}

}  // namespace conclave::client
