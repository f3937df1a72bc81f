#include "conclave/media/wav_reader.h"

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

std::string chunk(const std::string& id, const std::string& body) {
  std::string s = id + le(body.size(), 4) + body;
  if (body.size() % 2 != 0) s.push_back('\0');
  return s;
}

std::string fmt_body(uint16_t format = 1, uint16_t channels = 1, uint32_t rate = 48000,
                     uint16_t bits = 16) {
  const uint16_t align = static_cast<uint16_t>(channels * bits / 8);
  return le(format, 2) + le(channels, 2) + le(rate, 4) + le(uint64_t{rate} * align, 4) +
         le(align, 2) + le(bits, 2);
}

std::string riff(const std::string& chunks) {
  return "RIFF" + le(4 + chunks.size(), 4) + "WAVE" + chunks;
}

// Samples 1, 2, ..., n as little-endian int16.
std::string ramp(size_t n) {
  std::string s;
  for (size_t i = 1; i <= n; ++i) s += le(i, 2);
  return s;
}

Result<WavReader> open(std::istringstream& in) {
  return WavReader::open(in);
}

TEST(WavReader, SkipsUnknownAndOddSizedChunks) {
  std::istringstream in(riff(chunk("fmt ", fmt_body()) + chunk("LIST", "odd") +
                             chunk("fact", "abcd") + chunk("data", ramp(5)) +
                             chunk("LIST", "after the data")));
  auto r = open(in);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->channels(), 1U);
  EXPECT_EQ(r->sample_rate(), 48000U);
  auto f = r->next(3);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->samples_per_channel(), 3U);
  EXPECT_EQ((*f)->at(2, 0), 3);
  auto g = r->next(3);
  ASSERT_TRUE(g.ok() && g->has_value());
  EXPECT_EQ((*g)->samples_per_channel(), 2U);  // the rest
  EXPECT_EQ((*g)->timestamp(), 3);
  EXPECT_EQ((*g)->at(1, 0), 5);
  auto end = r->next(3);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());  // the chunk after the data is not audio
  EXPECT_EQ(r->samples_read(), 5U);
}

TEST(WavReader, StereoAndExtensibleFormat) {
  // WAVE_FORMAT_EXTENSIBLE, cbSize 22, 16 valid bits, mask, PCM GUID.
  const std::string ext =
      le(0xfffe, 2) + le(2, 2) + le(48000, 4) + le(192000, 4) + le(4, 2) + le(16, 2) + le(22, 2) +
      le(16, 2) + le(3, 4) +
      std::string("\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71", 16);
  std::istringstream in(riff(chunk("fmt ", ext) + chunk("data", ramp(4))));
  auto r = open(in);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->channels(), 2U);
  auto f = r->next();
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->samples_per_channel(), 2U);
  EXPECT_EQ((*f)->at(1, 1), 4);
}

TEST(WavReader, UnknownDataSizeOrShortDataReadToTheEnd) {
  // 0xFFFFFFFF: a stream still being written. A trailing half sample drops.
  std::istringstream in(riff(chunk("fmt ", fmt_body())) + "data" + le(0xffffffff, 4) + ramp(3) +
                        "x");
  auto r = open(in);
  ASSERT_TRUE(r.ok());
  auto f = r->next();
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->samples_per_channel(), 3U);
  EXPECT_FALSE(r->next()->has_value());

  std::istringstream in2(riff(chunk("fmt ", fmt_body())) + "data" + le(1000, 4) + ramp(2));
  auto r2 = open(in2);
  ASSERT_TRUE(r2.ok());
  auto g = r2->next();
  ASSERT_TRUE(g.ok() && g->has_value());
  EXPECT_EQ((*g)->samples_per_channel(), 2U);
  EXPECT_FALSE(r2->next()->has_value());
}

struct Bad {
  std::string name;
  std::string bytes;
  Errc expected;
};

TEST(WavReader, RejectsMalformedFiles) {
  const std::string data = chunk("data", ramp(2));
  std::string many_chunks;
  for (int i = 0; i < 70; ++i) many_chunks += chunk("junk", "");
  std::string fmt_15 = fmt_body();
  fmt_15.pop_back();
  const Bad cases[] = {
      {"empty", "", Errc::truncated},
      {"short riff", "RIFF\x10\0\0", Errc::truncated},
      {"wrong magic", "RIFX" + le(4, 4) + "WAVE", Errc::unsupported_format},
      {"not riff", "FORM" + le(4, 4) + "AIFF", Errc::invalid_header},
      {"not wave", "RIFF" + le(4, 4) + "AVI ", Errc::invalid_header},
      {"no chunks", riff(""), Errc::truncated},
      {"truncated chunk header", riff("fmt \x10"), Errc::truncated},
      {"truncated fmt", riff("fmt " + le(16, 4) + "\x01\0"), Errc::truncated},
      {"data before fmt", riff(data + chunk("fmt ", fmt_body())), Errc::invalid_header},
      {"fmt too small, odd size", riff(chunk("fmt ", fmt_15) + data), Errc::invalid_header},
      {"fmt too large", riff("fmt " + le(5000, 4) + std::string(5000, '\0')), Errc::too_large},
      {"two fmt", riff(chunk("fmt ", fmt_body()) + chunk("fmt ", fmt_body()) + data),
       Errc::invalid_header},
      {"odd chunk without pad", riff(chunk("fmt ", fmt_body()) + "LIST" + le(3, 4) + "abc" + data),
       Errc::truncated},
      {"huge unknown chunk", riff(chunk("fmt ", fmt_body()) + "LIST" + le(0xfffffff0, 4) + "ab"),
       Errc::truncated},
      {"too many chunks", riff(chunk("fmt ", fmt_body()) + many_chunks + data), Errc::too_large},
      {"no data chunk", riff(chunk("fmt ", fmt_body())), Errc::truncated},
      {"float", riff(chunk("fmt ", fmt_body(3, 1, 48000, 32)) + data), Errc::unsupported_format},
      {"44.1 kHz", riff(chunk("fmt ", fmt_body(1, 1, 44100)) + data), Errc::unsupported_format},
      {"8 bit", riff(chunk("fmt ", fmt_body(1, 1, 48000, 8)) + data), Errc::unsupported_format},
      {"24 bit", riff(chunk("fmt ", fmt_body(1, 2, 48000, 24)) + data), Errc::unsupported_format},
      {"6 channels", riff(chunk("fmt ", fmt_body(1, 6)) + data), Errc::unsupported_format},
      {"0 channels", riff(chunk("fmt ", fmt_body(1, 0)) + data), Errc::unsupported_format},
      {"bad block align",
       riff(chunk("fmt ",
                  le(1, 2) + le(2, 2) + le(48000, 4) + le(192000, 4) + le(2, 2) + le(16, 2)) +
            data),
       Errc::invalid_header},
      {"extensible too short", riff(chunk("fmt ", le(0xfffe, 2) + fmt_body().substr(2)) + data),
       Errc::invalid_header},
      {"extensible float",
       riff(chunk("fmt ", le(0xfffe, 2) + fmt_body().substr(2) + le(22, 2) + le(16, 2) + le(4, 4) +
                              std::string("\x03\0\0\0\0\0\x10\0\x80\0\0\xaa\0\x38\x9b\x71", 16)) +
            data),
       Errc::unsupported_format},
  };
  for (const auto& c : cases) {
    std::istringstream in(c.bytes);
    auto r = open(in);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_TRUE(r.error().is(c.expected)) << c.name << " -> " << r.error().to_string();
  }
}

TEST(WavReader, FrameLengthIsChecked) {
  std::istringstream in(riff(chunk("fmt ", fmt_body()) + chunk("data", ramp(2))));
  auto r = open(in);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->next(0).error().is(Errc::invalid_argument));
  EXPECT_TRUE(r->next(AudioFrame::kMaxSamplesPerChannel + 1).error().is(Errc::invalid_argument));
}

TEST(WavReader, MissingFileIsAnIoError) {
  EXPECT_TRUE(WavReader::open_file("/nonexistent/x.wav").error().is(Errc::io_error));
}

}  // namespace
}  // namespace conclave::media
