#include "conclave/client/audio_sender.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "conclave/client/media_errc.h"
#include "conclave/media/opus_decoder.h"
#include "conclave/media/quality.h"
#include "conclave/media/tone_generator.h"
#include "conclave/rtp/audio_level.h"
#include "conclave/rtp/mid.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/transport_sequence_number.h"
#include "media_pipeline_test_util.h"

namespace conclave::client {
namespace {

using namespace pipeline_test;

std::vector<int16_t> constant(int16_t value, size_t n = 960) {
  return std::vector<int16_t>(n, value);
}

std::vector<int16_t> square(int16_t amplitude, size_t n = 960) {
  std::vector<int16_t> out(n);
  for (size_t i = 0; i < n; ++i)
    out[i] = (i / 10) % 2 == 0 ? amplitude : static_cast<int16_t>(-amplitude);
  return out;
}

TEST(AudioLevel, SilenceIsLevel127WithoutVoice) {
  const auto level = AudioSender::level_of(constant(0));
  EXPECT_EQ(level.level, 127);
  EXPECT_FALSE(level.voice_activity);
  EXPECT_EQ(AudioSender::level_of({}).level, 127);
}

TEST(AudioLevel, FullScaleIsZeroDbov) {
  const auto level = AudioSender::level_of(constant(-32768));
  EXPECT_EQ(level.level, 0);
  EXPECT_TRUE(level.voice_activity);
  EXPECT_EQ(AudioSender::level_of(square(32767)).level, 0);
}

TEST(AudioLevel, FollowsTheRmsInDbov) {
  // A square wave of amplitude A has RMS A: -20 log10(32768 / A) dBov.
  EXPECT_EQ(AudioSender::level_of(square(3277)).level, 20);  // -20 dBov
  EXPECT_EQ(AudioSender::level_of(square(328)).level, 40);   // -40 dBov
  // A sine at half scale: RMS 0.5/sqrt(2), -9 dBov.
  auto tone = media::ToneGenerator::create({440.0, 0.5, 1, 960}).value();
  const auto frame = tone.next();
  EXPECT_EQ(AudioSender::level_of(frame.samples()).level, 9);
}

TEST(AudioLevel, VoiceActivityAboveMinus50Dbov) {
  const auto loud = AudioSender::level_of(square(104));   // -49.9 dBov
  const auto quiet = AudioSender::level_of(square(100));  // -50.3 dBov
  EXPECT_EQ(loud.level, 50);
  EXPECT_TRUE(loud.voice_activity);
  EXPECT_EQ(quiet.level, 50);
  EXPECT_FALSE(quiet.voice_activity);
  EXPECT_FALSE(AudioSender::level_of(square(3)).voice_activity);
}

class AudioSenderTest : public ::testing::Test {
 protected:
  AudioSenderTest()
      : secret_(random_epoch_secret()),
        sender_keys_(make_keys(clock_, 1, secret_)),
        receiver_keys_(make_keys(clock_, 1, secret_)) {}

  AudioSenderConfig config() {
    auto c = audio_sender_config(tcc_);
    c.first_sequence_number = 500;
    c.timestamp_offset = 12345;
    return c;
  }

  FakeClock clock_;
  TransportSequenceCounter tcc_{7};
  Bytes secret_;
  sframe::MlsContext sender_keys_;
  sframe::MlsContext receiver_keys_;
};

TEST_F(AudioSenderTest, OneProtectedOpusFramePerPacket) {
  auto sender = AudioSender::create(config(), sender_keys_, clock_);
  ASSERT_TRUE(sender.ok()) << sender.error().to_string();
  auto tone = media::ToneGenerator::create({}).value();
  auto decoder = media::OpusDecoder::create(1).value();
  std::vector<int16_t> decoded;
  for (uint16_t i = 0; i < 25; ++i) {
    const auto frame = tone.next();
    auto bytes = sender->send(frame);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    auto p = rtp::RtpPacket::parse(*bytes);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->payload_type(), 111);
    EXPECT_EQ(p->ssrc(), kAudioSsrc);
    EXPECT_EQ(p->sequence_number(), 500 + i);
    EXPECT_EQ(p->timestamp(), 12345u + 960u * i);
    EXPECT_EQ(p->marker(), i == 0);
    auto level = rtp::AudioLevel::parse(*p->extension(1));
    ASSERT_TRUE(level.ok());
    EXPECT_EQ(level->level, 9);  // the half-scale tone
    EXPECT_TRUE(level->voice_activity);
    EXPECT_EQ(*rtp::Mid::parse(*p->extension(2)), "0");
    EXPECT_EQ(*rtp::TransportSequenceNumber::parse(*p->extension(3)), 7 + i);
    EXPECT_TRUE(p->extension(4).has_value());
    EXPECT_FALSE(p->extension(5).has_value());

    Bytes plaintext(p->payload().size());
    auto opened = receiver_keys_.unprotect({}, p->payload(), plaintext);
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    EXPECT_EQ(opened->context_id, kAudioContextId);
    EXPECT_EQ(opened->sender_index, kSenderLeaf);
    plaintext.resize(opened->size);
    auto pcm = decoder.decode(plaintext);
    ASSERT_TRUE(pcm.ok());
    if (i >= 5) decoded.insert(decoded.end(), pcm->samples().begin(), pcm->samples().end());
  }
  EXPECT_NEAR(media::estimate_frequency(decoded, 48000, 300, 600), 440.0, 3.0);
  EXPECT_EQ(sender->stats().frames_sent, 25u);
  EXPECT_EQ(sender->stats().packets_sent, 25u);
  EXPECT_GT(sender->stats().bytes_sent, 25u * 30u);
}

TEST_F(AudioSenderTest, WithoutAKeyNothingIsSent) {
  auto keyless = make_keys(clock_);
  auto sender = AudioSender::create(config(), keyless, clock_);
  ASSERT_TRUE(sender.ok());
  auto tone = media::ToneGenerator::create({}).value();
  auto r = sender->send(tone.next());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(MediaErrc::no_media_key));
  EXPECT_EQ(sender->stats().frames_dropped_no_key, 1u);
  EXPECT_EQ(sender->stats().packets_sent, 0u);
  EXPECT_EQ(sender->next_sequence_number(), 500);
  ASSERT_TRUE(keyless.add_epoch(4, secret_).ok());
  EXPECT_TRUE(sender->send(tone.next()).ok());
}

TEST_F(AudioSenderTest, SendEncodedProtectsTheGivenPayloadWithItsLevel) {
  auto sender = AudioSender::create(config(), sender_keys_, clock_);
  ASSERT_TRUE(sender.ok());
  const Bytes payload(80, 0x5a);
  auto bytes = sender->send_encoded(payload, 1920, rtp::AudioLevel{true, 17});
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  auto p = rtp::RtpPacket::parse(*bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->sequence_number(), 500);
  EXPECT_EQ(p->timestamp(), 12345u + 1920u);
  auto level = rtp::AudioLevel::parse(*p->extension(1));
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(level->level, 17);
  EXPECT_TRUE(level->voice_activity);
  Bytes plaintext(p->payload().size());
  auto opened = receiver_keys_.unprotect({}, p->payload(), plaintext);
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  EXPECT_EQ(opened->context_id, kAudioContextId);
  plaintext.resize(opened->size);
  EXPECT_EQ(plaintext, payload);
  EXPECT_EQ(sender->stats().packets_sent, 1u);

  auto keyless = make_keys(clock_);
  auto unkeyed = AudioSender::create(config(), keyless, clock_);
  ASSERT_TRUE(unkeyed.ok());
  auto r = unkeyed->send_encoded(payload, 0, {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(MediaErrc::no_media_key));
}

TEST_F(AudioSenderTest, RefusesBadConfigurations) {
  auto c = config();
  c.payload_type = 200;
  EXPECT_FALSE(AudioSender::create(c, sender_keys_, clock_).ok());
  c = config();
  c.transport_sequence = nullptr;
  EXPECT_FALSE(AudioSender::create(c, sender_keys_, clock_).ok());
  c = config();
  c.encoder.channels = 3;
  EXPECT_FALSE(AudioSender::create(c, sender_keys_, clock_).ok());
}

}  // namespace
}  // namespace conclave::client
