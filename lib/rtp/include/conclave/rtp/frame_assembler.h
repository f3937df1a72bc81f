// Rebuilds frames from in-order packets whose payload format says where a
// frame begins and ends (VP8: S=1 PID=0 and the marker; SFrame RTP: the S
// and E bits). Shared by the depacketizers; each parses its own payload
// header and hands over the frame data.
//
// Rules, for packets given in sequence order:
//  - a packet not newer than the last one taken: dropped (late_packet);
//  - a beginning packet starts a frame, discarding an unfinished one
//    (incomplete_frame);
//  - a continuation must follow the last packet exactly (sequence_gap) and
//    carry the frame's timestamp (timestamp_mismatch), and needs a frame in
//    progress (missing_start); the frame in progress is dropped with it;
//  - the frame is delivered on its end packet; past max_frame_size it is
//    dropped (frame_too_large).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "conclave/base/bytes.h"
#include "conclave/rtp/payload_format.h"

namespace conclave::rtp {

class FrameAssembler {
 public:
  static constexpr size_t kDefaultMaxFrameSize = 4 * 1024 * 1024;

  explicit FrameAssembler(size_t max_frame_size = kDefaultMaxFrameSize)
      : max_frame_size_(max_frame_size) {}

  DepacketizeResult push(uint16_t seq, uint32_t timestamp, bool begin, bool end, BytesView data,
                         bool key_frame);
  // A packet the format could not parse: drops it and the frame in progress.
  DepacketizeResult reject(uint16_t seq, DropReason reason);

  bool in_progress() const { return in_progress_; }
  const DropCounters& drops() const { return drops_; }

 private:
  DepacketizeResult drop(DropReason reason);
  void note_sequence(uint16_t seq);

  size_t max_frame_size_;
  bool in_progress_ = false;
  AssembledFrame frame_;
  std::optional<uint16_t> last_seq_;
  DropCounters drops_;
};

}  // namespace conclave::rtp
