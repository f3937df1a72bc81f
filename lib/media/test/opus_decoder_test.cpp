#include "conclave/media/opus_decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "conclave/media/opus_encoder.h"
#include "conclave/media/quality.h"
#include "conclave/media/tone_generator.h"

namespace conclave::media {
namespace {

constexpr double kRate = AudioFrame::kSampleRate;

struct Session {
  ToneGenerator tone;
  OpusEncoder encoder;
  OpusDecoder decoder;
};

Session make_session(uint32_t channels, OpusApplication app = OpusApplication::voip) {
  auto tone = ToneGenerator::create({.frequency_hz = 440, .amplitude = 0.5, .channels = channels});
  auto encoder =
      OpusEncoder::create({.channels = channels, .application = app, .bitrate_bps = 48000});
  auto decoder = OpusDecoder::create(channels);
  EXPECT_TRUE(tone.ok() && encoder.ok() && decoder.ok());
  return {std::move(tone).value(), std::move(encoder).value(), std::move(decoder).value()};
}

double to_db(double ratio) {
  return 20.0 * std::log10(ratio);
}

// One second of the 440 Hz tone through Opus; checks frequency and level
// of every channel after the first 200 ms (the codec's start-up).
void check_tone_round_trip(uint32_t channels, OpusApplication app) {
  Session s = make_session(channels, app);
  std::vector<std::vector<int16_t>> sent(channels);
  std::vector<std::vector<int16_t>> received(channels);
  for (int i = 0; i < 50; ++i) {
    const AudioFrame frame = s.tone.next();
    auto packet = s.encoder.encode(frame);
    ASSERT_TRUE(packet.ok());
    auto decoded = s.decoder.decode(*packet);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
    EXPECT_EQ(decoded->channels(), channels);
    EXPECT_EQ(decoded->samples_per_channel(), 960U);
    EXPECT_EQ(decoded->timestamp(), frame.timestamp());
    if (i < 10) continue;
    for (uint32_t c = 0; c < channels; ++c) {
      auto a = frame.channel(c);
      auto b = decoded->channel(c);
      sent[c].insert(sent[c].end(), a.begin(), a.end());
      received[c].insert(received[c].end(), b.begin(), b.end());
    }
  }
  for (uint32_t c = 0; c < channels; ++c) {
    const double f = estimate_frequency(received[c], kRate, 300, 600);
    EXPECT_NEAR(f, 440.0, 3.0) << "channel " << c;
    const double level = to_db(rms(received[c]) / rms(sent[c]));
    EXPECT_NEAR(level, 0.0, 1.5) << "channel " << c;
    // The tone dominates: far more power at 440 Hz than at 1 kHz.
    EXPECT_GT(goertzel_power(received[c], kRate, 440),
              1000 * goertzel_power(received[c], kRate, 1000));
  }
}

TEST(OpusDecoder, ToneKeepsItsFrequencyAndLevelMono) {
  check_tone_round_trip(1, OpusApplication::voip);
}

TEST(OpusDecoder, ToneKeepsItsFrequencyAndLevelStereo) {
  check_tone_round_trip(2, OpusApplication::audio);
}

TEST(OpusDecoder, ConcealmentFillsALostFrame) {
  Session s = make_session(1);
  std::vector<Bytes> packets;
  for (int i = 0; i < 30; ++i) {
    auto packet = s.encoder.encode(s.tone.next());
    ASSERT_TRUE(packet.ok());
    packets.push_back(*packet);
  }
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(s.decoder.decode(packets[static_cast<size_t>(i)]).ok());
  const double level = rms(s.decoder.decode(packets[25])->samples());
  // Packet 26 is lost.
  auto concealed = s.decoder.conceal();
  ASSERT_TRUE(concealed.ok()) << concealed.error().to_string();
  EXPECT_EQ(concealed->samples_per_channel(), 960U);
  EXPECT_EQ(concealed->timestamp(), 26 * 960);
  // The concealment continues the tone rather than falling silent.
  EXPECT_GT(rms(concealed->samples()), 0.25 * level);
  EXPECT_NEAR(estimate_frequency(concealed->samples(), kRate, 300, 600, 10), 440.0, 30.0);
  auto next = s.decoder.decode(packets[27]);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->timestamp(), 27 * 960);
  EXPECT_EQ(s.decoder.next_timestamp(), 28 * 960);
  // Other lengths, multiples of 2.5 ms.
  EXPECT_EQ(s.decoder.conceal(480)->samples_per_channel(), 480U);
  EXPECT_TRUE(s.decoder.conceal(100).error().is(Errc::invalid_argument));
  EXPECT_TRUE(s.decoder.conceal(0).error().is(Errc::invalid_argument));
  EXPECT_TRUE(s.decoder.conceal(6000).error().is(Errc::invalid_argument));
}

TEST(OpusDecoder, MalformedPacketsAreErrors) {
  auto decoder = OpusDecoder::create(1);
  ASSERT_TRUE(decoder.ok());
  EXPECT_TRUE(decoder->decode(Bytes{}).error().is(Errc::truncated));
  // Code 3 (arbitrary frame count) with a count of 0, and with 49 frames
  // of 20 ms (beyond 120 ms).
  EXPECT_TRUE(decoder->decode(Bytes{0xfb, 0x00}).error().is(Errc::corrupt_frame));
  EXPECT_TRUE(decoder->decode(Bytes{0xfb, 0x31}).error().is(Errc::corrupt_frame));
  // Code 3 without its frame-count byte.
  EXPECT_TRUE(decoder->decode(Bytes{0xfb}).error().is(Errc::corrupt_frame));
  // Code 2 (two frames of different sizes) announcing more than there is.
  EXPECT_TRUE(decoder->decode(Bytes{0xfa, 0xf0, 1, 2}).error().is(Errc::corrupt_frame));
  EXPECT_TRUE(decoder->decode(Bytes(size_t{1} << 17, 0xfc)).error().is(Errc::too_large));
  // Garbage never crashes, and the decoder keeps working afterwards.
  uint32_t state = 99;
  for (int i = 0; i < 200; ++i) {
    Bytes noise(1 + static_cast<size_t>(i) % 300);
    for (auto& b : noise) {
      state = state * 1103515245U + 12345U;
      b = static_cast<uint8_t>(state >> 16);
    }
    (void)decoder->decode(noise);
  }
  auto encoder = OpusEncoder::create({});
  auto tone = ToneGenerator::create({});
  ASSERT_TRUE(encoder.ok() && tone.ok());
  auto packet = encoder->encode(tone->next());
  ASSERT_TRUE(packet.ok());
  EXPECT_TRUE(decoder->decode(*packet).ok());
}

TEST(OpusDecoder, RejectsBadChannelCounts) {
  EXPECT_TRUE(OpusDecoder::create(0).error().is(Errc::invalid_argument));
  EXPECT_TRUE(OpusDecoder::create(3).error().is(Errc::invalid_argument));
  EXPECT_EQ(OpusDecoder::create(2)->channels(), 2U);
}

}  // namespace
}  // namespace conclave::media
