#include "conclave/media/ivf_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "conclave/media/ivf_reader.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/vp8_decoder.h"
#include "conclave/media/vp8_encoder.h"

namespace conclave::media {
namespace {

uint64_t le(const std::string& s, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<uint8_t>(s[at + i])} << (8 * i);
  return v;
}

TEST(IvfWriter, WritesTheDocumentedLayout) {
  std::stringstream out;
  auto w = IvfWriter::create(out, 640, 360);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->write({.data = {1, 2, 3}, .timestamp = 3000}).ok());
  ASSERT_TRUE(w->write({.data = {}, .timestamp = 6000}).ok());
  ASSERT_TRUE(w->close().ok());
  const std::string s = out.str();
  ASSERT_EQ(s.size(), 32U + 12 + 3 + 12);
  EXPECT_EQ(s.substr(0, 4), "DKIF");
  EXPECT_EQ(le(s, 4, 2), 0U);
  EXPECT_EQ(le(s, 6, 2), 32U);
  EXPECT_EQ(s.substr(8, 4), "VP80");
  EXPECT_EQ(le(s, 12, 2), 640U);
  EXPECT_EQ(le(s, 14, 2), 360U);
  EXPECT_EQ(le(s, 16, 4), 90000U);
  EXPECT_EQ(le(s, 20, 4), 1U);
  EXPECT_EQ(le(s, 24, 4), 2U);  // patched frame count
  EXPECT_EQ(le(s, 32, 4), 3U);
  EXPECT_EQ(le(s, 36, 8), 3000U);
  EXPECT_EQ(s.substr(44, 3), "\x01\x02\x03");
  EXPECT_EQ(le(s, 47, 4), 0U);
  EXPECT_EQ(le(s, 51, 8), 6000U);
  EXPECT_EQ(w->frames_written(), 2U);
}

TEST(IvfWriter, EncodedStreamRoundTripsAndDecodes) {
  auto pattern = TestPattern::create({320, 180, 30});
  auto encoder = Vp8Encoder::create({.width = 320, .height = 180});
  ASSERT_TRUE(pattern.ok() && encoder.ok());
  std::vector<EncodedFrame> sent;
  std::stringstream io;
  {
    auto w = IvfWriter::create(io, 320, 180);
    ASSERT_TRUE(w.ok());
    for (uint64_t i = 0; i < 10; ++i) {
      auto out = encoder->encode(pattern->frame(i));
      ASSERT_TRUE(out.ok() && out->size() == 1);
      sent.push_back(out->front());
      ASSERT_TRUE(w->write(sent.back()).ok());
    }
    IvfWriter moved = std::move(w).value();  // the destructor of `moved` closes
  }
  auto r = IvfReader::open(io);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->header().frame_count, 10U);
  auto decoder = Vp8Decoder::create();
  ASSERT_TRUE(decoder.ok());
  for (const EncodedFrame& expected : sent) {
    auto f = r->next();
    ASSERT_TRUE(f.ok() && f->has_value());
    EXPECT_EQ(**f, expected);  // data, key flag, size, timestamp
    auto picture = decoder->decode((*f)->data, (*f)->timestamp);
    ASSERT_TRUE(picture.ok() && picture->has_value());
  }
  auto end = r->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(IvfWriter, FileRoundTrip) {
  const auto path = std::filesystem::temp_directory_path() / "conclave_media_ivf_test.ivf";
  {
    auto w = IvfWriter::create_file(path.string(), 2, 2);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->write({.data = {0x10, 0x20}, .timestamp = 1}).ok());
  }
  auto r = IvfReader::open_file(path.string());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header().frame_count, 1U);
  auto f = r->next();
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->data, (Bytes{0x10, 0x20}));
  EXPECT_TRUE((*f)->key_frame);  // bit 0 of 0x10 is 0
  std::filesystem::remove(path);
}

TEST(IvfWriter, RefusesBadInput) {
  std::stringstream out;
  EXPECT_TRUE(IvfWriter::create(out, 0, 2).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(IvfWriter::create(out, 70000, 2).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(IvfWriter::create_file("/nonexistent-dir/x.ivf", 2, 2).error().is(Errc::io_error));
  auto w = IvfWriter::create(out, 2, 2);
  ASSERT_TRUE(w.ok());
  EncodedFrame negative;
  negative.timestamp = -1;
  EXPECT_TRUE(w->write(negative).error().is(Errc::invalid_argument));
  ASSERT_TRUE(w->close().ok());
  EXPECT_TRUE(w->write({}).error().is(Errc::closed));
}

}  // namespace
}  // namespace conclave::media
