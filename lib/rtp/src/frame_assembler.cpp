#include "conclave/rtp/frame_assembler.h"

#include "conclave/rtp/sequence_number.h"

namespace conclave::rtp {

DepacketizeResult FrameAssembler::drop(DropReason reason) {
  drops_.add(reason);
  in_progress_ = false;
  frame_ = {};
  DepacketizeResult r;
  r.dropped = reason;
  return r;
}

void FrameAssembler::note_sequence(uint16_t seq) {
  if (!last_seq_ || seq_newer(seq, *last_seq_)) last_seq_ = seq;
}

DepacketizeResult FrameAssembler::reject(uint16_t seq, DropReason reason) {
  note_sequence(seq);
  return drop(reason);
}

DepacketizeResult FrameAssembler::push(uint16_t seq, uint32_t timestamp, bool begin, bool end,
                                       BytesView data, bool key_frame) {
  DepacketizeResult result;
  if (last_seq_ && !seq_newer(seq, *last_seq_)) {
    drops_.add(DropReason::late_packet);
    result.dropped = DropReason::late_packet;
    return result;
  }
  const std::optional<uint16_t> previous = last_seq_;
  last_seq_ = seq;
  if (begin) {
    if (in_progress_) result = drop(DropReason::incomplete_frame);
    in_progress_ = true;
    frame_ = {};
    frame_.timestamp = timestamp;
    frame_.first_sequence_number = seq;
    frame_.key_frame = key_frame;
  } else {
    if (!in_progress_) return drop(DropReason::missing_start);
    if (!previous || static_cast<uint16_t>(*previous + 1) != seq) {
      return drop(DropReason::sequence_gap);
    }
    if (timestamp != frame_.timestamp) return drop(DropReason::timestamp_mismatch);
  }
  if (data.size() > max_frame_size_ - frame_.data.size()) {
    const auto dropped = drop(DropReason::frame_too_large);
    result.dropped = dropped.dropped;
    return result;
  }
  frame_.data.insert(frame_.data.end(), data.begin(), data.end());
  frame_.last_sequence_number = seq;
  if (end) {
    result.frame = std::move(frame_);
    frame_ = {};
    in_progress_ = false;
  }
  return result;
}

}  // namespace conclave::rtp
