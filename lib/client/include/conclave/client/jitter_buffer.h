// JitterBuffer: the receive buffer of one RTP stream (one SSRC). It puts
// packets back in sequence order, rebuilds whole frames, releases them in
// order, and decides when a missing packet is lost.
//
//   insert(packet, now) ─> [packets by unwrapped sequence number] ─> pop(now)
//                               │ gaps                                 │
//                               v                                      v
//                         take_nacks(now)                frames in order (+ lost_before)
//                         take_key_frame_request(now)
//
// Frames: a frame is a run of consecutive packets with one timestamp, from
// a `begin` packet to an `end` packet. For video, begin/end and the
// key-frame flag come from the dependency descriptor (the payload is SFrame
// ciphertext); for audio every packet is a whole frame. A packet with an
// empty payload is padding: it takes a sequence number but no frame.
//
// Loss: when the next frame cannot be completed, the buffer waits up to
// max_delay (counted from the arrival of the first packet past the gap,
// when the gap became known) for retransmissions, NACKing each missing sequence number at
// most max_nacks times, one rtt apart. Then it gives up: audio skips to the
// next packet (the count of skipped frames goes with the next frame, for
// concealment); video discards everything up to the next complete key frame
// (a decoder cannot use a frame whose reference is gone), and asks for a
// key frame at once. A complete key frame past a gap ends the wait early:
// nothing before it is needed. Video also starts on a key frame, and asks for one
// when it has waited key_frame_request_delay without one; requests repeat
// at most every key_frame_request_interval while the wait lasts.
//
// This is a reordering and retransmission buffer, not a playout buffer:
// a frame is released as soon as it and everything before it is complete.
//
// Hostile input: sequence numbers are unwrapped against the newest accepted
// packet, so a forged jump moves nothing; packets further than
// max_sequence_jump from it are dropped (out_of_range) until resync_after
// of them in a row say the stream really restarted. Padding (which carries
// nothing to check) never starts, moves or restarts the stream. Memory is bounded by
// max_packets and max_bytes (the oldest packet gives way), frames by
// max_frame_size. Every refused or discarded packet is counted under a
// JitterDropReason. Time is passed in; nothing here reads a clock.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/client/media_kind.h"

namespace conclave::client {

struct JitterBufferConfig {
  MediaKind kind = MediaKind::video;
  Clock::Duration max_delay = std::chrono::milliseconds(150);
  size_t max_packets = 1024;
  size_t max_bytes = size_t{8} << 20;
  size_t max_frame_size = size_t{4} << 20;
  bool nack = true;
  uint32_t max_nacks = 3;  // per sequence number
  Clock::Duration rtt = std::chrono::milliseconds(50);
  uint32_t max_nack_gap = 256;  // a larger gap is not NACKed (the stream jumped)
  uint32_t max_sequence_jump = 3000;
  uint32_t resync_after = 8;
  Clock::Duration key_frame_request_delay = std::chrono::milliseconds(500);
  Clock::Duration key_frame_request_interval = std::chrono::milliseconds(500);

  // Defaults per kind: video waits 150 ms and NACKs; audio waits 60 ms,
  // does not NACK (a late retransmission is worth less than concealment)
  // and holds fewer packets.
  static JitterBufferConfig video();
  static JitterBufferConfig audio();
};

// What the buffer needs of one received packet.
struct JitterPacket {
  uint16_t sequence_number = 0;
  uint32_t timestamp = 0;
  bool begin = true;                      // first packet of a frame
  bool end = true;                        // last packet of a frame
  bool key_frame = false;                 // on the begin packet: the frame decodes on its own
  std::optional<uint32_t> abs_send_time;  // 24-bit abs-send-time, if sent
  Bytes payload;                          // the frame's bytes in this packet; empty: padding
};

// A complete frame, released in order.
struct JitterFrame {
  Bytes data;
  uint32_t timestamp = 0;
  int64_t first_sequence = 0;  // unwrapped
  int64_t last_sequence = 0;
  bool key_frame = false;
  // Audio: frames given up on just before this one (to conceal).
  uint32_t lost_before = 0;
  std::optional<uint32_t> abs_send_time;  // of the first packet
};

enum class JitterDropReason : uint8_t {
  duplicate,        // already held
  too_old,          // behind the frames already released or given up
  out_of_range,     // too far from the stream's sequence numbers
  buffer_full,      // the oldest packet evicted for a new one
  not_decodable,    // discarded while video waited for a key frame
  broken_frame,     // a frame whose packets disagree (timestamps, begin flags)
  frame_too_large,  // a frame past max_frame_size
  stray_padding,    // padding before the stream began or far from it
};
inline constexpr size_t kJitterDropReasonCount = 8;

std::string_view jitter_drop_reason_name(JitterDropReason r);

struct JitterBufferStats {
  uint64_t packets_inserted = 0;
  uint64_t frames_released = 0;
  // Frames given up on: audio packets skipped, video frames declared lost
  // or discarded while waiting for a key frame.
  uint64_t frames_lost = 0;
  uint64_t resyncs = 0;
  uint64_t nacked = 0;  // sequence numbers put in NACK lists
  uint64_t key_frame_requests = 0;
  std::array<uint64_t, kJitterDropReasonCount> drops{};

  uint64_t dropped(JitterDropReason r) const { return drops[static_cast<size_t>(r)]; }
  uint64_t dropped_total() const;
};

class JitterBuffer {
 public:
  using TimePoint = Clock::TimePoint;

  explicit JitterBuffer(const JitterBufferConfig& config);

  // Stores the packet, or says why it was not kept.
  std::optional<JitterDropReason> insert(JitterPacket packet, TimePoint now);

  // The frames that are complete and next in order, and the losses whose
  // wait is over.
  std::vector<JitterFrame> pop(TimePoint now);

  // Sequence numbers to NACK now (each at most max_nacks times, rtt apart).
  std::vector<uint16_t> take_nacks(TimePoint now);
  // Whether to send a key-frame request (PLI) now (video only).
  bool take_key_frame_request(TimePoint now);

  void set_rtt(Clock::Duration rtt) { config_.rtt = rtt; }

  const JitterBufferConfig& config() const { return config_; }
  const JitterBufferStats& stats() const { return stats_; }
  size_t packet_count() const { return packets_.size(); }
  size_t byte_count() const { return bytes_; }
  // Video: true until the first key frame and after every loss, until the
  // next key frame is released.
  bool waiting_for_key_frame() const { return waiting_for_key_; }

 private:
  struct Stored {
    JitterPacket packet;
    TimePoint arrival;
  };
  enum class FrameState { complete, incomplete, broken, too_large };
  struct FrameScan {
    FrameState state = FrameState::incomplete;
    int64_t last = 0;
  };

  int64_t unwrap(uint16_t seq) const;
  void reset(TimePoint now);
  void count_drop(JitterDropReason r, uint64_t n = 1) { stats_.drops[static_cast<size_t>(r)] += n; }
  void erase_packet(std::map<int64_t, Stored>::iterator it);
  // Erases every packet before seq, counting them under reason.
  void discard_before(int64_t seq, JitterDropReason reason);
  void evict_oldest(TimePoint now);
  void note_missing(int64_t from, int64_t to);  // [from, to)
  FrameScan scan_frame(int64_t start) const;
  // When the first gap at or after `from` became known: the arrival of the
  // first packet held past it.
  std::optional<TimePoint> gap_seen_at(int64_t from) const;
  void release(int64_t first, int64_t last, std::vector<JitterFrame>& out);
  bool start_at_key_frame(std::vector<JitterFrame>& out);
  void declare_loss(TimePoint now);
  void enter_key_frame_wait(TimePoint now, bool request_now);
  void advance_to(int64_t seq);

  JitterBufferConfig config_;
  JitterBufferStats stats_;
  std::map<int64_t, Stored> packets_;
  std::set<int64_t> key_starts_;  // begin packets of key frames
  size_t bytes_ = 0;
  std::optional<int64_t> next_;     // first sequence number not yet released or given up
  std::optional<int64_t> highest_;  // newest accepted sequence number
  uint32_t out_of_range_run_ = 0;
  uint32_t pending_lost_ = 0;  // audio: frames skipped since the last release
  bool waiting_for_key_ = false;
  std::optional<TimePoint> wait_started_;
  bool key_request_now_ = false;
  std::optional<TimePoint> last_key_request_;
  struct NackState {
    uint32_t sent = 0;
    std::optional<TimePoint> last_sent;
  };
  std::map<int64_t, NackState> missing_;
};

}  // namespace conclave::client
