#include "conclave/media/opus_encoder.h"

#include <gtest/gtest.h>

#include "conclave/media/tone_generator.h"

namespace conclave::media {
namespace {

OpusEncoder make_encoder(const OpusEncoderConfig& config) {
  auto e = OpusEncoder::create(config);
  EXPECT_TRUE(e.ok()) << e.error().to_string();
  return std::move(e).value();
}

ToneGenerator make_tone(uint32_t channels = 1, size_t samples = 960) {
  auto t = ToneGenerator::create({.channels = channels, .samples_per_channel = samples});
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

// Mean packet size over one second of the tone.
double mean_packet_size(OpusEncoder& encoder, ToneGenerator& tone) {
  size_t total = 0;
  for (int i = 0; i < 50; ++i) {
    auto packet = encoder.encode(tone.next());
    EXPECT_TRUE(packet.ok());
    EXPECT_FALSE(packet->empty());
    EXPECT_LE(packet->size(), OpusEncoder::kMaxPacketSize);
    total += packet->size();
  }
  return static_cast<double>(total) / 50.0;
}

TEST(OpusEncoder, PacketsFollowTheBitrate) {
  auto low = make_encoder({.bitrate_bps = 16000});
  auto high = make_encoder({.application = OpusApplication::audio, .bitrate_bps = 96000});
  auto tone_low = make_tone();
  auto tone_high = make_tone();
  const double low_size = mean_packet_size(low, tone_low);
  const double high_size = mean_packet_size(high, tone_high);
  // 16 kbit/s over 20 ms is 40 bytes, 96 kbit/s is 240 bytes.
  EXPECT_LT(low_size, 60.0);
  EXPECT_GT(high_size, 2 * low_size);
  EXPECT_LT(high_size, 300.0);
}

TEST(OpusEncoder, BitrateChangesAtRunTime) {
  auto encoder = make_encoder({.bitrate_bps = 16000});
  auto tone = make_tone();
  const double before = mean_packet_size(encoder, tone);
  ASSERT_TRUE(encoder.set_bitrate(128000).ok());
  EXPECT_EQ(encoder.config().bitrate_bps, 128000U);
  EXPECT_GT(mean_packet_size(encoder, tone), 2 * before);
  EXPECT_TRUE(encoder.set_bitrate(1000).error().is(Errc::invalid_argument));
}

TEST(OpusEncoder, StereoAndOtherFrameLengths) {
  auto encoder = make_encoder({.channels = 2});
  auto stereo = make_tone(2);
  EXPECT_TRUE(encoder.encode(stereo.next()).ok());
  auto tone10 = make_tone(2, 480);
  EXPECT_TRUE(encoder.encode(tone10.next()).ok());
  auto tone60 = make_tone(2, 2880);
  EXPECT_TRUE(encoder.encode(tone60.next()).ok());
}

TEST(OpusEncoder, RejectsMismatchedFrames) {
  auto encoder = make_encoder({.channels = 1});
  auto stereo = make_tone(2);
  EXPECT_TRUE(encoder.encode(stereo.next()).error().is(Errc::invalid_argument));
  auto odd = make_tone(1, 1000);
  EXPECT_TRUE(encoder.encode(odd.next()).error().is(Errc::invalid_argument));
  EXPECT_TRUE(encoder.encode(AudioFrame{}).error().is(Errc::invalid_argument));
}

TEST(OpusEncoder, RejectsBadConfigurations) {
  EXPECT_TRUE(OpusEncoder::create({.channels = 0}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(OpusEncoder::create({.channels = 3}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(OpusEncoder::create({.bitrate_bps = 100}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(OpusEncoder::create({.complexity = 11}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(OpusEncoder::create({.application = OpusApplication::restricted_lowdelay}).ok());
}

}  // namespace
}  // namespace conclave::media
