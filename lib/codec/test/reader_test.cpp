#include "conclave/codec/reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace conclave::codec {
namespace {

// Expects `r` to fail with `e`.
template <class T>
void expect_error(const Result<T>& r, Errc e) {
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(e)) << r.error().to_string();
}

TEST(Reader, ReadsBigEndianIntegers) {
  const Bytes in = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                    0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0xff};
  Reader r(in);
  EXPECT_EQ(*r.read_u8(), 0x01);
  EXPECT_EQ(*r.read_u16(), 0x0203);
  EXPECT_EQ(*r.read_u32(), 0x04050607u);
  EXPECT_EQ(*r.read_u64(), 0x08090a0b0c0d0e0full);
  EXPECT_EQ(r.position(), 15u);
  EXPECT_EQ(r.remaining(), 7u);
  EXPECT_EQ(*r.read_u32(), 0x10111213u);
  EXPECT_EQ(*r.read_u16(), 0x1415);
  EXPECT_FALSE(r.empty());
  EXPECT_EQ(*r.read_u8(), 0xff);
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(r.finish().ok());
}

TEST(Reader, FixedWidthTruncationFailsAndKeepsPosition) {
  const Bytes in = {0xaa, 0x01, 0x02, 0x03};
  Reader r(in);
  ASSERT_TRUE(r.read_u8().ok());
  expect_error(r.read_u64(), Errc::truncated);
  EXPECT_EQ(r.position(), 1u);
  expect_error(r.read_u32(), Errc::truncated);
  EXPECT_EQ(r.position(), 1u);
  EXPECT_EQ(*r.read_u16(), 0x0102);
  expect_error(r.read_u16(), Errc::truncated);
  EXPECT_EQ(*r.read_u8(), 0x03);
  expect_error(r.read_u8(), Errc::truncated);
  EXPECT_EQ(r.position(), 4u);
}

TEST(Reader, EmptyInputFailsEveryRead) {
  Reader r(BytesView{});
  expect_error(r.read_u8(), Errc::truncated);
  expect_error(r.read_u16(), Errc::truncated);
  expect_error(r.read_u32(), Errc::truncated);
  expect_error(r.read_u64(), Errc::truncated);
  expect_error(r.read_varint(), Errc::truncated);
  expect_error(r.read_opaque(), Errc::truncated);
  expect_error(r.read_vector(), Errc::truncated);
  expect_error(r.read_bytes(1), Errc::truncated);
  EXPECT_TRUE(r.read_bytes(0).ok());
  EXPECT_TRUE(r.finish().ok());
}

struct VarintCase {
  Bytes wire;
  uint32_t value;
};

TEST(Reader, VarintBoundariesAndRfcExamples) {
  const std::vector<VarintCase> cases = {
      {{0x00}, 0},
      {{0x3f}, 63},
      {{0x40, 0x40}, 64},
      {{0x7f, 0xff}, 16383},
      {{0x80, 0x00, 0x40, 0x00}, 16384},
      {{0xbf, 0xff, 0xff, 0xff}, (1u << 30) - 1},
      // RFC 9420 section 2.1.2 examples.
      {{0x9d, 0x7f, 0x3e, 0x7d}, 494878333},
      {{0x7b, 0xbd}, 15293},
      {{0x25}, 37},
  };
  for (const auto& c : cases) {
    Reader r(c.wire);
    auto v = r.read_varint();
    ASSERT_TRUE(v.ok()) << c.value;
    EXPECT_EQ(*v, c.value);
    EXPECT_TRUE(r.empty()) << c.value;
  }
}

TEST(Reader, VarintRejectsNonMinimalEncodings) {
  const std::vector<Bytes> cases = {
      {0x40, 0x00},              // 0 in two bytes
      {0x40, 0x25},              // 37 in two bytes (RFC example)
      {0x40, 0x3f},              // 63 in two bytes
      {0x80, 0x00, 0x00, 0x00},  // 0 in four bytes
      {0x80, 0x00, 0x00, 0x3f},  // 63 in four bytes
      {0x80, 0x00, 0x3f, 0xff},  // 16383 in four bytes
  };
  for (const auto& wire : cases) {
    Reader r(wire);
    expect_error(r.read_varint(), Errc::non_minimal_varint);
    EXPECT_EQ(r.position(), 0u);
  }
  // The smallest value of each form is accepted.
  for (const Bytes& wire : {Bytes{0x40, 0x40}, Bytes{0x80, 0x00, 0x40, 0x00}}) {
    Reader r(wire);
    EXPECT_TRUE(r.read_varint().ok());
  }
}

TEST(Reader, VarintRejectsPrefix11) {
  for (const Bytes& wire : {Bytes{0xc0}, Bytes{0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01},
                            Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}) {
    Reader r(wire);
    expect_error(r.read_varint(), Errc::invalid_varint_prefix);
    EXPECT_EQ(r.position(), 0u);
  }
}

TEST(Reader, VarintTruncatedFailsCleanly) {
  for (const Bytes& wire : {Bytes{0x40}, Bytes{0x80}, Bytes{0x80, 0x00}, Bytes{0xbf, 0xff, 0xff}}) {
    Reader r(wire);
    expect_error(r.read_varint(), Errc::truncated);
    EXPECT_EQ(r.position(), 0u);
  }
}

TEST(Reader, ReadBytesAndOpaqueReturnViewsIntoTheInput) {
  const Bytes in = {0x01, 0x02, 0x03, 0x02, 0xaa, 0xbb, 0x00, 0x09};
  Reader r(in);
  auto raw = r.read_bytes(3);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->data(), in.data());
  EXPECT_EQ(raw->size(), 3u);
  auto op = r.read_opaque();
  ASSERT_TRUE(op.ok());
  EXPECT_EQ(op->data(), in.data() + 4);
  EXPECT_TRUE(equal(*op, Bytes{0xaa, 0xbb}));
  auto empty = r.read_opaque();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(r.remaining(), 1u);
  expect_error(r.finish(), Errc::trailing_data);
  EXPECT_TRUE(equal(r.rest(), Bytes{0x09}));
}

TEST(Reader, LengthBeyondRemainingInputIsRejectedAndKeepsPosition) {
  // A 2^30-1 byte opaque announced in four bytes, followed by two bytes.
  const Bytes in = {0xbf, 0xff, 0xff, 0xff, 0x01, 0x02};
  Reader r(in);
  expect_error(r.read_opaque(), Errc::length_too_large);
  EXPECT_EQ(r.position(), 0u);
  expect_error(r.read_vector(), Errc::length_too_large);
  EXPECT_EQ(r.position(), 0u);
  // One byte more than there is.
  const Bytes short_by_one = {0x03, 0x01, 0x02};
  Reader s(short_by_one);
  expect_error(s.read_opaque(), Errc::length_too_large);
  EXPECT_EQ(s.position(), 0u);
  expect_error(s.read_bytes(4), Errc::truncated);
  EXPECT_EQ(s.position(), 0u);
}

TEST(Reader, LengthCapIsConfigurable) {
  const Bytes in = {0x04, 0x01, 0x02, 0x03, 0x04};
  Reader capped(in, ReaderLimits{.max_depth = 64, .max_length = 3});
  expect_error(capped.read_opaque(), Errc::length_too_large);
  expect_error(capped.read_vector(), Errc::length_too_large);
  EXPECT_EQ(capped.position(), 0u);
  Reader exact(in, ReaderLimits{.max_depth = 64, .max_length = 4});
  EXPECT_TRUE(exact.read_opaque().ok());
}

TEST(Reader, ReadVectorGivesASubReaderOverExactlyTheBlock) {
  // uint16 items<V> = {0x0102, 0x0304}, then a trailing uint8.
  const Bytes in = {0x04, 0x01, 0x02, 0x03, 0x04, 0x99};
  Reader r(in);
  auto items = r.read_vector();
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(r.position(), 5u);
  EXPECT_EQ(items->remaining(), 4u);
  EXPECT_EQ(items->depth(), r.depth() + 1);
  std::vector<uint16_t> got;
  while (!items->empty()) {
    auto v = items->read_u16();
    ASSERT_TRUE(v.ok());
    got.push_back(*v);
  }
  EXPECT_EQ(got, (std::vector<uint16_t>{0x0102, 0x0304}));
  // The sub-reader cannot see past its block.
  expect_error(items->read_u8(), Errc::truncated);
  EXPECT_EQ(*r.read_u8(), 0x99);
}

TEST(Reader, SubReaderDoesNotReadIntoTheParent) {
  // A two-byte block holding a uint8 and the start of a uint16.
  const Bytes in = {0x02, 0x01, 0x02, 0x03};
  Reader r(in);
  auto block = r.read_vector();
  ASSERT_TRUE(block.ok());
  EXPECT_TRUE(block->read_u8().ok());
  expect_error(block->read_u16(), Errc::truncated);
}

TEST(Reader, NestingDepthIsLimited) {
  // Three nested vectors: 02 01 00 -> {{{}}}.
  const Bytes in = {0x02, 0x01, 0x00};
  Reader r(in, ReaderLimits{.max_depth = 2, .max_length = kMaxVarint});
  auto one = r.read_vector();
  ASSERT_TRUE(one.ok());
  auto two = one->read_vector();
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->depth(), 2u);
  expect_error(two->read_vector(), Errc::nesting_too_deep);
  EXPECT_EQ(two->position(), 0u);
  expect_error(two->enter_nested(), Errc::nesting_too_deep);

  Reader s(in, ReaderLimits{.max_depth = 1, .max_length = kMaxVarint});
  ASSERT_TRUE(s.enter_nested().ok());
  EXPECT_EQ(s.depth(), 1u);
  expect_error(s.read_vector(), Errc::nesting_too_deep);
  s.leave_nested();
  EXPECT_TRUE(s.read_vector().ok());
}

TEST(Reader, ConsumedSinceAndRewind) {
  const Bytes in = {0x01, 0x02, 0x03, 0x04};
  Reader r(in);
  ASSERT_TRUE(r.read_u8().ok());
  const size_t mark = r.position();
  ASSERT_TRUE(r.read_u16().ok());
  EXPECT_TRUE(equal(r.consumed_since(mark), Bytes{0x02, 0x03}));
  r.rewind(mark);
  EXPECT_EQ(*r.read_u8(), 0x02);
}

}  // namespace
}  // namespace conclave::codec
