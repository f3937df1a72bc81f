// Bit-level reading and writing, most significant bit first, as the AV1
// RTP dependency descriptor needs (appendix A.8.2 of the AV1 RTP spec):
// f(n) reads an n-bit unsigned number and ns(n) a non-symmetric number in
// 0..n-1. The reader never reads past its buffer: a read that would
// returns Errc::truncated.
#pragma once

#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

class BitReader {
 public:
  explicit BitReader(BytesView data) : data_(data) {}

  // f(bits), bits <= 32.
  Result<uint32_t> read(unsigned bits);
  Result<bool> read_flag();
  // ns(n), n >= 1; invalid_argument for n == 0.
  Result<uint32_t> read_ns(uint32_t n);

  size_t bits_read() const { return pos_; }
  size_t bits_left() const { return 8 * data_.size() - pos_; }

 private:
  BytesView data_;
  size_t pos_ = 0;
};

class BitWriter {
 public:
  // write_f(bits, value): value must fit in bits (<= 32).
  void write(uint32_t value, unsigned bits);
  void write_flag(bool b) { write(b ? 1 : 0, 1); }
  // write_ns(n, value): value < n.
  void write_ns(uint32_t n, uint32_t value);

  size_t bits_written() const { return bits_; }
  // The bytes written, the last one zero-padded.
  const Bytes& bytes() const { return out_; }

 private:
  Bytes out_;
  size_t bits_ = 0;
};

}  // namespace conclave::rtp
