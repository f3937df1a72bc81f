#include "conclave/codec/writer.h"

#include <algorithm>

#include "conclave/base/check.h"

namespace conclave::codec {
namespace {

constexpr size_t kReservedHeader = 4;

// Writes the varint form of `value` in exactly `width` bytes at `out`.
void put_varint(uint8_t* out, size_t width, uint64_t value) {
  put_be(MutableBytesView(out, width), value);
  switch (width) {
    case 1:
      break;
    case 2:
      out[0] = static_cast<uint8_t>(out[0] | 0x40u);
      break;
    default:
      out[0] = static_cast<uint8_t>(out[0] | 0x80u);
      break;
  }
}

}  // namespace

void Writer::append_be(uint64_t value, size_t width) {
  const size_t at = buf_.size();
  buf_.resize(at + width);
  put_be(MutableBytesView(buf_).subspan(at, width), value);
}

void Writer::write_varint(uint64_t value) {
  CV_CHECK(value <= kMaxVarint);
  const size_t width = varint_size(value);
  const size_t at = buf_.size();
  buf_.resize(at + width);
  put_varint(buf_.data() + at, width, value);
}

void Writer::write_opaque(BytesView data) {
  write_varint(data.size());
  write_bytes(data);
}

Writer::VectorMark Writer::begin_vector() {
  const size_t at = buf_.size();
  buf_.resize(at + kReservedHeader);
  return VectorMark(at, open_vectors_++);
}

void Writer::end_vector(VectorMark mark) {
  // Closing out of order, twice, or a mark of another writer is our bug.
  CV_CHECK(open_vectors_ > 0 && mark.level_ == open_vectors_ - 1);
  CV_CHECK(mark.offset_ + kReservedHeader <= buf_.size());
  --open_vectors_;
  const size_t length = buf_.size() - mark.offset_ - kReservedHeader;
  CV_CHECK(length <= kMaxVarint);
  const size_t width = varint_size(length);
  const auto header = buf_.begin() + static_cast<std::ptrdiff_t>(mark.offset_);
  if (width < kReservedHeader) {
    // Shift the contents left over the unused header bytes (overlapping,
    // destination first, so std::copy is correct).
    std::copy(header + kReservedHeader, buf_.end(), header + static_cast<std::ptrdiff_t>(width));
    buf_.resize(buf_.size() - (kReservedHeader - width));
  }
  put_varint(buf_.data() + mark.offset_, width, length);
}

Bytes Writer::take() {
  CV_CHECK(open_vectors_ == 0);
  Bytes out = std::move(buf_);
  buf_.clear();
  return out;
}

}  // namespace conclave::codec
