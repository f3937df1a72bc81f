// Router: the SFU's forwarding core, on plain RTP/RTCP (SRTP is removed
// before and added after, by the transports). Pure: packets in, packets
// out through a RouterSink, time passed in.
//
//   publisher --RTP--> on_rtp: parse header, find the track by SSRC among
//     the transport's own tracks, note transport-cc arrival, audio level,
//     receive statistics; rewrite header-extension IDs to the downstream
//     ones (ExtensionRemap); keep a copy (PacketCache); send to every
//     subscriber of the track.
//   subscriber --RTCP--> on_rtcp: NACK answered from the cache (misses
//     asked of the publisher), PLI/FIR relayed to the publisher (at most
//     one per kKeyFrameRequestInterval per track), REMB remembered.
//   publisher --RTCP--> SR forwarded to the track's subscribers (lip sync)
//     and noted for the receiver reports.
//   subscribe() to a video track: a PLI to its publisher at the next tick,
//     so that the new subscriber can start decoding.
//   on_tick: transport-cc feedback to publishers (every 100 ms), receiver
//     reports and a REMB (the lowest subscriber estimate) to publishers
//     (every second), the active speaker of each meeting (every 300 ms).
//
// The SSRC, sequence number and timestamp of a packet are forwarded
// unchanged: every publisher stream maps to one downstream stream, the
// SFU drops nothing it could forward, and add_track() refuses an SSRC
// already used in the meeting, so a subscriber never sees two streams
// with one SSRC. Only the extension IDs are rewritten (they are per
// transport). The router never reads a payload: it is SFrame ciphertext.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/sfu/active_speaker.h"
#include "conclave/sfu/errc.h"
#include "conclave/sfu/extension_remap.h"
#include "conclave/sfu/packet_cache.h"
#include "conclave/sfu/receive_statistics.h"
#include "conclave/sfu/sfu_stats.h"
#include "conclave/sfu/transport_feedback_generator.h"

namespace conclave::sfu {

using TransportId = uint32_t;

enum class TrackKind : uint8_t { audio, video };

// Header-extension IDs on one transport; 0 = not negotiated.
struct ExtensionIds {
  uint8_t audio_level = 0;
  uint8_t mid = 0;
  uint8_t transport_cc = 0;
  uint8_t abs_send_time = 0;
  uint8_t dependency_descriptor = 0;
};

// The IDs the SFU uses towards every subscriber (its subscribe offers say
// so, as sdp::kSubscribeExtensionIds without the MID). 1-14, so that both
// extension forms can carry them.
inline constexpr ExtensionIds kDownstreamExtensionIds{
    .audio_level = 1, .mid = 0, .transport_cc = 0, .abs_send_time = 4,
    .dependency_descriptor = 5};

struct PublishedTrack {
  uint32_t ssrc = 0;
  TrackKind kind = TrackKind::audio;
  uint32_t clock_rate = 48000;
  uint8_t payload_type = 0;
  std::string mid;          // on the publisher's transport
  ExtensionIds extensions;  // the publisher's IDs
};

// Called by the router to send; the transport adds SRTP.
class RouterSink {
 public:
  virtual ~RouterSink() = default;
  virtual void send_rtp(TransportId to, BytesView packet) = 0;
  virtual void send_rtcp(TransportId to, BytesView compound) = 0;
  // The loudest participant of a meeting changed ("" = nobody speaks).
  virtual void active_speaker(const std::string& meeting, const std::string& participant) = 0;
};

class Router {
 public:
  using TimePoint = Clock::TimePoint;
  static constexpr Clock::Duration kKeyFrameRequestInterval = std::chrono::milliseconds(300);
  static constexpr Clock::Duration kFeedbackInterval = std::chrono::milliseconds(100);
  static constexpr Clock::Duration kReportInterval = std::chrono::seconds(1);
  static constexpr Clock::Duration kSpeakerInterval = std::chrono::milliseconds(300);
  static constexpr size_t kVideoCachePackets = 1024;
  static constexpr size_t kAudioCachePackets = 128;

  explicit Router(SfuStats& stats);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // A transport of `participant` in `meeting`. `rtcp_ssrc` is the SSRC the
  // SFU's own RTCP to this transport carries. Errors: duplicate_transport.
  Status add_transport(TransportId id, std::string meeting, std::string participant,
                       uint32_t rtcp_ssrc);
  // Removes the transport, its tracks (and their subscriptions) and its
  // own subscriptions.
  void remove_transport(TransportId id);
  bool has_transport(TransportId id) const { return transports_.contains(id); }

  // A track the transport publishes. Errors: unknown_transport,
  // duplicate_ssrc (the SSRC is in use in the meeting), invalid_argument.
  Status add_track(TransportId publisher, const PublishedTrack& track);
  // Errors: unknown_transport, unknown_track, and invalid_argument when
  // subscriber and publisher are in different meetings or are the same
  // transport.
  Status subscribe(TransportId subscriber, TransportId publisher, uint32_t ssrc);
  void unsubscribe(TransportId subscriber, TransportId publisher, uint32_t ssrc);

  // Data path. `packet` is modified in place (extension IDs).
  void on_rtp(TransportId from, MutableBytesView packet, TimePoint now, RouterSink& sink);
  void on_rtcp(TransportId from, BytesView compound, TimePoint now, RouterSink& sink);
  void on_tick(TimePoint now, RouterSink& sink);

  // The loudest participant of the meeting ("" = nobody).
  std::string active_speaker(const std::string& meeting) const;
  // Receive statistics of a published track, for tests and metrics.
  const ReceiveStatistics* statistics(TransportId publisher, uint32_t ssrc) const;

 private:
  struct Track;
  struct Transport;
  struct Meeting {
    ActiveSpeakerDetector speakers;
    std::unordered_map<uint32_t, std::string> audio_owner;  // SSRC -> participant
    std::vector<TransportId> transports;
  };

  Track* find_track(TransportId publisher, uint32_t ssrc);
  const Track* find_track(TransportId publisher, uint32_t ssrc) const;
  Track* find_subscribed(Transport& subscriber, uint32_t ssrc);
  void remove_track(Transport& publisher, uint32_t ssrc);
  void send_rtcp(TransportId to, Bytes& compound, RouterSink& sink);
  void handle_nack(Transport& from, uint32_t media_ssrc, const std::vector<uint16_t>& lost,
                   RouterSink& sink);
  void request_key_frame(Transport& from, uint32_t media_ssrc, bool fir, TimePoint now,
                         RouterSink& sink);

  SfuStats& stats_;
  std::unordered_map<TransportId, std::unique_ptr<Transport>> transports_;
  std::unordered_map<std::string, Meeting> meetings_;
  std::optional<TimePoint> last_feedback_;
  std::optional<TimePoint> last_report_;
  std::optional<TimePoint> last_speaker_;
};

}  // namespace conclave::sfu
