// Reader: bounds-checked decoding of the TLS presentation language
// (RFC 8446 section 3 with the RFC 9420 section 2.1 additions) from a
// borrowed byte span. Nothing is copied: read_bytes/read_opaque return views
// into the input, read_vector returns a sub-Reader over exactly the bytes of
// a length-prefixed block.
//
//   Reader r(message);
//   CV_TRY(uint16_t version, r.read_u16());
//   CV_TRY(BytesView group_id, r.read_opaque());      // varint length + bytes
//   CV_TRY(Reader items, r.read_vector());            // varint length, then a block
//   while (!items.empty()) { CV_TRY(uint32_t x, items.read_u32()); ... }
//   CV_TRY_STATUS(r.finish());                        // no trailing bytes
//
// Guarantees:
// - Every read checks the bounds first and never touches a byte outside the
//   span; failures return codec::Errc, nothing throws or aborts.
// - A failed read leaves the position unchanged: a reader can be inspected
//   (or another interpretation tried) after an error. codec::decode<T>
//   (tls.h) extends this to whole structs by rewinding on failure.
// - Lengths are checked against the remaining input (and the optional cap in
//   ReaderLimits) before anything is allocated by a caller.
// - Nesting: a sub-Reader from read_vector is one level deeper than its
//   parent, and struct decoders bracket their fields with enter_nested /
//   leave_nested. Going deeper than ReaderLimits::max_depth fails with
//   Errc::nesting_too_deep, which bounds recursion on hostile input.
//
// Views returned by a Reader point into the caller's buffer and are valid
// only as long as that buffer is.
#pragma once

#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/codec/errc.h"
#include "conclave/codec/varint.h"

namespace conclave::codec {

struct ReaderLimits {
  // Nesting levels (vectors and structs) a decoder may enter.
  size_t max_depth = 64;
  // The largest vector or opaque length accepted, in bytes. Lengths are
  // always also bounded by the remaining input.
  size_t max_length = kMaxVarint;
};

class Reader {
 public:
  explicit Reader(BytesView data) : data_(data) {}
  Reader(BytesView data, ReaderLimits limits) : data_(data), limits_(limits) {}

  // Fixed-width big-endian unsigned integers (TLS uint8 .. uint64).
  Result<uint8_t> read_u8();
  Result<uint16_t> read_u16();
  Result<uint32_t> read_u32();
  Result<uint64_t> read_u64();

  // An RFC 9420 variable-size integer (1, 2 or 4 bytes). Rejects the
  // prefix 11 (invalid_varint_prefix) and encodings longer than needed
  // (non_minimal_varint).
  Result<uint32_t> read_varint();

  // The next n bytes, as a view into the input.
  Result<BytesView> read_bytes(size_t n);
  // opaque x<V>: a varint length, then that many bytes (as a view).
  Result<BytesView> read_opaque();
  // T x<V>: a varint length, then a Reader over exactly that block, one
  // nesting level deeper. The caller reads items until it is empty().
  Result<Reader> read_vector();

  // Status::ok when all input was consumed, trailing_data otherwise.
  Status finish() const;

  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ == data_.size(); }
  // Bytes consumed so far, counted from the start of this reader's span.
  size_t position() const { return pos_; }
  // The unread rest of the input.
  BytesView rest() const { return data_.subspan(pos_); }
  // The bytes consumed since an earlier position() of this reader (for
  // example the exact encoding of a signed struct).
  BytesView consumed_since(size_t start) const;
  // Moves back to an earlier position() of this reader.
  void rewind(size_t position);

  // Depth guard for recursive decoders: enter_nested fails with
  // nesting_too_deep once depth() would exceed limits().max_depth; every
  // successful enter_nested is paired with one leave_nested.
  Status enter_nested();
  void leave_nested();
  size_t depth() const { return depth_; }
  const ReaderLimits& limits() const { return limits_; }

 private:
  Reader(BytesView data, ReaderLimits limits, size_t depth)
      : data_(data), limits_(limits), depth_(depth) {}
  template <class T>
  Result<T> read_be();
  // Reads a varint length and checks it against the limits and the
  // remaining input; on success the position is just after the header.
  Result<size_t> read_length();

  BytesView data_;
  ReaderLimits limits_;
  size_t pos_ = 0;
  size_t depth_ = 0;
};

}  // namespace conclave::codec
