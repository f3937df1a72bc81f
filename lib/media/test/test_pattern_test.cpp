#include "conclave/media/test_pattern.h"

#include <gtest/gtest.h>

#include "conclave/media/quality.h"

namespace conclave::media {
namespace {

TestPattern make(uint32_t w = 640, uint32_t h = 360, uint32_t fps = 30) {
  auto p = TestPattern::create({w, h, fps});
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  return std::move(p).value();
}

TEST(TestPattern, FramesAreAFunctionOfTheIndex) {
  const TestPattern a = make();
  const TestPattern b = make();
  EXPECT_EQ(a.frame(17), b.frame(17));
  EXPECT_EQ(a.frame(0), a.frame(0));
  EXPECT_FALSE(a.frame(17) == a.frame(18));
}

TEST(TestPattern, TimestampsFollowTheRate) {
  EXPECT_EQ(make(640, 360, 30).frame(10).timestamp(), 30000);
  EXPECT_EQ(make(640, 360, 25).frame(3).timestamp(), 10800);
  EXPECT_EQ(make(640, 360, 30).frame(0).timestamp(), 0);
}

TEST(TestPattern, DrawsColourBarsBelowTheCounter) {
  const TestPattern p = make();
  const VideoFrame f = p.frame(0);
  // 640 / 8 = 80 pixels per bar; row 300 is below the counter, and the box
  // starts at the left in frame 0, so look at the right half.
  const uint32_t y = 350;
  EXPECT_EQ(f.at(Plane::y, 5 * 80 + 40, y), 65);  // red
  EXPECT_EQ(f.at(Plane::v, (5 * 80 + 40) / 2, y / 2), 212);
  EXPECT_EQ(f.at(Plane::y, 7 * 80 + 40, y), 16);             // black
  EXPECT_EQ(f.at(Plane::u, (6 * 80 + 40) / 2, y / 2), 212);  // blue
}

TEST(TestPattern, TheBoxMoves) {
  const TestPattern p = make();
  const auto b0 = p.box(0);
  const auto b5 = p.box(5);
  EXPECT_GT(b0.side, 0U);
  EXPECT_NE(b0.x, b5.x);
  EXPECT_NE(b0.y, b5.y);
  const VideoFrame f = p.frame(5);
  EXPECT_EQ(f.at(Plane::y, b5.x + b5.side / 2, b5.y + b5.side / 2), 235);  // inside
  EXPECT_EQ(f.at(Plane::y, b5.x, b5.y), 16);                               // border
  // The box stays inside the frame and below the counter for a long run.
  for (uint64_t i = 0; i < 2000; i += 7) {
    const auto b = p.box(i);
    EXPECT_LE(b.x + b.side, 640U);
    EXPECT_LE(b.y + b.side, 360U);
    EXPECT_GE(b.y, 48U);
    EXPECT_EQ(b.x % 2, 0U);
    EXPECT_EQ(b.y % 2, 0U);
  }
}

TEST(TestPattern, CounterReadsBackAtManySizes) {
  for (auto [w, h] : {std::pair{640U, 360U},
                      {1280U, 720U},
                      {160U, 90U},
                      {161U, 33U},
                      {4000U, 100U},
                      {321U, 241U}}) {
    const TestPattern p = make(w, h);
    for (uint64_t i : {uint64_t{0}, uint64_t{1}, uint64_t{0x5a5a5a5a}, uint64_t{0xffffffff},
                       uint64_t{0x1234567890}}) {
      EXPECT_EQ(frame_index_of(p.frame(i)), static_cast<uint32_t>(i)) << w << "x" << h;
    }
  }
}

TEST(TestPattern, RejectsSizesWithoutRoomForTheCounter) {
  EXPECT_TRUE(TestPattern::create({159, 360, 30}).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(TestPattern::create({640, 31, 30}).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(TestPattern::create({20000, 360, 30}).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(TestPattern::create({640, 360, 0}).error().is(Errc::invalid_argument));
}

}  // namespace
}  // namespace conclave::media
