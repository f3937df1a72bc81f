#include "conclave/rtp/vp8_payload_descriptor.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

TEST(Vp8PayloadDescriptor, MinimalDescriptor) {
  // S=1 PID=0, no extensions.
  auto p = Vp8PayloadDescriptor::parse(hex("10" "9d012a"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->second, 1u);
  EXPECT_TRUE(p->first.start_of_partition);
  EXPECT_EQ(p->first.partition_index, 0);
  EXPECT_FALSE(p->first.picture_id.has_value());
  EXPECT_EQ(to_hex(p->first.serialize().value()), "10");
}

TEST(Vp8PayloadDescriptor, AllExtensionsKnownBytes) {
  // X N S PID=3: 1 0 1 1 0 011 = b3; I L T K = f0; M=1 PictureID 0x1234 ->
  // 92 34; TL0PICIDX 7; TID=2 Y=1 KEYIDX=5 -> 10 1 00101 = a5.
  const char* k = "b3" "f0" "9234" "07" "a5";
  auto p = Vp8PayloadDescriptor::parse(hex(k));
  ASSERT_TRUE(p.ok());
  const auto& d = p->first;
  EXPECT_EQ(p->second, 6u);
  EXPECT_TRUE(d.non_reference);
  EXPECT_TRUE(d.start_of_partition);
  EXPECT_EQ(d.partition_index, 3);
  EXPECT_EQ(d.picture_id, 0x1234);
  EXPECT_TRUE(d.long_picture_id);
  EXPECT_EQ(d.tl0_pic_idx, 7);
  EXPECT_EQ(d.temporal_id, 2);
  EXPECT_TRUE(d.layer_sync);
  EXPECT_EQ(d.key_idx, 5);
  EXPECT_EQ(d.size(), 6u);
  EXPECT_EQ(to_hex(d.serialize().value()), k);
}

TEST(Vp8PayloadDescriptor, ShortPictureIdAndIgnoredFields) {
  // 7-bit PictureID 0x55; K only: the TID/Y bits are ignored.
  auto p = Vp8PayloadDescriptor::parse(hex("90" "90" "55" "ff"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->first.picture_id, 0x55);
  EXPECT_FALSE(p->first.long_picture_id);
  EXPECT_FALSE(p->first.temporal_id.has_value());
  EXPECT_FALSE(p->first.layer_sync);
  EXPECT_EQ(p->first.key_idx, 31);
  EXPECT_EQ(to_hex(p->first.serialize().value()), "90905" "51f");
}

TEST(Vp8PayloadDescriptor, TruncationAtEveryByte) {
  const Bytes full = hex("b3f0923407a5");
  for (size_t n = 0; n < full.size(); ++n) {
    auto p = Vp8PayloadDescriptor::parse(BytesView(full).first(n));
    ASSERT_FALSE(p.ok()) << n;
    EXPECT_TRUE(p.error().is(Errc::truncated));
  }
}

TEST(Vp8PayloadDescriptor, RejectsOutOfRangeFields) {
  Vp8PayloadDescriptor d;
  d.partition_index = 8;
  EXPECT_FALSE(d.serialize().ok());
  d = {};
  d.picture_id = 128;
  d.long_picture_id = false;
  EXPECT_FALSE(d.serialize().ok());
  d.picture_id = 0x8000;
  d.long_picture_id = true;
  EXPECT_FALSE(d.serialize().ok());
  d = {};
  d.temporal_id = 4;
  EXPECT_FALSE(d.serialize().ok());
  d = {};
  d.key_idx = 32;
  EXPECT_FALSE(d.serialize().ok());
}

TEST(Vp8PayloadDescriptor, KeyFrameBit) {
  EXPECT_TRUE(Vp8PayloadDescriptor::is_key_frame(hex("5002009d012a")));  // tag P=0, start code
  EXPECT_FALSE(Vp8PayloadDescriptor::is_key_frame(hex("31")));     // P=1
  EXPECT_FALSE(Vp8PayloadDescriptor::is_key_frame({}));
}

}  // namespace
}  // namespace conclave::rtp
