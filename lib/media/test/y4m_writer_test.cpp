#include "conclave/media/y4m_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "conclave/media/test_pattern.h"
#include "conclave/media/y4m_reader.h"

namespace conclave::media {
namespace {

TEST(Y4mWriter, WritesHeaderFrameMarkersAndTightPlanes) {
  std::stringstream out;
  auto w = Y4mWriter::create(out, 3, 3, 25, 1);
  ASSERT_TRUE(w.ok());
  auto f = VideoFrame::create(3, 3, 0, 16);  // padded rows must not be written
  ASSERT_TRUE(f.ok());
  f->fill(Plane::y, 'y');
  f->fill(Plane::u, 'u');
  f->fill(Plane::v, 'v');
  ASSERT_TRUE(w->write(*f).ok());
  ASSERT_TRUE(w->close().ok());
  EXPECT_EQ(out.str(), "YUV4MPEG2 W3 H3 F25:1 Ip A1:1 C420jpeg\nFRAME\nyyyyyyyyyuuuuvvvv");
  EXPECT_EQ(w->frames_written(), 1U);
}

TEST(Y4mWriter, RoundTripsThroughTheReader) {
  auto pattern = TestPattern::create({320, 180, 30});
  ASSERT_TRUE(pattern.ok());
  std::stringstream io;
  auto w = Y4mWriter::create(io, 320, 180, 30, 1);
  ASSERT_TRUE(w.ok());
  for (uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(w->write(pattern->frame(i)).ok());
  ASSERT_TRUE(w->close().ok());
  auto r = Y4mReader::open(io);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->header().width, 320U);
  EXPECT_EQ(r->header().fps_num, 30U);
  for (uint64_t i = 0; i < 4; ++i) {
    auto f = r->next();
    ASSERT_TRUE(f.ok() && f->has_value()) << i;
    EXPECT_EQ(**f, pattern->frame(i));  // pixels and the 90 kHz timestamp
  }
  auto end = r->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(Y4mWriter, FilesRoundTrip) {
  const auto path = std::filesystem::temp_directory_path() / "conclave_media_y4m_test.y4m";
  auto pattern = TestPattern::create({160, 90, 30});
  ASSERT_TRUE(pattern.ok());
  {
    auto w = Y4mWriter::create_file(path.string(), 160, 90);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->write(pattern->frame(7)).ok());
  }
  auto r = Y4mReader::open_file(path.string());
  ASSERT_TRUE(r.ok());
  auto f = r->next();
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->row(Plane::y, 50)[100], pattern->frame(7).row(Plane::y, 50)[100]);
  std::filesystem::remove(path);
  EXPECT_TRUE(Y4mWriter::create_file("/nonexistent-dir/x.y4m", 2, 2).error().is(Errc::io_error));
}

TEST(Y4mWriter, RefusesMismatchedFramesAndUseAfterClose) {
  std::stringstream out;
  EXPECT_TRUE(Y4mWriter::create(out, 0, 2).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(Y4mWriter::create(out, 2, 2, 0, 1).error().is(Errc::invalid_argument));
  auto w = Y4mWriter::create(out, 4, 4);
  ASSERT_TRUE(w.ok());
  auto other = VideoFrame::create(4, 2);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(w->write(*other).error().is(Errc::invalid_argument));
  ASSERT_TRUE(w->close().ok());
  auto right = VideoFrame::create(4, 4);
  EXPECT_TRUE(w->write(*right).error().is(Errc::closed));
}

}  // namespace
}  // namespace conclave::media
