#include "conclave/sframe/replay_window.h"

#include "conclave/base/check.h"

namespace conclave::sframe {

bool ReplayWindow::bit(uint64_t offset) const {
  return ((bits_[offset / 64] >> (offset % 64)) & 1U) != 0;
}

void ReplayWindow::shift(uint64_t by) {
  if (by >= kSize) {
    bits_ = {0, 0};
  } else if (by >= 64) {
    bits_[1] = bits_[0] << (by - 64);
    bits_[0] = 0;
  } else if (by > 0) {
    bits_[1] = (bits_[1] << by) | (bits_[0] >> (64 - by));
    bits_[0] <<= by;
  }
}

bool ReplayWindow::check(uint64_t ctr) const {
  if (!started_ || ctr > top_) return true;
  const uint64_t offset = top_ - ctr;
  return offset < kSize && !bit(offset);
}

void ReplayWindow::update(uint64_t ctr) {
  CV_CHECK(check(ctr));
  if (!started_ || ctr > top_) {
    shift(started_ ? ctr - top_ : kSize);
    top_ = ctr;
    started_ = true;
    bits_[0] |= 1U;
    return;
  }
  const uint64_t offset = top_ - ctr;
  bits_[offset / 64] |= uint64_t{1} << (offset % 64);
}

std::optional<uint64_t> ReplayWindow::highest() const {
  if (!started_) return std::nullopt;
  return top_;
}

}  // namespace conclave::sframe
