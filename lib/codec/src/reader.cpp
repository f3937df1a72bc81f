#include "conclave/codec/reader.h"

#include "conclave/base/check.h"

namespace conclave::codec {

template <class T>
Result<T> Reader::read_be() {
  if (remaining() < sizeof(T)) return Errc::truncated;
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>((value << 8) | T{data_[pos_ + i]});
  }
  pos_ += sizeof(T);
  return value;
}

Result<uint8_t> Reader::read_u8() {
  return read_be<uint8_t>();
}
Result<uint16_t> Reader::read_u16() {
  return read_be<uint16_t>();
}
Result<uint32_t> Reader::read_u32() {
  return read_be<uint32_t>();
}
Result<uint64_t> Reader::read_u64() {
  return read_be<uint64_t>();
}

Result<uint32_t> Reader::read_varint() {
  if (empty()) return Errc::truncated;
  const uint8_t first = data_[pos_];
  const unsigned prefix = first >> 6u;
  if (prefix == 3) return Errc::invalid_varint_prefix;
  const size_t width = size_t{1} << prefix;
  if (remaining() < width) return Errc::truncated;
  uint32_t value = first & 0x3fu;
  for (size_t i = 1; i < width; ++i) value = (value << 8) | uint32_t{data_[pos_ + i]};
  // RFC 9420 2.1.2: a value that fits a shorter form is malformed.
  if (varint_size(value) != width) return Errc::non_minimal_varint;
  pos_ += width;
  return value;
}

Result<size_t> Reader::read_length() {
  const size_t start = pos_;
  CV_TRY(const uint32_t length, read_varint());
  if (length > limits_.max_length || length > remaining()) {
    pos_ = start;
    return Errc::length_too_large;
  }
  return size_t{length};
}

Result<BytesView> Reader::read_bytes(size_t n) {
  if (n > remaining()) return Errc::truncated;
  BytesView out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

Result<BytesView> Reader::read_opaque() {
  CV_TRY(const size_t length, read_length());
  BytesView out = data_.subspan(pos_, length);
  pos_ += length;
  return out;
}

Result<Reader> Reader::read_vector() {
  if (depth_ >= limits_.max_depth) return Errc::nesting_too_deep;
  CV_TRY(const size_t length, read_length());
  Reader sub(data_.subspan(pos_, length), limits_, depth_ + 1);
  pos_ += length;
  return sub;
}

Status Reader::finish() const {
  if (!empty()) return Errc::trailing_data;
  return {};
}

BytesView Reader::consumed_since(size_t start) const {
  CV_CHECK(start <= pos_);
  return data_.subspan(start, pos_ - start);
}

void Reader::rewind(size_t position) {
  CV_CHECK(position <= pos_);
  pos_ = position;
}

Status Reader::enter_nested() {
  if (depth_ >= limits_.max_depth) return Errc::nesting_too_deep;
  ++depth_;
  return {};
}

void Reader::leave_nested() {
  CV_CHECK(depth_ > 0);
  --depth_;
}

}  // namespace conclave::codec
