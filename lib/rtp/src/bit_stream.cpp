#include "conclave/rtp/bit_stream.h"

#include "conclave/base/check.h"

namespace conclave::rtp {
namespace {

// w of ns(n): the number of bits of n.
unsigned bit_width(uint32_t n) {
  unsigned w = 0;
  while (n != 0) {
    n >>= 1;
    ++w;
  }
  return w;
}

}  // namespace

Result<uint32_t> BitReader::read(unsigned bits) {
  CV_CHECK(bits <= 32);
  if (bits > bits_left()) return Error(Errc::truncated, "bit stream");
  uint64_t x = 0;
  for (unsigned i = 0; i < bits; ++i) {
    const uint8_t byte = data_[pos_ / 8];
    const unsigned bit = (byte >> (7 - pos_ % 8)) & 1u;
    x = (x << 1) | bit;
    ++pos_;
  }
  return static_cast<uint32_t>(x);
}

Result<bool> BitReader::read_flag() {
  CV_TRY(const uint32_t v, read(1));
  return v != 0;
}

Result<uint32_t> BitReader::read_ns(uint32_t n) {
  if (n == 0) return Error(Errc::invalid_argument, "ns(0)");
  const unsigned w = bit_width(n);
  const uint64_t m = (uint64_t{1} << w) - n;
  CV_TRY(const uint32_t v, read(w - 1));
  if (v < m) return v;
  CV_TRY(const uint32_t extra, read(1));
  return static_cast<uint32_t>((uint64_t{v} << 1) - m + extra);
}

void BitWriter::write(uint32_t value, unsigned bits) {
  CV_CHECK(bits <= 32);
  CV_CHECK(bits == 32 || (uint64_t{value} >> bits) == 0);
  for (unsigned i = bits; i > 0; --i) {
    const unsigned bit = (value >> (i - 1)) & 1u;
    if (bits_ % 8 == 0) out_.push_back(0);
    if (bit != 0) out_.back() = static_cast<uint8_t>(out_.back() | (0x80u >> (bits_ % 8)));
    ++bits_;
  }
}

void BitWriter::write_ns(uint32_t n, uint32_t value) {
  CV_CHECK(value < n);
  if (n == 1) return;
  const unsigned w = bit_width(n);
  const uint32_t m = static_cast<uint32_t>((uint64_t{1} << w) - n);
  if (value < m) {
    write(value, w - 1);
  } else {
    write(value + m, w);
  }
}

}  // namespace conclave::rtp
