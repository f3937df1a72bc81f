#include "conclave/client/media_receiver.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "conclave/client/media_errc.h"
#include "conclave/rtp/abs_send_time.h"
#include "conclave/rtp/generic_nack.h"
#include "conclave/rtp/pli.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/vp8_payload_descriptor.h"

namespace conclave::client {

namespace {

// Latencies beyond this are clock trouble (abs-send-time wraps every 64 s).
constexpr Clock::Duration kMaxLatency = std::chrono::seconds(30);

}  // namespace

std::string_view packet_drop_reason_name(PacketDropReason r) {
  switch (r) {
    case PacketDropReason::malformed_rtp:
      return "malformed_rtp";
    case PacketDropReason::wrong_ssrc:
      return "wrong_ssrc";
    case PacketDropReason::wrong_payload_type:
      return "wrong_payload_type";
    case PacketDropReason::missing_dependency_descriptor:
      return "missing_dependency_descriptor";
    case PacketDropReason::malformed_dependency_descriptor:
      return "malformed_dependency_descriptor";
    case PacketDropReason::malformed_payload:
      return "malformed_payload";
  }
  return "unknown";
}

Result<MediaReceiver> MediaReceiver::create(MediaReceiverConfig config, sframe::MlsContext& keys,
                                            const Clock& clock) {
  if (config.kind == MediaKind::video && config.extensions.dependency_descriptor == 0) {
    return Error(MediaErrc::invalid_config, "dependency_descriptor id");
  }
  if (config.payload_type > 127) return Error(MediaErrc::invalid_config, "payload_type");
  if (config.consecutive_failures_for_key_frame == 0) {
    return Error(MediaErrc::invalid_config, "consecutive_failures_for_key_frame");
  }
  if (!config.jitter) {
    config.jitter =
        config.kind == MediaKind::video ? JitterBufferConfig::video() : JitterBufferConfig::audio();
  }
  config.jitter->kind = config.kind;
  std::optional<media::Vp8Decoder> video;
  std::optional<media::OpusDecoder> audio;
  if (!config.decode) {
    // Count-only: no decoder.
  } else if (config.kind == MediaKind::video) {
    CV_TRY(auto decoder, media::Vp8Decoder::create(config.video_decoder));
    video.emplace(std::move(decoder));
  } else {
    CV_TRY(auto decoder, media::OpusDecoder::create(config.audio_channels));
    audio.emplace(std::move(decoder));
  }
  return MediaReceiver(std::move(config), keys, clock, std::move(video), std::move(audio));
}

MediaReceiver::MediaReceiver(MediaReceiverConfig config, sframe::MlsContext& keys,
                             const Clock& clock, std::optional<media::Vp8Decoder> video,
                             std::optional<media::OpusDecoder> audio)
    : config_(std::move(config)),
      keys_(&keys),
      clock_(&clock),
      jitter_(*config_.jitter),
      video_decoder_(std::move(video)),
      audio_decoder_(std::move(audio)),
      latency_(config_.latency_window) {}

void MediaReceiver::receive(BytesView bytes) {
  const auto now = clock_->now();
  ++stats_.packets_received;
  stats_.bytes_received += bytes.size();
  auto parsed = rtp::RtpPacket::parse(bytes);
  if (!parsed.ok()) return drop(PacketDropReason::malformed_rtp);
  const rtp::RtpPacket& packet = *parsed;
  if (packet.ssrc() != config_.ssrc) return drop(PacketDropReason::wrong_ssrc);
  if (packet.payload_type() != config_.payload_type) {
    return drop(PacketDropReason::wrong_payload_type);
  }

  JitterPacket jp;
  jp.sequence_number = packet.sequence_number();
  jp.timestamp = packet.timestamp();
  if (config_.extensions.abs_send_time != 0) {
    if (auto ext = packet.extension(config_.extensions.abs_send_time)) {
      if (auto t = rtp::AbsSendTime::parse(*ext); t.ok()) jp.abs_send_time = *t;
    }
  }
  if (config_.kind == MediaKind::video) {
    if (!parse_video(packet, jp)) return;
  } else {
    if (config_.extensions.audio_level != 0) {
      if (auto ext = packet.extension(config_.extensions.audio_level)) {
        if (auto level = rtp::AudioLevel::parse(*ext); level.ok()) audio_level_ = *level;
      }
    }
    const BytesView payload = packet.payload();
    jp.begin = jp.end = jp.key_frame = true;
    jp.payload.assign(payload.begin(), payload.end());
  }
  (void)jitter_.insert(std::move(jp), now);  // the buffer counts its drops
  deliver(jitter_.pop(now));
}

bool MediaReceiver::parse_video(const rtp::RtpPacket& packet, JitterPacket& out) {
  const BytesView payload = packet.payload();
  if (payload.empty()) {  // padding only: holds a sequence number, no frame
    out.begin = out.end = false;
    return true;
  }
  const auto raw = packet.extension(config_.extensions.dependency_descriptor);
  if (!raw) {
    drop(PacketDropReason::missing_dependency_descriptor);
    return false;
  }
  auto mandatory = rtp::DependencyDescriptor::parse_mandatory(*raw);
  if (!mandatory.ok()) {
    drop(PacketDropReason::malformed_dependency_descriptor);
    return false;
  }
  // The whole descriptor is checked against the structure in force; before
  // the first structure only its mandatory fields can be read.
  if (mandatory->has_structure || structure_) {
    auto full = rtp::DependencyDescriptor::parse(*raw, structure_ ? &*structure_ : nullptr);
    if (!full.ok()) {
      drop(PacketDropReason::malformed_dependency_descriptor);
      return false;
    }
    if (full->attached_structure) structure_ = std::move(*full->attached_structure);
  }
  auto descriptor = rtp::Vp8PayloadDescriptor::parse(payload);
  if (!descriptor.ok() || descriptor->second >= payload.size()) {
    drop(PacketDropReason::malformed_payload);
    return false;
  }
  out.begin = mandatory->start_of_frame;
  out.end = mandatory->end_of_frame;
  out.key_frame = mandatory->start_of_frame && mandatory->has_structure;
  const BytesView data = payload.subspan(descriptor->second);
  out.payload.assign(data.begin(), data.end());
  return true;
}

void MediaReceiver::poll() {
  deliver(jitter_.pop(clock_->now()));
}

void MediaReceiver::deliver(std::vector<JitterFrame> frames) {
  const auto now = clock_->now();
  for (auto& frame : frames) {
    ++stats_.frames_assembled;
    handle_frame(frame, now);
  }
}

void MediaReceiver::request_key_frame() {
  if (config_.kind == MediaKind::video) key_frame_wanted_ = true;
}

void MediaReceiver::frame_failed() {
  if (config_.kind == MediaKind::video) {
    need_key_frame_ = true;  // what follows refers to the frame we lost
  } else {
    conceal(1);
  }
}

void MediaReceiver::conceal(uint32_t frames) {
  if (!audio_started_ || !audio_decoder_) return;  // nothing to continue yet
  for (uint32_t i = 0; i < frames; ++i) {
    auto pcm = audio_decoder_->conceal();
    if (!pcm.ok()) return;
    ++stats_.frames_concealed;
    if (config_.on_receiver_audio) config_.on_receiver_audio(*pcm, last_sender_, last_epoch_);
  }
}

void MediaReceiver::note_latency(const JitterFrame& frame, Clock::TimePoint now) {
  if (!frame.abs_send_time) return;
  const auto now_us = now.time_since_epoch().count();
  const uint32_t now24 =
      rtp::AbsSendTime::from_microseconds(static_cast<uint64_t>(now_us < 0 ? 0 : now_us));
  const uint32_t delta = (now24 - *frame.abs_send_time) & rtp::AbsSendTime::kMask;
  const Clock::Duration latency{
      static_cast<Clock::Duration::rep>(rtp::AbsSendTime::to_microseconds(delta))};
  if (latency <= kMaxLatency) latency_.add(latency);
}

void MediaReceiver::handle_frame(JitterFrame& frame, Clock::TimePoint now) {
  if (config_.kind == MediaKind::audio && frame.lost_before > 0) {
    conceal(std::min(frame.lost_before, config_.max_concealed_frames));
  }
  Bytes plaintext(frame.data.size());
  auto opened = keys_->unprotect({}, frame.data, plaintext);
  if (!opened.ok()) {
    if (opened.error().is(sframe::Errc::unknown_epoch)) {
      ++stats_.unknown_epoch;
    } else {
      ++stats_.decrypt_failures;
    }
    // Once per run of failures: more requests cannot help a receiver that
    // lacks the key, and a run that ends resumes at a key frame anyway.
    if (++consecutive_failures_ == config_.consecutive_failures_for_key_frame) {
      request_key_frame();
    }
    frame_failed();
    return;
  }
  consecutive_failures_ = 0;
  // A frame moved here from another track (say, audio spliced into video)
  // authenticates, but under the wrong context: refuse it.
  if (opened->context_id != sframe_context_id(config_.kind)) {
    ++stats_.wrong_context;
    frame_failed();
    return;
  }
  if (config_.expected_sender && opened->sender_index != *config_.expected_sender) {
    ++stats_.wrong_sender;
    frame_failed();
    return;
  }
  ++stats_.frames_decrypted;
  if (!config_.decode) return;
  plaintext.resize(opened->size);
  const int64_t timestamp = timestamps_.unwrap(frame.timestamp);

  if (config_.kind == MediaKind::video) {
    if (need_key_frame_ && !frame.key_frame) {
      ++stats_.frames_skipped;
      request_key_frame();
      return;
    }
    auto picture = video_decoder_->decode(plaintext, timestamp);
    if (!picture.ok()) {
      ++stats_.decode_failures;
      need_key_frame_ = true;
      request_key_frame();
      return;
    }
    need_key_frame_ = false;
    if (frame.key_frame) key_frame_wanted_ = false;  // the request was answered
    last_sender_ = opened->sender_index;
    last_epoch_ = opened->epoch;
    if (!picture->has_value()) return;  // decoded, not shown
    ++stats_.frames_decoded;
    note_latency(frame, now);
    if (config_.on_receiver_video) {
      config_.on_receiver_video(**picture, opened->sender_index, opened->epoch);
    }
    return;
  }

  auto pcm = audio_decoder_->decode(plaintext);
  if (!pcm.ok()) {
    ++stats_.decode_failures;
    conceal(1);
    return;
  }
  audio_started_ = true;
  last_sender_ = opened->sender_index;
  last_epoch_ = opened->epoch;
  ++stats_.frames_decoded;
  note_latency(frame, now);
  if (config_.on_receiver_audio)
    config_.on_receiver_audio(*pcm, opened->sender_index, opened->epoch);
}

std::vector<rtp::RtcpPacket> MediaReceiver::take_rtcp() {
  const auto now = clock_->now();
  std::vector<rtp::RtcpPacket> out;
  auto nacks = jitter_.take_nacks(now);
  if (!nacks.empty()) {
    out.push_back(rtp::GenericNack{config_.receiver_ssrc, config_.ssrc, std::move(nacks)});
    ++stats_.nack_packets;
  }
  if (jitter_.take_key_frame_request(now)) request_key_frame();
  if (key_frame_wanted_ && (!last_key_frame_request_ ||
                            now - *last_key_frame_request_ >= config_.key_frame_request_interval)) {
    out.push_back(rtp::Pli{config_.receiver_ssrc, config_.ssrc});
    ++stats_.key_frame_requests;
    last_key_frame_request_ = now;
    key_frame_wanted_ = false;
  }
  return out;
}

}  // namespace conclave::client
