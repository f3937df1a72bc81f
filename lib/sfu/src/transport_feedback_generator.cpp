#include "conclave/sfu/transport_feedback_generator.h"

#include <algorithm>
#include <chrono>

namespace conclave::sfu {

void TransportFeedbackGenerator::on_packet(uint16_t transport_sequence_number,
                                           TimePoint arrival) {
  int64_t seq = unwrapper_.unwrap(transport_sequence_number);
  if (next_base_ >= 0 && seq < next_base_) {
    // Already reported (as lost): a late packet. Report it again on its own
    // only if it is recent; otherwise ignore it.
    if (next_base_ - seq > 1000) return;
  }
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                   arrival.time_since_epoch()).count();
  arrivals_.insert_or_assign(seq, us);
  while (arrivals_.size() > kMaxPending) arrivals_.erase(arrivals_.begin());
}

std::vector<rtp::TransportFeedback> TransportFeedbackGenerator::build() {
  std::vector<rtp::TransportFeedback> out;
  while (!arrivals_.empty()) {
    auto first = arrivals_.begin();
    // Start at the first unreported sequence number, unless the pending
    // ones are all late arrivals from before it.
    int64_t base = first->first;
    if (next_base_ >= 0 && next_base_ < base && base - next_base_ <= 64) base = next_base_;

    rtp::TransportFeedback fb;
    fb.sender_ssrc = sender_ssrc_;
    fb.media_ssrc = media_ssrc_;
    fb.base_sequence_number = static_cast<uint16_t>(base);
    fb.feedback_packet_count = feedback_count_++;
    // Reference time: the first arrival, floored to 64 ms units.
    int64_t reference_units = first->second / rtp::TransportFeedback::kReferenceTimeUnitUs;
    fb.reference_time = static_cast<int32_t>(reference_units & 0x7fffff);
    if (reference_units & 0x800000) fb.reference_time -= 0x800000;
    int64_t previous_us = reference_units * rtp::TransportFeedback::kReferenceTimeUnitUs;

    int64_t seq = base;
    auto it = arrivals_.begin();
    while (it != arrivals_.end() && fb.packets.size() < kMaxPacketsPerFeedback) {
      if (it->first > seq) {
        fb.packets.push_back({});  // not received
        ++seq;
        continue;
      }
      int64_t delta_ticks = (it->second - previous_us) / rtp::TransportFeedback::kDeltaTickUs;
      if (delta_ticks < -32768 || delta_ticks > 32767) break;  // next feedback
      fb.packets.push_back(rtp::TransportFeedback::received(static_cast<int32_t>(delta_ticks)));
      previous_us += delta_ticks * rtp::TransportFeedback::kDeltaTickUs;
      ++seq;
      it = arrivals_.erase(it);
    }
    // Trailing not-received entries carry no information.
    while (!fb.packets.empty() &&
           fb.packets.back().status == rtp::PacketStatusSymbol::not_received) {
      fb.packets.pop_back();
      --seq;
    }
    if (fb.packets.empty()) {
      // The first arrival could not be expressed (should not happen: its
      // delta from its own floored reference is under 64 ms); drop it.
      arrivals_.erase(arrivals_.begin());
      continue;
    }
    next_base_ = std::max(next_base_, seq);
    out.push_back(std::move(fb));
  }
  return out;
}

}  // namespace conclave::sfu
