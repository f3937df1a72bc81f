#include "conclave/media/ivf_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace conclave::media {
namespace {

std::string le(uint64_t v, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return s;
}

std::string file_header(uint16_t header_size = 32, const std::string& fourcc = "VP80",
                        uint16_t w = 320, uint16_t h = 180, uint32_t den = 90000, uint32_t num = 1,
                        uint16_t version = 0) {
  return "DKIF" + le(version, 2) + le(header_size, 2) + fourcc + le(w, 2) + le(h, 2) + le(den, 4) +
         le(num, 4) + le(7, 4) + le(0, 4);
}

std::string frame(const std::string& data, uint64_t ts) {
  return le(data.size(), 4) + le(ts, 8) + data;
}

Result<IvfReader> open(std::istringstream& in, const IvfLimits& limits = {}) {
  return IvfReader::open(in, limits);
}

TEST(IvfReader, ReadsHeaderAndFrames) {
  std::istringstream in(file_header() + frame("\x10key", 0) +
                        frame("\x11"
                              "delta",
                              3000) +
                        frame("", 6000));
  auto r = open(in);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->header().width, 320U);
  EXPECT_EQ(r->header().height, 180U);
  EXPECT_EQ(r->header().frame_count, 7U);
  auto a = r->next();
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_TRUE((*a)->key_frame);
  EXPECT_EQ((*a)->data.size(), 4U);
  EXPECT_EQ((*a)->width, 320U);
  auto b = r->next();
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_FALSE((*b)->key_frame);
  EXPECT_EQ((*b)->timestamp, 3000);
  auto c = r->next();
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_TRUE((*c)->data.empty());
  EXPECT_FALSE((*c)->key_frame);
  auto end = r->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
  EXPECT_EQ(r->frames_read(), 3U);
}

TEST(IvfReader, ConvertsTimebasesAndSkipsLongHeaders) {
  // Timebase 1/30 (vpxenc's default): frame 2 is at 6000 in 90 kHz.
  std::istringstream in(file_header(40, "VP80", 2, 2, 30, 1) + std::string(8, 'x') +
                        frame("\x10", 2));
  auto r = open(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header().timebase_den, 30U);
  auto f = r->next();
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->timestamp, 6000);
}

struct Bad {
  const char* name;
  std::string bytes;
  Errc expected;
};

TEST(IvfReader, RejectsMalformedHeaders) {
  const Bad cases[] = {
      {"empty", "", Errc::truncated},
      {"short", file_header().substr(0, 31), Errc::truncated},
      {"magic", "DKIX" + file_header().substr(4), Errc::invalid_header},
      {"version", file_header(32, "VP80", 2, 2, 90000, 1, 1), Errc::unsupported_format},
      {"header size small", file_header(31), Errc::invalid_header},
      {"header size huge", file_header(4000), Errc::too_large},
      {"header extension missing", file_header(64), Errc::truncated},
      {"vp9", file_header(32, "VP90"), Errc::unsupported_format},
      {"zero width", file_header(32, "VP80", 0, 2), Errc::invalid_dimensions},
      {"zero height", file_header(32, "VP80", 2, 0), Errc::invalid_dimensions},
      {"zero rate", file_header(32, "VP80", 2, 2, 0, 1), Errc::invalid_header},
      {"zero scale", file_header(32, "VP80", 2, 2, 90000, 0), Errc::invalid_header},
  };
  for (const auto& c : cases) {
    std::istringstream in(c.bytes);
    auto r = open(in);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_TRUE(r.error().is(c.expected)) << c.name << " -> " << r.error().to_string();
  }
}

TEST(IvfReader, RejectsMalformedFramesAndTheErrorSticks) {
  const Bad cases[] = {
      {"short frame header", file_header() + le(3, 4) + le(0, 4), Errc::truncated},
      {"short frame", file_header() + le(10, 4) + le(0, 8) + "abc", Errc::truncated},
      {"huge frame", file_header() + le(0xffffffff, 4) + le(0, 8) + "abc", Errc::too_large},
      {"timestamp beyond int64", file_header() + frame("a", ~uint64_t{0}), Errc::too_large},
      {"timestamp overflows conversion",
       file_header(32, "VP80", 2, 2, 1, 1000) + frame("a", uint64_t{1} << 50), Errc::too_large},
  };
  for (const auto& c : cases) {
    std::istringstream in(c.bytes);
    auto r = open(in);
    ASSERT_TRUE(r.ok()) << c.name;
    auto f = r->next();
    ASSERT_FALSE(f.ok()) << c.name;
    EXPECT_TRUE(f.error().is(c.expected)) << c.name << " -> " << f.error().to_string();
    EXPECT_TRUE(r->next().error().is(c.expected)) << c.name;
  }
  std::istringstream in(file_header() + frame("abcdef", 0));
  auto r = open(in, {.max_frame_size = 5});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->next().error().is(Errc::too_large));
}

TEST(IvfReader, MissingFileIsAnIoError) {
  EXPECT_TRUE(IvfReader::open_file("/nonexistent/x.ivf").error().is(Errc::io_error));
}

}  // namespace
}  // namespace conclave::media
