#include "conclave/media/y4m_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace conclave::media {
namespace {

Result<Y4mReader> open(std::istringstream& in, const Y4mLimits& limits = {}) {
  return Y4mReader::open(in, limits);
}

TEST(Y4mReader, ReadsAllHeaderParameters) {
  std::istringstream in(
      "YUV4MPEG2 W4 H2 F30000:1001 It A128:117 C420mpeg2 XYSCSS=420MPEG2 Xanything\n"
      "FRAME\n" +
      std::string(8, 'Y') + "UUVV" + "FRAME Ixyz\n" + std::string(8, 'y') + "uuvv");
  auto r = open(in);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const Y4mHeader& h = r->header();
  EXPECT_EQ(h.width, 4U);
  EXPECT_EQ(h.height, 2U);
  EXPECT_EQ(h.fps_num, 30000U);
  EXPECT_EQ(h.fps_den, 1001U);
  EXPECT_EQ(h.interlace, 't');
  EXPECT_EQ(h.aspect_num, 128U);
  EXPECT_EQ(h.aspect_den, 117U);
  EXPECT_EQ(h.colorspace, "420mpeg2");
  auto f0 = r->next();
  ASSERT_TRUE(f0.ok() && f0->has_value());
  EXPECT_EQ((*f0)->at(Plane::y, 3, 1), 'Y');
  EXPECT_EQ((*f0)->at(Plane::u, 1, 0), 'U');
  EXPECT_EQ((*f0)->at(Plane::v, 1, 0), 'V');
  EXPECT_EQ((*f0)->timestamp(), 0);
  auto f1 = r->next();
  ASSERT_TRUE(f1.ok() && f1->has_value());
  EXPECT_EQ((*f1)->at(Plane::v, 0, 0), 'v');
  EXPECT_EQ((*f1)->timestamp(), 3003);  // 90000 * 1001 / 30000
  EXPECT_EQ(r->frames_read(), 2U);
  auto end = r->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(Y4mReader, DefaultsAndOddSizes) {
  // 3 x 3: chroma 2 x 2.
  std::istringstream in("YUV4MPEG2 W3 H3\nFRAME\n" + std::string(9 + 4 + 4, 'a'));
  auto r = open(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header().fps_num, 30U);
  EXPECT_EQ(r->header().colorspace, "420jpeg");
  EXPECT_EQ(r->header().interlace, 'p');
  auto f = r->next();
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->plane_width(Plane::u), 2U);
}

TEST(Y4mReader, AcceptsEveryI420Colorspace) {
  for (const char* c : {"420jpeg", "420paldv", "420mpeg2", "420"}) {
    std::istringstream in(std::string("YUV4MPEG2 W2 H2 C") + c + "\n");
    EXPECT_TRUE(open(in).ok()) << c;
  }
  for (const char* c : {"444", "422", "mono", "420p10", "411"}) {
    std::istringstream in(std::string("YUV4MPEG2 W2 H2 C") + c + "\n");
    auto r = open(in);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(Errc::unsupported_format)) << c;
  }
}

struct BadHeader {
  const char* text;
  Errc expected;
};

TEST(Y4mReader, RejectsMalformedHeaders) {
  const BadHeader cases[] = {
      {"", Errc::truncated},
      {"YUV4MPEG2 W2 H2", Errc::truncated},  // no newline
      {"YUV4MPEG W2 H2\n", Errc::invalid_header},
      {"RIFF\n", Errc::invalid_header},
      {"YUV4MPEG2W2 H2\n", Errc::invalid_header},
      {"YUV4MPEG2 W2\n", Errc::invalid_header},
      {"YUV4MPEG2 H2\n", Errc::invalid_header},
      {"YUV4MPEG2 W2  H2\n", Errc::invalid_header},
      {"YUV4MPEG2 W2 H2 \n", Errc::invalid_header},
      {"YUV4MPEG2 W-2 H2\n", Errc::invalid_header},
      {"YUV4MPEG2 W2x H2\n", Errc::invalid_header},
      {"YUV4MPEG2 W99999999999 H2\n", Errc::invalid_header},
      {"YUV4MPEG2 W2 H2 F30\n", Errc::invalid_header},
      {"YUV4MPEG2 W2 H2 F0:1\n", Errc::invalid_header},
      {"YUV4MPEG2 W2 H2 F30:0\n", Errc::invalid_header},
      {"YUV4MPEG2 W2 H2 Iq\n", Errc::invalid_header},
      {"YUV4MPEG2 W2 H2 A1\n", Errc::invalid_header},
      {"YUV4MPEG2 W2 H2 Z1\n", Errc::invalid_header},
      {"YUV4MPEG2 W0 H2\n", Errc::invalid_dimensions},
      {"YUV4MPEG2 W2 H0\n", Errc::invalid_dimensions},
      {"YUV4MPEG2 W100000 H2\n", Errc::invalid_dimensions},
      {"YUV4MPEG2 W8192 H8192\n", Errc::invalid_dimensions},  // beyond max_pixels
  };
  for (const auto& c : cases) {
    std::istringstream in(c.text);
    auto r = open(in);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_TRUE(r.error().is(c.expected)) << c.text << " -> " << r.error().to_string();
  }
  std::istringstream long_line("YUV4MPEG2 W2 H2 X" + std::string(5000, 'x') + "\n");
  EXPECT_TRUE(open(long_line).error().is(Errc::too_large));
}

TEST(Y4mReader, LimitsAreConfigurable) {
  std::istringstream in("YUV4MPEG2 W640 H360\n");
  EXPECT_TRUE(open(in, {.max_width = 320}).error().is(Errc::invalid_dimensions));
  std::istringstream in2("YUV4MPEG2 W640 H360\n");
  EXPECT_TRUE(open(in2, {.max_pixels = 1000}).error().is(Errc::invalid_dimensions));
  std::istringstream in3("YUV4MPEG2 W640 H360\n");
  EXPECT_TRUE(open(in3, {.max_line = 10}).error().is(Errc::too_large));
}

TEST(Y4mReader, MalformedFramesAreErrorsThatStick) {
  const std::string header = "YUV4MPEG2 W2 H2\n";
  const std::string frame = "FRAME\n" + std::string(6, 'p');
  {
    std::istringstream in(header + frame + "FRAME\n" + std::string(5, 'p'));
    auto r = open(in);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->next().ok());
    EXPECT_TRUE(r->next().error().is(Errc::truncated));
    EXPECT_TRUE(r->next().error().is(Errc::truncated));  // sticks
  }
  {
    std::istringstream in(header + "FRAMEX\n" + std::string(6, 'p'));
    auto r = open(in);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->next().error().is(Errc::invalid_header));
  }
  {
    std::istringstream in(header + "FRAM");
    auto r = open(in);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->next().error().is(Errc::truncated));
  }
  {
    std::istringstream in(header + "FRAME " + std::string(2000, 'x') + "\n");
    auto r = open(in);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->next().error().is(Errc::too_large));
  }
}

TEST(Y4mReader, MissingFileIsAnIoError) {
  EXPECT_TRUE(Y4mReader::open_file("/nonexistent/x.y4m").error().is(Errc::io_error));
}

}  // namespace
}  // namespace conclave::media
