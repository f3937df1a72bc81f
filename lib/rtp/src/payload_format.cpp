#include "conclave/rtp/payload_format.h"

#include "conclave/base/check.h"

namespace conclave::rtp {

std::string_view drop_reason_name(DropReason r) {
  switch (r) {
    case DropReason::malformed_payload:
      return "malformed_payload";
    case DropReason::late_packet:
      return "late_packet";
    case DropReason::missing_start:
      return "missing_start";
    case DropReason::sequence_gap:
      return "sequence_gap";
    case DropReason::timestamp_mismatch:
      return "timestamp_mismatch";
    case DropReason::incomplete_frame:
      return "incomplete_frame";
    case DropReason::frame_too_large:
      return "frame_too_large";
  }
  return "unknown";
}

uint64_t DropCounters::total() const {
  uint64_t n = 0;
  for (uint64_t c : counts_) n += c;
  return n;
}

std::vector<size_t> balanced_split(size_t size, size_t capacity) {
  CV_CHECK(capacity > 0);
  std::vector<size_t> sizes;
  if (size == 0) return sizes;
  const size_t n = (size + capacity - 1) / capacity;
  const size_t base = size / n;
  const size_t extra = size % n;
  for (size_t i = 0; i < n; ++i) sizes.push_back(base + (i < extra ? 1 : 0));
  return sizes;
}

}  // namespace conclave::rtp
