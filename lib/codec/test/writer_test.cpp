#include "conclave/codec/writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "conclave/codec/reader.h"

namespace conclave::codec {
namespace {

TEST(Writer, WritesBigEndianIntegers) {
  Writer w;
  w.write_u8(0x01);
  w.write_u16(0x0203);
  w.write_u32(0x04050607);
  w.write_u64(0x08090a0b0c0d0e0f);
  const Bytes want = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                      0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
  EXPECT_EQ(w.take(), want);
  EXPECT_EQ(w.size(), 0u);
}

TEST(Writer, VarintBoundariesUseTheMinimalForm) {
  struct Case {
    uint32_t value;
    Bytes wire;
  };
  const std::vector<Case> cases = {
      {0, {0x00}},
      {63, {0x3f}},
      {64, {0x40, 0x40}},
      {16383, {0x7f, 0xff}},
      {16384, {0x80, 0x00, 0x40, 0x00}},
      {(1u << 30) - 1, {0xbf, 0xff, 0xff, 0xff}},
      {494878333, {0x9d, 0x7f, 0x3e, 0x7d}},
      {15293, {0x7b, 0xbd}},
      {37, {0x25}},
  };
  for (const auto& c : cases) {
    Writer w;
    w.write_varint(c.value);
    EXPECT_EQ(w.take(), c.wire) << c.value;
  }
}

TEST(Writer, VarintRoundTripsAroundEveryBoundary) {
  std::vector<uint32_t> values;
  for (uint32_t edge : {0u, 64u, 16384u, kMaxVarint - 2}) {
    for (uint32_t d = 0; d < 5; ++d) values.push_back(edge + d);
    if (edge >= 3) {
      for (uint32_t d = 1; d < 4; ++d) values.push_back(edge - d);
    }
  }
  for (uint32_t v = 1; v < kMaxVarint / 3; v = v * 3 + 1) values.push_back(v);
  for (uint32_t v : values) {
    if (v > kMaxVarint) continue;
    Writer w;
    w.write_varint(v);
    EXPECT_EQ(w.size(), varint_size(v));
    Reader r(w.view());
    auto back = r.read_varint();
    ASSERT_TRUE(back.ok()) << v;
    EXPECT_EQ(*back, v);
    EXPECT_TRUE(r.empty());
  }
}

TEST(Writer, OpaqueIsLengthThenBytes) {
  Writer w;
  w.write_opaque(Bytes{0xaa, 0xbb, 0xcc});
  w.write_opaque(BytesView{});
  EXPECT_EQ(w.take(), (Bytes{0x03, 0xaa, 0xbb, 0xcc, 0x00}));
}

// A block of `n` bytes 0, 1, 2, ... (mod 256).
Bytes pattern(size_t n) {
  Bytes out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i);
  return out;
}

TEST(Writer, BackPatchedVectorsMatchOpaqueEncodingAtEverySize) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{16383},
                   size_t{16384}, size_t{70000}}) {
    const Bytes content = pattern(n);
    Writer patched;
    patched.write_u8(0xee);
    auto mark = patched.begin_vector();
    patched.write_bytes(content);
    patched.end_vector(mark);
    patched.write_u8(0xff);

    Writer direct;
    direct.write_u8(0xee);
    direct.write_opaque(content);
    direct.write_u8(0xff);
    EXPECT_EQ(patched.take(), direct.take()) << n;
  }
}

TEST(Writer, NestedVectorsAreEachPatched) {
  // outer<V> = { inner<V> = {70 bytes}, inner2<V> = {}, u8 }.
  Writer w;
  auto outer = w.begin_vector();
  auto inner = w.begin_vector();
  w.write_bytes(pattern(70));
  w.end_vector(inner);
  w.write_vector([](Writer&) {});
  w.write_u8(0x42);
  w.end_vector(outer);

  Bytes want = {0x40, 70 + 2 + 1 + 1, 0x40, 70};
  const Bytes body = pattern(70);
  want.insert(want.end(), body.begin(), body.end());
  want.push_back(0x00);
  want.push_back(0x42);
  EXPECT_EQ(w.take(), want);
}

TEST(Writer, DeeplyNestedVectors) {
  constexpr size_t kDepth = 3000;
  Writer w;
  std::vector<Writer::VectorMark> marks;
  for (size_t i = 0; i < kDepth; ++i) marks.push_back(w.begin_vector());
  for (size_t i = kDepth; i > 0; --i) w.end_vector(marks[i - 1]);
  const Bytes out = w.take();
  // Walk back down through the headers.
  Reader r(out, ReaderLimits{.max_depth = kDepth, .max_length = kMaxVarint});
  size_t levels = 0;
  while (!r.empty()) {
    auto sub = r.read_vector();
    ASSERT_TRUE(sub.ok());
    EXPECT_TRUE(r.empty());
    r = *sub;
    ++levels;
  }
  EXPECT_EQ(levels, kDepth);
}

TEST(Writer, AppendsToAGivenBuffer) {
  Writer w(Bytes{0x01, 0x02});
  w.write_u8(0x03);
  auto mark = w.begin_vector();
  w.write_u8(0x04);
  w.end_vector(mark);
  EXPECT_EQ(w.size(), 5u);
  EXPECT_EQ(w.take(), (Bytes{0x01, 0x02, 0x03, 0x01, 0x04}));
}

using WriterDeathTest = ::testing::Test;

TEST(WriterDeathTest, VarintOfTwoToTheThirtyIsOurBug) {
  Writer w;
  EXPECT_DEATH(w.write_varint(kMaxVarint + 1), "value <= kMaxVarint");
}

TEST(WriterDeathTest, VectorsMustBeClosedInnermostFirst) {
  Writer w;
  auto outer = w.begin_vector();
  auto inner = w.begin_vector();
  EXPECT_DEATH(w.end_vector(outer), "CV_CHECK failed: .*mark.level_");
  w.end_vector(inner);
  w.end_vector(outer);
  EXPECT_EQ(w.take(), (Bytes{0x01, 0x00}));
}

TEST(WriterDeathTest, TakeWithAnOpenVectorIsOurBug) {
  Writer w;
  auto mark = w.begin_vector();
  EXPECT_DEATH((void)w.take(), "open_vectors_ == 0");
  w.end_vector(mark);
}

}  // namespace
}  // namespace conclave::codec
