#include "conclave/media/vp8_frame_header.h"

#include <gtest/gtest.h>

namespace conclave::media {
namespace {

// A key frame header (RFC 6386 section 9.1): show_frame, version 0, first
// partition of 4 bytes, 640 x 360 with no scaling, then 4 partition bytes.
Bytes key_frame() {
  const uint32_t tag = 0 | (0 << 1) | (1 << 4) | (4 << 5);
  return {static_cast<uint8_t>(tag),
          static_cast<uint8_t>(tag >> 8),
          static_cast<uint8_t>(tag >> 16),
          0x9d,
          0x01,
          0x2a,
          0x80,
          0x02,
          0x68,
          0x41,
          1,
          2,
          3,
          4};
}

TEST(Vp8FrameHeader, ParsesKeyFrame) {
  auto h = Vp8FrameHeader::parse(key_frame());
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  EXPECT_TRUE(h->key_frame);
  EXPECT_TRUE(h->show_frame);
  EXPECT_EQ(h->version, 0);
  EXPECT_EQ(h->first_part_size, 4U);
  EXPECT_EQ(h->width, 640);
  EXPECT_EQ(h->height, 360);
  EXPECT_EQ(h->horizontal_scale, 0);
  EXPECT_EQ(h->vertical_scale, 1);  // 0x41 -> top bits 01
  EXPECT_EQ(h->header_size(), 10U);
}

TEST(Vp8FrameHeader, ParsesInterframe) {
  // Interframe, version 2, not shown, first partition 2 bytes.
  const uint32_t tag = 1 | (2 << 1) | (0 << 4) | (2 << 5);
  const Bytes f = {static_cast<uint8_t>(tag), static_cast<uint8_t>(tag >> 8),
                   static_cast<uint8_t>(tag >> 16), 0xaa, 0xbb};
  auto h = Vp8FrameHeader::parse(f);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->key_frame);
  EXPECT_FALSE(h->show_frame);
  EXPECT_EQ(h->version, 2);
  EXPECT_EQ(h->first_part_size, 2U);
  EXPECT_EQ(h->width, 0);
  EXPECT_EQ(h->header_size(), 3U);
}

TEST(Vp8FrameHeader, RejectsMalformedHeaders) {
  EXPECT_TRUE(Vp8FrameHeader::parse(Bytes{0x10, 0}).error().is(Errc::truncated));
  Bytes short_key = key_frame();
  short_key.resize(8);
  EXPECT_TRUE(Vp8FrameHeader::parse(short_key).error().is(Errc::truncated));
  Bytes bad_code = key_frame();
  bad_code[4] = 0x02;
  EXPECT_TRUE(Vp8FrameHeader::parse(bad_code).error().is(Errc::invalid_header));
  Bytes zero_width = key_frame();
  zero_width[6] = 0;
  zero_width[7] = 0;
  EXPECT_TRUE(Vp8FrameHeader::parse(zero_width).error().is(Errc::invalid_header));
  Bytes version = key_frame();
  version[0] |= 4 << 1;  // version 4
  EXPECT_TRUE(Vp8FrameHeader::parse(version).error().is(Errc::invalid_header));
  Bytes partition = key_frame();
  partition.pop_back();  // the first partition no longer fits
  EXPECT_TRUE(Vp8FrameHeader::parse(partition).error().is(Errc::truncated));
  Bytes empty_partition = key_frame();
  empty_partition[0] &= 0x1f;
  empty_partition[1] = 0;
  empty_partition[2] = 0;
  EXPECT_TRUE(Vp8FrameHeader::parse(empty_partition).error().is(Errc::invalid_header));
}

}  // namespace
}  // namespace conclave::media
