#include "conclave/rtp/bit_stream.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::rtp {
namespace {

TEST(BitStream, ReadsMostSignificantBitFirst) {
  const Bytes b{0xa5, 0x0f};  // 1010 0101 0000 1111
  BitReader r(b);
  EXPECT_EQ(r.read(1).value(), 1u);
  EXPECT_EQ(r.read(3).value(), 2u);   // 010
  EXPECT_EQ(r.read(8).value(), 0x50u);  // 0101 0000
  EXPECT_EQ(r.bits_left(), 4u);
  EXPECT_EQ(r.read(4).value(), 0xfu);
  EXPECT_TRUE(r.read(1).error().is(Errc::truncated));
  EXPECT_EQ(r.read(0).value(), 0u);
}

TEST(BitStream, NonSymmetricTableOfTheSpec) {
  // The ns(5) table of A.8.2: 0 -> 00, 1 -> 01, 2 -> 10, 3 -> 110, 4 -> 111.
  const char* codes[] = {"00", "01", "10", "110", "111"};
  for (uint32_t v = 0; v < 5; ++v) {
    BitWriter w;
    w.write_ns(5, v);
    EXPECT_EQ(w.bits_written(), std::string(codes[v]).size()) << v;
    BitReader r(w.bytes());
    std::string bits;
    for (size_t i = 0; i < w.bits_written(); ++i) bits += r.read(1).value() ? '1' : '0';
    EXPECT_EQ(bits, codes[v]);
    BitReader r2(w.bytes());
    EXPECT_EQ(r2.read_ns(5).value(), v);
  }
}

TEST(BitStream, NonSymmetricRoundTrips) {
  for (uint32_t n = 1; n <= 40; ++n) {
    for (uint32_t v = 0; v < n; ++v) {
      BitWriter w;
      w.write_ns(n, v);
      w.write(0x5, 3);  // a marker after it must be read back in place
      BitReader r(w.bytes());
      EXPECT_EQ(r.read_ns(n).value(), v) << n;
      EXPECT_EQ(r.read(3).value(), 5u) << n << " " << v;
    }
  }
  BitReader r(Bytes{0});
  EXPECT_TRUE(r.read_ns(0).error().is(Errc::invalid_argument));
}

TEST(BitStream, WriterPadsWithZeros) {
  BitWriter w;
  w.write(1, 1);
  w.write(0xffff, 16);
  EXPECT_EQ(w.bits_written(), 17u);
  EXPECT_EQ(w.bytes(), (Bytes{0xff, 0xff, 0x80}));
  w.write(0xffffffffu, 32);
  EXPECT_EQ(w.bits_written(), 49u);
}

}  // namespace
}  // namespace conclave::rtp
