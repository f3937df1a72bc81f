// VideoSender: one outgoing video stream (one SSRC) of the native client,
// from raw pictures to RTP packets. Pure: no sockets, time from the
// injected Clock; the caller hands the packets to the transport (SRTP).
//
//   VideoFrame ─> Vp8Encoder ─> EncodedFrame ─> MlsContext::protect
//     (sender = our leaf, context 1 = video, empty metadata)
//   ─> SFrame ciphertext ─> Vp8Packetizer (RFC 7741 descriptor + chunks,
//     marker on the last) ─> RTP header + extensions:
//        dependency descriptor on EVERY packet: start/end of frame, frame
//          number, template (key or delta of the L1T1 structure), the
//          structure itself on the first packet of each key frame
//        MID, abs-send-time (Clock), transport-wide sequence number (the
//          transport's shared counter), when their IDs are set
//   ─> packets, each kept in a history of the last history_size packets
//
// There is no path that sends an unprotected frame: with no current MLS
// epoch the frame is not even encoded (frames_dropped_no_key, the error
// MediaErrc::no_media_key), and the next frame sent is a key frame, since
// a receiver cannot decode deltas whose reference it never got. The same
// holds after any failure between encoder and packets.
//
// Feedback: handle_rtcp() answers a NACK for our SSRC from the history
// (retransmit(): the same packet, with a new transport-wide sequence number
// and abs-send-time) and turns PLI or FIR into request_key_frame().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/client/media_kind.h"
#include "conclave/client/rtp_extension_ids.h"
#include "conclave/client/transport_sequence_counter.h"
#include "conclave/media/encoded_frame.h"
#include "conclave/media/video_frame.h"
#include "conclave/media/vp8_encoder.h"
#include "conclave/rtp/dependency_descriptor.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/rtp/vp8_packetizer.h"
#include "conclave/sframe/mls_context.h"

namespace conclave::client {

struct VideoSenderConfig {
  uint32_t ssrc = 0;
  uint8_t payload_type = 96;
  uint64_t sender_index = 0;  // our MLS leaf index
  uint64_t context_id = kVideoContextId;
  RtpExtensionIds extensions;  // dependency_descriptor is required
  // Whole RTP packets (header, extensions, payload) stay within this; SRTP
  // adds its tag on top.
  size_t max_packet_size = 1200;
  media::Vp8EncoderConfig encoder;
  size_t history_size = 512;
  // Random when unset (RFC 3550 section 5.1).
  std::optional<uint16_t> first_sequence_number;
  std::optional<uint32_t> timestamp_offset;
  std::optional<uint16_t> first_picture_id;
  // The transport's counter, when transport_cc is set; not owned.
  TransportSequenceCounter* transport_sequence = nullptr;
};

struct VideoSenderStats {
  uint64_t frames_encoded = 0;
  uint64_t frames_sent = 0;
  uint64_t key_frames_sent = 0;
  uint64_t frames_dropped_no_key = 0;
  uint64_t frames_dropped_error = 0;  // encoder, SFrame or packetizer failure
  uint64_t packets_sent = 0;          // retransmissions not included
  uint64_t bytes_sent = 0;            // of those packets
  uint64_t retransmissions = 0;
  uint64_t retransmit_misses = 0;  // NACKed packets no longer in the history
  uint64_t key_frame_requests = 0;
};

class VideoSender {
 public:
  // Errors: MediaErrc::invalid_config (no dependency-descriptor ID, a
  // payload type over 127, an empty history, a MID that cannot be sent, a
  // transport_cc ID without a counter, a packet size too small for the
  // headers), and the encoder's errors. `keys` and `clock` must outlive the
  // sender; `keys` is shared with the other senders and receivers.
  static Result<VideoSender> create(const VideoSenderConfig& config, sframe::MlsContext& keys,
                                    const Clock& clock);

  // Encodes, protects and packetizes one picture. Returns its packets (none
  // when the encoder dropped the frame). Errors: MediaErrc::no_media_key,
  // and those of the encoder, MlsContext::protect and the packetizer.
  Result<std::vector<Bytes>> send(const media::VideoFrame& frame);
  // The same for a frame encoded elsewhere (an IVF file).
  Result<std::vector<Bytes>> send_encoded(const media::EncodedFrame& frame);

  // The next frame sent will be a key frame.
  void request_key_frame();

  // A sent packet still in the history, ready to send again; nullopt when
  // it has left the history (or was never sent).
  std::optional<Bytes> retransmit(uint16_t sequence_number);

  // NACK for our SSRC: the retransmissions to send. PLI, or FIR naming our
  // SSRC: a key-frame request. Anything else: nothing.
  std::vector<Bytes> handle_rtcp(const rtp::RtcpPacket& packet);

  uint32_t ssrc() const { return config_.ssrc; }
  const VideoSenderConfig& config() const { return config_; }
  const VideoSenderStats& stats() const { return stats_; }
  // The sequence number the next packet will carry.
  uint16_t next_sequence_number() const { return sequence_number_; }

 private:
  struct Sent {
    uint16_t sequence_number = 0;
    Bytes packet;
  };

  VideoSender(const VideoSenderConfig& config, sframe::MlsContext& keys, const Clock& clock,
              media::Vp8Encoder encoder, Bytes mid, size_t max_payload_size);
  Bytes abs_send_time_now() const;
  Error drop_frame(const Error& error);

  VideoSenderConfig config_;
  sframe::MlsContext* keys_;
  const Clock* clock_;
  media::Vp8Encoder encoder_;
  rtp::Vp8Packetizer packetizer_;
  rtp::FrameDependencyStructure structure_;
  Bytes mid_;
  uint16_t sequence_number_;
  uint32_t timestamp_offset_;
  uint16_t frame_number_ = 0;
  bool key_frame_pending_ = false;
  std::vector<std::optional<Sent>> history_;
  VideoSenderStats stats_;
};

}  // namespace conclave::client
