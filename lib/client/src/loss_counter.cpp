#include "conclave/client/loss_counter.h"

#include <algorithm>

namespace conclave::client {

void LossCounter::add(uint16_t sequence_number) {
  const int64_t ext = unwrapper_.unwrap(sequence_number);
  if (!first_) {
    first_ = ext;
    highest_ = ext;
    seen_.set(index(ext));
    ++received_;
    return;
  }
  if (ext > highest_) {
    // The slots between the old and the new highest are now for numbers
    // not yet seen.
    if (ext - highest_ >= kWindow) {
      seen_.reset();
    } else {
      for (int64_t s = highest_ + 1; s <= ext; ++s) seen_.reset(index(s));
    }
    highest_ = ext;
  } else if (highest_ - ext >= kWindow) {
    ++stale_;
    return;
  }
  if (seen_.test(index(ext))) {
    ++duplicates_;
    return;
  }
  seen_.set(index(ext));
  ++received_;
  first_ = std::min(*first_, ext);
}

uint64_t LossCounter::expected() const {
  if (!first_) return 0;
  return static_cast<uint64_t>(highest_ - *first_ + 1);
}

uint64_t LossCounter::lost() const {
  const uint64_t e = expected();
  return e > received_ ? e - received_ : 0;
}

}  // namespace conclave::client
