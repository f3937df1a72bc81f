#include "conclave/media/video_frame.h"

#include <gtest/gtest.h>

namespace conclave::media {
namespace {

TEST(VideoFrame, CreateGivesBlackI420Planes) {
  auto f = VideoFrame::create(5, 3, 1234);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->width(), 5U);
  EXPECT_EQ(f->height(), 3U);
  EXPECT_EQ(f->timestamp(), 1234);
  EXPECT_EQ(f->plane_width(Plane::y), 5U);
  EXPECT_EQ(f->plane_height(Plane::y), 3U);
  EXPECT_EQ(f->plane_width(Plane::u), 3U);  // rounded up
  EXPECT_EQ(f->plane_height(Plane::v), 2U);
  EXPECT_EQ(f->stride(Plane::y), 5U);
  EXPECT_EQ(f->plane(Plane::y).size(), 15U);
  EXPECT_EQ(f->plane(Plane::u).size(), 6U);
  EXPECT_EQ(f->at(Plane::y, 4, 2), 16);
  EXPECT_EQ(f->at(Plane::u, 2, 1), 128);
  EXPECT_EQ(f->at(Plane::v, 0, 0), 128);
}

TEST(VideoFrame, StrideAlignPadsRowsButNotVisibleSamples) {
  auto f = VideoFrame::create(33, 17, 0, 32);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->stride(Plane::y), 64U);
  EXPECT_EQ(f->stride(Plane::u), 32U);
  EXPECT_EQ(f->row(Plane::y, 16).size(), 33U);
  EXPECT_EQ(f->plane(Plane::y).size(), 64U * 17);

  auto tight = VideoFrame::create(33, 17, 0);
  ASSERT_TRUE(tight.ok());
  f->row(Plane::y, 3)[7] = 99;
  tight->row(Plane::y, 3)[7] = 99;
  EXPECT_EQ(*f, *tight);
  // Padding does not take part in equality.
  f->plane(Plane::y)[40] = 1;
  EXPECT_EQ(*f, *tight);
  tight->row(Plane::v, 8)[16] = 0;
  EXPECT_FALSE(*f == *tight);
}

TEST(VideoFrame, EqualityLooksAtSizeAndTimestamp) {
  auto a = VideoFrame::create(4, 4, 1);
  auto b = VideoFrame::create(4, 4, 2);
  auto c = VideoFrame::create(4, 2, 1);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_FALSE(*a == *b);
  EXPECT_FALSE(*a == *c);
  b->set_timestamp(1);
  EXPECT_EQ(*a, *b);
}

TEST(VideoFrame, FillSetsVisibleSamples) {
  auto f = VideoFrame::create(3, 3, 0, 16);
  ASSERT_TRUE(f.ok());
  f->fill(Plane::u, 7);
  for (uint32_t y = 0; y < 2; ++y) {
    for (uint32_t x = 0; x < 2; ++x) EXPECT_EQ(f->at(Plane::u, x, y), 7);
  }
  EXPECT_EQ(f->at(Plane::v, 1, 1), 128);
}

TEST(VideoFrame, RejectsBadSizesAndAlignments) {
  EXPECT_TRUE(VideoFrame::create(0, 10).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(VideoFrame::create(10, 0).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(
      VideoFrame::create(VideoFrame::kMaxDimension + 1, 2).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(VideoFrame::create(2, 2, 0, 0).error().is(Errc::invalid_argument));
  EXPECT_TRUE(VideoFrame::create(2, 2, 0, 24).error().is(Errc::invalid_argument));
  EXPECT_TRUE(VideoFrame::create(2, 2, 0, 512).error().is(Errc::invalid_argument));
}

TEST(VideoFrame, DefaultIsEmpty) {
  VideoFrame f;
  EXPECT_TRUE(f.empty());
  EXPECT_EQ(f.plane(Plane::y).size(), 0U);
}

}  // namespace
}  // namespace conclave::media
