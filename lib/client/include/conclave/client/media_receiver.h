// MediaReceiver: one incoming remote track (one SSRC) of the native
// client, from RTP packets to decoded pictures or sound. Pure: no sockets;
// time from the injected Clock; frames leave through callbacks.
//
//   RTP packet ─> RtpPacket::parse ─> SSRC, payload type
//     video: dependency descriptor (required: start/end of frame, key frame
//            = a structure on the first packet), VP8 payload descriptor
//            stripped (its S bit and the payload are not trusted)
//     audio: one packet = one frame; audio level noted
//   ─> JitterBuffer (order, NACK, loss, key-frame wait) ─> frame
//   ─> MlsContext::unprotect (empty metadata) ─> the KID must name this
//      kind's context (and expected_sender, when set)
//   ─> Vp8Decoder / OpusDecoder (PLC for lost audio frames)
//   ─> on_receiver_video(frame, sender leaf, epoch) / on_receiver_audio(...)
//
// Failures are counted, never fatal: each refused packet under a
// PacketDropReason (or the jitter buffer's JitterDropReason), each refused
// frame under its own counter. A frame that fails to decrypt is dropped;
// after consecutive_failures_for_key_frame failures in a row the receiver
// asks for a key frame, once per run (a receiver that lacks the epoch's key
// must not flood the sender with requests that cannot help). Video resumes
// decoding only at a key frame after any dropped frame, and asks for one
// (rate-limited) while it decrypts deltas it cannot use.
//
// RTCP out: take_rtcp() gives the NACKs and PLIs to send, from
// receiver_ssrc about the track's SSRC. Latency: the delay from a frame's
// abs-send-time (sender's clock) to its delivery (our clock), meaningful
// when the clocks agree (tests, one host) and otherwise a relative measure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/client/jitter_buffer.h"
#include "conclave/client/latency_window.h"
#include "conclave/client/media_kind.h"
#include "conclave/client/rtp_extension_ids.h"
#include "conclave/media/audio_frame.h"
#include "conclave/media/opus_decoder.h"
#include "conclave/media/video_frame.h"
#include "conclave/media/vp8_decoder.h"
#include "conclave/rtp/audio_level.h"
#include "conclave/rtp/dependency_descriptor.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/sequence_number.h"
#include "conclave/sframe/mls_context.h"

namespace conclave::client {

enum class PacketDropReason : uint8_t {
  malformed_rtp,                    // RtpPacket::parse refused it
  wrong_ssrc,                       // not this track's SSRC
  wrong_payload_type,               // not the negotiated payload type
  missing_dependency_descriptor,    // a video packet without one
  malformed_dependency_descriptor,  // it does not parse (against the structure)
  malformed_payload,                // the VP8 descriptor does not parse, or no data
};
inline constexpr size_t kPacketDropReasonCount = 6;

std::string_view packet_drop_reason_name(PacketDropReason r);

struct MediaReceiverConfig {
  MediaKind kind = MediaKind::video;
  uint32_t ssrc = 0;           // the remote track's media SSRC
  uint8_t payload_type = 96;   // 96 VP8, 111 Opus by default
  RtpExtensionIds extensions;  // the IDs the track's packets carry
  uint32_t receiver_ssrc = 0;  // ours, as the sender of our RTCP
  // Frames must come from this MLS leaf when set.
  std::optional<uint64_t> expected_sender;
  // Defaults per kind when unset (JitterBufferConfig::video() / audio()).
  std::optional<JitterBufferConfig> jitter;
  uint32_t consecutive_failures_for_key_frame = 3;  // K
  Clock::Duration key_frame_request_interval = std::chrono::milliseconds(500);
  uint32_t max_concealed_frames = 5;  // per gap (audio)
  media::Vp8DecoderConfig video_decoder;
  // false: count-only receive for load runs. Frames are still reassembled
  // and decrypted (SFrame, context and sender checks) but not decoded; no
  // decoder is created, no callback is called, and video does not wait
  // for key frames (frames_decrypted counts what a decoder would get).
  bool decode = true;
  uint32_t audio_channels = 1;
  size_t latency_window = LatencyWindow::kDefaultCapacity;

  std::function<void(const media::VideoFrame& frame, uint64_t sender_index, uint64_t epoch)>
      on_receiver_video;
  std::function<void(const media::AudioFrame& frame, uint64_t sender_index, uint64_t epoch)>
      on_receiver_audio;
};

struct MediaReceiverStats {
  uint64_t packets_received = 0;
  uint64_t bytes_received = 0;
  std::array<uint64_t, kPacketDropReasonCount> packet_drops{};
  uint64_t frames_assembled = 0;  // complete frames out of the jitter buffer
  uint64_t frames_decrypted = 0;
  uint64_t frames_decoded = 0;
  // Frames that did not open under a key we hold (authentication, replay,
  // an expired epoch): someone sends with a key we do not share.
  uint64_t decrypt_failures = 0;
  // Frames of an epoch we hold no key for: sent before we joined, or in an
  // epoch whose commit we have not applied yet. Dropped like the others.
  uint64_t unknown_epoch = 0;
  uint64_t wrong_context = 0;  // decrypted, but under another kind's context
  uint64_t wrong_sender = 0;   // decrypted, but not from expected_sender
  uint64_t decode_failures = 0;
  uint64_t frames_skipped = 0;  // decrypted deltas while video waits for a key frame
  uint64_t frames_concealed = 0;
  uint64_t key_frame_requests = 0;  // PLIs queued
  uint64_t nack_packets = 0;        // NACKs queued

  uint64_t dropped(PacketDropReason r) const { return packet_drops[static_cast<size_t>(r)]; }
};

class MediaReceiver {
 public:
  // Errors: MediaErrc::invalid_config (video without a dependency
  // descriptor ID, payload type over 127, K of 0) and the decoder's.
  // `keys` and `clock` must outlive the receiver.
  static Result<MediaReceiver> create(MediaReceiverConfig config, sframe::MlsContext& keys,
                                      const Clock& clock);

  // One RTP packet of the track (SRTP already removed). Never fails: a
  // packet it cannot use is counted and dropped. Frames it completes are
  // decoded and delivered before it returns.
  void receive(BytesView packet);
  // Runs the timers: frames whose wait for a missing packet is over.
  void poll();
  // The RTCP feedback to send now: NACK, PLI.
  std::vector<rtp::RtcpPacket> take_rtcp();

  // Asks for a key frame at the next take_rtcp() (rate-limited).
  void request_key_frame();

  const MediaReceiverConfig& config() const { return config_; }
  const MediaReceiverStats& stats() const { return stats_; }
  const JitterBuffer& jitter_buffer() const { return jitter_; }
  const LatencyWindow& latency() const { return latency_; }
  // The frames the jitter buffer gave up on.
  uint64_t frames_lost() const { return jitter_.stats().frames_lost; }
  // The last RFC 6464 level seen (audio, when the extension is negotiated).
  std::optional<rtp::AudioLevel> audio_level() const { return audio_level_; }

 private:
  MediaReceiver(MediaReceiverConfig config, sframe::MlsContext& keys, const Clock& clock,
                std::optional<media::Vp8Decoder> video, std::optional<media::OpusDecoder> audio);
  void drop(PacketDropReason r) { ++stats_.packet_drops[static_cast<size_t>(r)]; }
  bool parse_video(const rtp::RtpPacket& packet, JitterPacket& out);
  void deliver(std::vector<JitterFrame> frames);
  void handle_frame(JitterFrame& frame, Clock::TimePoint now);
  void frame_failed();
  void conceal(uint32_t frames);
  void note_latency(const JitterFrame& frame, Clock::TimePoint now);

  MediaReceiverConfig config_;
  sframe::MlsContext* keys_;
  const Clock* clock_;
  JitterBuffer jitter_;
  std::optional<media::Vp8Decoder> video_decoder_;
  std::optional<media::OpusDecoder> audio_decoder_;
  std::optional<rtp::FrameDependencyStructure> structure_;
  rtp::TimestampUnwrapper timestamps_;
  LatencyWindow latency_;
  MediaReceiverStats stats_;
  std::optional<rtp::AudioLevel> audio_level_;
  uint32_t consecutive_failures_ = 0;
  bool need_key_frame_ = true;  // video: decode nothing until a key frame
  bool key_frame_wanted_ = false;
  std::optional<Clock::TimePoint> last_key_frame_request_;
  bool audio_started_ = false;  // a frame was decoded: concealment makes sense
  uint64_t last_sender_ = 0;
  uint64_t last_epoch_ = 0;
};

}  // namespace conclave::client
