// AudioSender: one outgoing audio stream (one SSRC) of the native client.
// Pure: no sockets, time from the injected Clock.
//
//   AudioFrame (48 kHz, 20 ms) ─> OpusEncoder ─> Opus packet
//   ─> MlsContext::protect (sender = our leaf, context 0 = audio, empty
//      metadata) ─> one RTP packet (RFC 7587: one frame per packet),
//      timestamp = offset + the frame's 48 kHz sample position, marker on
//      the first packet, extensions: audio level (RFC 6464, measured on
//      the PCM before encoding), MID, abs-send-time, transport-wide seq
//
// Audio level: the RMS of the frame relative to full scale, in dBov as
// RFC 6464 and WebRTC measure it (a full-scale square wave is 0 dBov, a
// full-scale sine -3), sent as 0-127 (-dBov, 127 = silence), with the voice
// activity flag set above kVoiceActivityDbov. The SFU picks active
// speakers from it without opening the (encrypted) payload; it is the one
// piece of content metadata left in the clear (DESIGN.md, threat model).
//
// No current MLS epoch: the frame is not sent (frames_dropped_no_key,
// MediaErrc::no_media_key). There is no unprotected path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/client/media_kind.h"
#include "conclave/client/rtp_extension_ids.h"
#include "conclave/client/transport_sequence_counter.h"
#include "conclave/media/audio_frame.h"
#include "conclave/media/opus_encoder.h"
#include "conclave/rtp/audio_level.h"
#include "conclave/sframe/mls_context.h"

namespace conclave::client {

struct AudioSenderConfig {
  uint32_t ssrc = 0;
  uint8_t payload_type = 111;
  uint64_t sender_index = 0;  // our MLS leaf index
  uint64_t context_id = kAudioContextId;
  RtpExtensionIds extensions;
  media::OpusEncoderConfig encoder;
  std::optional<uint16_t> first_sequence_number;           // random when unset
  std::optional<uint32_t> timestamp_offset;                // random when unset
  TransportSequenceCounter* transport_sequence = nullptr;  // not owned
};

struct AudioSenderStats {
  uint64_t frames_sent = 0;
  uint64_t frames_dropped_no_key = 0;
  uint64_t frames_dropped_error = 0;  // encoder or SFrame failure
  uint64_t packets_sent = 0;
  uint64_t bytes_sent = 0;
};

class AudioSender {
 public:
  // Above this level (dBov) the voice activity flag is set.
  static constexpr double kVoiceActivityDbov = -50.0;

  // Errors: MediaErrc::invalid_config (payload type over 127, a MID that
  // cannot be sent, transport_cc without a counter) and the encoder's.
  // `keys` and `clock` must outlive the sender.
  static Result<AudioSender> create(const AudioSenderConfig& config, sframe::MlsContext& keys,
                                    const Clock& clock);

  // One RTP packet for one frame. Errors: MediaErrc::no_media_key, and
  // those of the encoder and MlsContext::protect.
  Result<Bytes> send(const media::AudioFrame& frame);
  // The same for a frame encoded elsewhere (a synthetic source in load
  // runs): its payload, 48 kHz timestamp and level.
  Result<Bytes> send_encoded(BytesView payload, int64_t timestamp, rtp::AudioLevel level);

  // The RFC 6464 level of interleaved 16-bit samples.
  static rtp::AudioLevel level_of(std::span<const int16_t> samples);

  uint32_t ssrc() const { return config_.ssrc; }
  const AudioSenderConfig& config() const { return config_; }
  const AudioSenderStats& stats() const { return stats_; }
  uint16_t next_sequence_number() const { return sequence_number_; }

 private:
  AudioSender(const AudioSenderConfig& config, sframe::MlsContext& keys, const Clock& clock,
              media::OpusEncoder encoder, Bytes mid);

  AudioSenderConfig config_;
  sframe::MlsContext* keys_;
  const Clock* clock_;
  media::OpusEncoder encoder_;
  Bytes mid_;
  uint16_t sequence_number_;
  uint32_t timestamp_offset_;
  bool first_packet_ = true;
  AudioSenderStats stats_;
};

}  // namespace conclave::client
