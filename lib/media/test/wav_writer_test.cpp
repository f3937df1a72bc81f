#include "conclave/media/wav_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "conclave/media/tone_generator.h"
#include "conclave/media/wav_reader.h"

namespace conclave::media {
namespace {

uint32_t le32(const std::string& s, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(s[at])) |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3])) << 24;
}

TEST(WavWriter, CloseWritesTheRealSizes) {
  std::stringstream out;
  auto w = WavWriter::create(out, 2);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(le32(out.str(), 40), 0U);  // provisional header
  auto f = AudioFrame::from_samples(2, {1, -2, 0x1234, -32768});
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(w->write(*f).ok());
  ASSERT_TRUE(w->close().ok());
  const std::string s = out.str();
  ASSERT_EQ(s.size(), 44U + 8U);
  EXPECT_EQ(s.substr(0, 4), "RIFF");
  EXPECT_EQ(le32(s, 4), 36U + 8U);
  EXPECT_EQ(s.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(le32(s, 16), 16U);
  EXPECT_EQ(le32(s, 24), 48000U);
  EXPECT_EQ(le32(s, 28), 48000U * 4);
  EXPECT_EQ(s.substr(36, 4), "data");
  EXPECT_EQ(le32(s, 40), 8U);
  // Samples little endian.
  EXPECT_EQ(s.substr(44), std::string("\x01\x00\xfe\xff\x34\x12\x00\x80", 8));
  EXPECT_EQ(w->samples_written(), 2U);
  EXPECT_TRUE(w->write(*f).error().is(Errc::closed));
}

TEST(WavWriter, DestructorPatchesTheHeaderAndReaderReadsItBack) {
  auto tone = ToneGenerator::create({.channels = 1});
  ASSERT_TRUE(tone.ok());
  std::stringstream io;
  std::vector<AudioFrame> sent;
  {
    auto w = WavWriter::create(io, 1);
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 3; ++i) {
      sent.push_back(tone->next());
      ASSERT_TRUE(w->write(sent.back()).ok());
    }
    WavWriter moved = std::move(w).value();  // the moved-from writer must not patch
  }
  EXPECT_EQ(le32(io.str(), 40), 3U * 960 * 2);
  auto r = WavReader::open(io);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->channels(), 1U);
  for (const AudioFrame& expected : sent) {
    auto f = r->next();
    ASSERT_TRUE(f.ok() && f->has_value());
    EXPECT_EQ(**f, expected);
  }
  auto end = r->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(WavWriter, FileRoundTrip) {
  const auto path = std::filesystem::temp_directory_path() / "conclave_media_wav_test.wav";
  auto tone = ToneGenerator::create({.channels = 2});
  ASSERT_TRUE(tone.ok());
  const AudioFrame frame = tone->next();
  {
    auto w = WavWriter::create_file(path.string(), 2);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->write(frame).ok());
    ASSERT_TRUE(w->close().ok());
  }
  EXPECT_EQ(std::filesystem::file_size(path), 44U + 960 * 4);
  auto r = WavReader::open_file(path.string());
  ASSERT_TRUE(r.ok());
  auto f = r->next();
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ(**f, frame);
  std::filesystem::remove(path);
}

TEST(WavWriter, RefusesBadInput) {
  std::stringstream out;
  EXPECT_TRUE(WavWriter::create(out, 0).error().is(Errc::invalid_argument));
  EXPECT_TRUE(WavWriter::create(out, 3).error().is(Errc::invalid_argument));
  EXPECT_TRUE(WavWriter::create_file("/nonexistent-dir/x.wav", 1).error().is(Errc::io_error));
  auto w = WavWriter::create(out, 1);
  ASSERT_TRUE(w.ok());
  auto stereo = AudioFrame::create(2);
  EXPECT_TRUE(w->write(*stereo).error().is(Errc::invalid_argument));
}

}  // namespace
}  // namespace conclave::media
