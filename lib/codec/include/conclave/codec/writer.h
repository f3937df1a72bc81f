// Writer: encoding in the TLS presentation language (RFC 8446 section 3 with
// the RFC 9420 section 2.1 additions), appending to an owned Bytes buffer.
//
//   Writer w;
//   w.write_u16(version);
//   w.write_opaque(group_id);                // varint length + bytes
//   auto items = w.begin_vector();           // T items<V>, length unknown yet
//   for (auto x : xs) w.write_u32(x);
//   w.end_vector(items);                     // back-patches the varint
//   Bytes out = w.take();
//
// Vectors whose length is only known afterwards: begin_vector reserves four
// bytes, end_vector writes the minimal varint and, when it is shorter than
// four bytes, shifts the contents left. Only blocks under 16384 bytes are
// ever shifted, so the cost per vector is at most 16 KiB of memmove
// whatever the nesting.
//
// Lengths of 2^30 bytes or more cannot be encoded in MLS. Writing one is a
// bug of the caller (every size we encode is bounded long before, by the
// application or by the decoder that produced it), so write_varint,
// write_opaque and end_vector abort through CV_CHECK instead of returning an
// error; the writing API is therefore infallible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "conclave/base/bytes.h"
#include "conclave/codec/varint.h"

namespace conclave::codec {

class Writer {
 public:
  // A vector opened by begin_vector; pass it to end_vector. Vectors nest
  // and must be closed innermost first.
  class VectorMark {
   private:
    friend class Writer;
    VectorMark(size_t offset, size_t level) : offset_(offset), level_(level) {}
    size_t offset_;
    size_t level_;
  };

  Writer() = default;
  // Appends after the existing contents of `buffer` (reuses its capacity).
  explicit Writer(Bytes buffer) : buf_(std::move(buffer)) {}

  // Fixed-width big-endian unsigned integers (TLS uint8 .. uint64).
  void write_u8(uint8_t value) { buf_.push_back(value); }
  void write_u16(uint16_t value) { append_be(value, 2); }
  void write_u32(uint32_t value) { append_be(value, 4); }
  void write_u64(uint64_t value) { append_be(value, 8); }

  // The minimal RFC 9420 varint. CV_CHECK: value <= kMaxVarint.
  void write_varint(uint64_t value);
  // Raw bytes, no length.
  void write_bytes(BytesView data) { buf_.insert(buf_.end(), data.begin(), data.end()); }
  // opaque x<V>: varint length, then the bytes.
  void write_opaque(BytesView data);

  [[nodiscard]] VectorMark begin_vector();
  void end_vector(VectorMark mark);
  // Writes a vector whose items `write_items(Writer&)` appends.
  template <class F>
  void write_vector(F&& write_items) {
    VectorMark mark = begin_vector();
    std::forward<F>(write_items)(*this);
    end_vector(mark);
  }

  size_t size() const { return buf_.size(); }
  BytesView view() const { return buf_; }
  void reserve(size_t n) { buf_.reserve(n); }
  // Moves the encoding out and leaves the writer empty. CV_CHECK: no vector
  // is still open.
  Bytes take();

 private:
  void append_be(uint64_t value, size_t width);

  Bytes buf_;
  size_t open_vectors_ = 0;
};

}  // namespace conclave::codec
