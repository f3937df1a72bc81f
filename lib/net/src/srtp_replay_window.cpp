#include "conclave/net/srtp_replay_window.h"

namespace conclave::net {

SrtpReplayVerdict SrtpReplayWindow::check(uint64_t index) const {
  if (index > top_) return SrtpReplayVerdict::fresh;
  if (top_ - index >= kSize) return SrtpReplayVerdict::too_old;
  return bit(index) ? SrtpReplayVerdict::seen : SrtpReplayVerdict::fresh;
}

void SrtpReplayWindow::add(uint64_t index) {
  if (index > top_) {
    const uint64_t advance = index - top_;
    if (advance >= kSize) {
      bits_.fill(0);
    } else {
      // The indices the window slides over have not been seen.
      for (uint64_t i = top_ + 1; i <= index; ++i) clear(i);
    }
    top_ = index;
  } else if (top_ - index >= kSize) {
    return;
  }
  set(index);
}

uint64_t srtp_estimate_index(uint64_t highest, uint16_t seq) {
  constexpr uint32_t kHalf = 0x8000;
  const uint64_t roc = highest >> 16;
  const uint32_t s_l = static_cast<uint32_t>(highest & 0xffff);
  const uint32_t s = seq;
  uint64_t v = roc;
  if (s_l < kHalf) {
    // A sequence number far above s_l is a late one from the previous ROC.
    if (s > s_l + kHalf && roc > 0) v = roc - 1;
  } else if (s < s_l - kHalf) {
    // One far below s_l wrapped: the ROC moved on.
    v = roc + 1;
  }
  return v << 16 | s;
}

}  // namespace conclave::net
