// MediaReceiver, end to end: real senders, a simulated network (loss,
// reordering, duplicates, tampering) and real MLS-derived SFrame keys on
// both sides. The RTCP loop (NACK -> retransmission, PLI -> key frame) runs
// inside the test, on a FakeClock.
#include "conclave/client/media_receiver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <utility>
#include <variant>
#include <vector>

#include "conclave/client/media_errc.h"
#include "conclave/media/quality.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/tone_generator.h"
#include "conclave/rtp/dependency_descriptor.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/vp8_payload_descriptor.h"
#include "media_pipeline_test_util.h"

namespace conclave::client {
namespace {

using namespace pipeline_test;
using std::chrono::milliseconds;

// What the network does to each packet.
struct Network {
  double loss = 0;
  double duplicate = 0;
  double delay_one_tick = 0;  // delivered with the next frame: reordering
  bool shuffle_within_frame = false;
  std::mt19937 rng{20240607};

  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < p; }
};

// A sender and a receiver of one video track, the network between them,
// and what came out of the decoder.
class VideoCall {
 public:
  explicit VideoCall(uint32_t width = 640, uint32_t height = 360, Bytes receiver_secret = {},
                     size_t max_packet_size = 1200)
      : secret_(random_epoch_secret()),
        sender_keys_(make_keys(clock_, 1, secret_)),
        receiver_keys_(make_keys(clock_, 1, receiver_secret.empty() ? secret_ : receiver_secret)),
        pattern_(media::TestPattern::create({width, height, 30}).value()) {
    auto sender_config = video_sender_config(tcc_, width, height);
    sender_config.max_packet_size = max_packet_size;
    auto s = VideoSender::create(sender_config, sender_keys_, clock_);
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    sender_.emplace(std::move(s).value());
    auto config = video_receiver_config();
    config.on_receiver_video = [this](const media::VideoFrame& frame, uint64_t sender,
                                      uint64_t epoch) { on_video(frame, sender, epoch); };
    auto r = MediaReceiver::create(std::move(config), receiver_keys_, clock_);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    receiver_.emplace(std::move(r).value());
  }

  // Sends frame `index`, moves the packets through the network, runs the
  // receiver's timers and the RTCP loop, and lets 1/30 s pass.
  void step(uint64_t index) {
    auto packets = sender_->send(pattern_.frame(index));
    ASSERT_TRUE(packets.ok()) << packets.error().to_string();
    if (!packets->empty()) ++sent_frames_;
    if (tamper_) tamper_(index, *packets);
    if (network.shuffle_within_frame) std::shuffle(packets->begin(), packets->end(), network.rng);
    std::vector<Bytes> now;
    std::swap(now, delayed_);
    for (auto& p : *packets) now.push_back(std::move(p));
    transmit(now);
    tick();
    clock_.advance(milliseconds(33));
  }

  // Time passes with no new frame: timers and RTCP only.
  void idle(int ticks) {
    for (int i = 0; i < ticks; ++i) {
      std::vector<Bytes> now;
      std::swap(now, delayed_);
      transmit(now);
      tick();
      clock_.advance(milliseconds(33));
    }
  }

  void run(uint64_t first, uint64_t count) {
    for (uint64_t i = first; i < first + count; ++i) step(i);
  }

  VideoSender& sender() { return *sender_; }
  MediaReceiver& receiver() { return *receiver_; }
  sframe::MlsContext& sender_keys() { return sender_keys_; }
  sframe::MlsContext& receiver_keys() { return receiver_keys_; }
  FakeClock& clock() { return clock_; }
  const Bytes& secret() const { return secret_; }

  Network network;
  std::function<void(uint64_t index, std::vector<Bytes>& packets)> tamper_;

  // Decoded frames by test-pattern index, with their PSNR.
  std::map<uint32_t, double> decoded;
  std::set<uint64_t> senders;
  std::vector<uint64_t> epochs;  // of each decoded frame, in order
  uint64_t unreadable = 0;       // decoded pictures without a readable counter
  uint64_t sent_frames_ = 0;
  uint64_t plis = 0;
  uint64_t nacks = 0;

 private:
  void transmit(std::vector<Bytes>& packets) {
    for (auto& p : packets) {
      if (network.chance(network.delay_one_tick)) {
        delayed_.push_back(std::move(p));
        continue;
      }
      if (network.chance(network.loss)) continue;
      receiver_->receive(p);
      if (network.chance(network.duplicate)) receiver_->receive(p);
    }
  }

  void tick() {
    receiver_->poll();
    for (const auto& rtcp : receiver_->take_rtcp()) {
      if (std::holds_alternative<rtp::Pli>(rtcp)) ++plis;
      if (std::holds_alternative<rtp::GenericNack>(rtcp)) ++nacks;
      auto resent = sender_->handle_rtcp(rtcp);
      transmit(resent);
    }
  }

  void on_video(const media::VideoFrame& frame, uint64_t sender, uint64_t epoch) {
    senders.insert(sender);
    epochs.push_back(epoch);
    const auto index = media::frame_index_of(frame);
    if (!index) {
      ++unreadable;
      return;
    }
    auto quality = media::psnr(pattern_.frame(*index), frame);
    ASSERT_TRUE(quality.ok());
    decoded[*index] = quality->frame;
  }

  FakeClock clock_;
  TransportSequenceCounter tcc_;
  Bytes secret_;
  sframe::MlsContext sender_keys_;
  sframe::MlsContext receiver_keys_;
  media::TestPattern pattern_;
  std::optional<VideoSender> sender_;
  std::optional<MediaReceiver> receiver_;
  std::vector<Bytes> delayed_;
};

double min_psnr(const std::map<uint32_t, double>& decoded) {
  double m = media::kMaxPsnr;
  for (const auto& [index, psnr] : decoded) m = std::min(m, psnr);
  return m;
}

TEST(MediaReceiverVideo, ThreeSecondsOfVideoDecodeFrameForFrame) {
  VideoCall call;
  call.run(0, 90);
  const auto& stats = call.receiver().stats();
  EXPECT_EQ(call.decoded.size(), 90u);
  for (uint32_t i = 0; i < 90; ++i) EXPECT_TRUE(call.decoded.contains(i)) << i;
  EXPECT_GE(min_psnr(call.decoded), 30.0);
  EXPECT_EQ(call.unreadable, 0u);
  EXPECT_EQ(call.senders, std::set<uint64_t>{kSenderLeaf});
  EXPECT_EQ(stats.frames_decoded, 90u);
  EXPECT_EQ(stats.packets_received, call.sender().stats().packets_sent);
  EXPECT_EQ(stats.decrypt_failures, 0u);
  EXPECT_EQ(call.receiver().frames_lost(), 0u);
  EXPECT_EQ(call.plis, 0u);
  EXPECT_EQ(call.nacks, 0u);
  // Same clock on both sides, no network delay: latency 0 (to the
  // abs-send-time resolution).
  EXPECT_EQ(call.receiver().latency().count(), 90u);
  EXPECT_LE(call.receiver().latency().max(), std::chrono::microseconds(4));
  std::printf("[ clean    ] %zu/90 frames decoded, min PSNR %.1f dB, %llu packets\n",
              call.decoded.size(), min_psnr(call.decoded),
              static_cast<unsigned long long>(stats.packets_received));
}

TEST(MediaReceiverVideo, FivePercentLossIsRepairedByNacksFromTheSenderHistory) {
  VideoCall call;
  call.network.loss = 0.05;
  call.run(0, 90);
  call.idle(10);
  const auto& stats = call.receiver().stats();
  std::printf(
      "[ 5%% loss  ] %zu/%llu frames decoded, min PSNR %.1f dB, %llu NACKs, %llu "
      "retransmissions, %llu PLIs, %llu frames lost\n",
      call.decoded.size(), static_cast<unsigned long long>(call.sent_frames_),
      min_psnr(call.decoded), static_cast<unsigned long long>(call.nacks),
      static_cast<unsigned long long>(call.sender().stats().retransmissions),
      static_cast<unsigned long long>(call.plis),
      static_cast<unsigned long long>(call.receiver().frames_lost()));
  EXPECT_GT(call.nacks, 0u);
  EXPECT_GT(call.sender().stats().retransmissions, 0u);
  // A packet is lost for good only if it and every retransmission are.
  EXPECT_GE(call.decoded.size(), 85u);
  EXPECT_GE(min_psnr(call.decoded), 30.0);
  EXPECT_EQ(stats.decrypt_failures, 0u);
  EXPECT_EQ(call.unreadable, 0u);
}

TEST(MediaReceiverVideo, HeavyLossWithSmallPacketsIsStillRepaired) {
  VideoCall call(320, 180, {}, 300);  // several packets per frame
  call.network.loss = 0.15;
  call.run(0, 60);
  call.idle(10);
  std::printf(
      "[ 15%% loss ] %zu/%llu frames decoded, %llu packets sent, %llu NACKs, %llu "
      "retransmissions, %llu PLIs\n",
      call.decoded.size(), static_cast<unsigned long long>(call.sent_frames_),
      static_cast<unsigned long long>(call.sender().stats().packets_sent),
      static_cast<unsigned long long>(call.nacks),
      static_cast<unsigned long long>(call.sender().stats().retransmissions),
      static_cast<unsigned long long>(call.plis));
  EXPECT_GT(call.sender().stats().retransmissions, 10u);
  EXPECT_GE(call.decoded.size(), 57u);
  EXPECT_GE(min_psnr(call.decoded), 30.0);
  EXPECT_EQ(call.receiver().stats().decrypt_failures, 0u);
}

TEST(MediaReceiverVideo, ReorderedPacketsAreDecodedInOrder) {
  VideoCall call(320, 180);
  call.network.shuffle_within_frame = true;
  call.network.delay_one_tick = 0.1;
  call.run(0, 30);
  call.idle(3);
  EXPECT_EQ(call.decoded.size(), 30u);
  EXPECT_GE(min_psnr(call.decoded), 30.0);
  EXPECT_EQ(call.receiver().frames_lost(), 0u);
  EXPECT_EQ(call.receiver().stats().frames_decoded, 30u);
}

TEST(MediaReceiverVideo, DuplicatePacketsAreDroppedAndCounted) {
  VideoCall call(320, 180);
  call.network.duplicate = 0.3;
  call.run(0, 30);
  EXPECT_EQ(call.decoded.size(), 30u);
  const auto& jitter = call.receiver().jitter_buffer().stats();
  EXPECT_GT(jitter.dropped(JitterDropReason::duplicate) + jitter.dropped(JitterDropReason::too_old),
            0u);
  EXPECT_EQ(call.receiver().stats().decrypt_failures, 0u);  // no replay reached SFrame
  EXPECT_EQ(call.receiver().stats().frames_decoded, 30u);
}

TEST(MediaReceiverVideo, AReceiverWithoutTheKeyDecodesNothing) {
  VideoCall call(320, 180, random_epoch_secret());
  call.run(0, 30);
  call.idle(30);  // a second for key-frame requests to show
  const auto& stats = call.receiver().stats();
  EXPECT_TRUE(call.decoded.empty());
  EXPECT_EQ(stats.frames_decoded, 0u);
  EXPECT_EQ(stats.frames_decrypted, 0u);
  EXPECT_EQ(stats.decrypt_failures, stats.frames_assembled);
  EXPECT_EQ(stats.decrypt_failures, 30u);
  // One key-frame request for the run of failures, not one per frame.
  EXPECT_EQ(call.plis, 1u);
}

TEST(MediaReceiverVideo, AModifiedPayloadFailsAuthenticationAndTheStreamRecovers) {
  VideoCall call(320, 180);
  call.tamper_ = [](uint64_t index, std::vector<Bytes>& packets) {
    if (index == 10) packets.back().back() ^= 0x01;  // the SFrame tag's last byte
  };
  call.run(0, 30);
  const auto& stats = call.receiver().stats();
  EXPECT_EQ(stats.decrypt_failures, 1u);
  EXPECT_FALSE(call.decoded.contains(10));
  // Deltas after the hole are not decoded on a broken reference: a key
  // frame is asked for and the stream resumes with it.
  EXPECT_GE(call.plis, 1u);
  EXPECT_GE(call.sender().stats().key_frames_sent, 2u);
  EXPECT_GT(stats.frames_skipped, 0u);
  EXPECT_TRUE(call.decoded.contains(29));
  EXPECT_GE(min_psnr(call.decoded), 30.0);
  EXPECT_EQ(stats.frames_decoded + stats.frames_skipped + stats.decrypt_failures, 30u);
}

TEST(MediaReceiverVideo, KeyRotationMidStreamKeepsDecoding) {
  VideoCall call(320, 180);
  const Bytes next_secret = random_epoch_secret();
  call.run(0, 20);
  // The receiver processes the commit first; the sender's frames 20-24
  // are still under epoch 1, which stays usable for its grace period.
  ASSERT_TRUE(call.receiver_keys().add_epoch(2, next_secret).ok());
  call.run(20, 5);
  ASSERT_TRUE(call.sender_keys().add_epoch(2, next_secret).ok());
  call.run(25, 20);
  EXPECT_EQ(call.decoded.size(), 45u);
  EXPECT_EQ(call.receiver().stats().decrypt_failures, 0u);
  ASSERT_EQ(call.epochs.size(), 45u);
  EXPECT_EQ(std::count(call.epochs.begin(), call.epochs.end(), 1u), 25);
  EXPECT_EQ(std::count(call.epochs.begin(), call.epochs.end(), 2u), 20);
  EXPECT_EQ(call.epochs.back(), 2u);
  EXPECT_EQ(call.sender().stats().key_frames_sent, 1u);  // no key frame needed

  // After the grace period a frame under epoch 1 is refused.
  call.clock().advance(std::chrono::seconds(6));
  auto stale = make_keys(call.clock(), 1, call.secret());
  auto frame = media::EncodedFrame{Bytes(50, 1), false, 320, 180, 0};
  Bytes ct(frame.data.size() + stale.max_overhead());
  ASSERT_TRUE(stale.protect(kSenderLeaf, kVideoContextId, {}, frame.data, ct).ok());
  Bytes out(ct.size());
  EXPECT_FALSE(call.receiver_keys().unprotect({}, ct, out).ok());
}

TEST(MediaReceiverVideo, NoKeyOnTheSenderMeansNothingOnTheWire) {
  FakeClock clock;
  TransportSequenceCounter tcc;
  auto keyless = make_keys(clock);
  auto sender = VideoSender::create(video_sender_config(tcc, 320, 180), keyless, clock);
  ASSERT_TRUE(sender.ok());
  auto pattern = media::TestPattern::create({320, 180, 30}).value();
  for (uint64_t i = 0; i < 10; ++i) {
    auto r = sender->send(pattern.frame(i));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(MediaErrc::no_media_key));
  }
  EXPECT_EQ(sender->stats().packets_sent, 0u);
  EXPECT_EQ(sender->stats().frames_dropped_no_key, 10u);
  EXPECT_EQ(tcc.peek(), 0u);
}

TEST(MediaReceiverVideo, AFrameSplicedFromTheAudioContextIsRefused) {
  VideoCall call(320, 180);
  call.run(0, 3);
  // A member-protected frame under the audio context, packetized as video
  // by someone who moves payloads between tracks.
  auto& keys = call.sender_keys();
  const Bytes frame(40, 0x5a);
  Bytes ct(frame.size() + keys.max_overhead());
  auto n = keys.protect(kSenderLeaf, kAudioContextId, {}, frame, ct);
  ASSERT_TRUE(n.ok());
  ct.resize(*n);
  const auto structure = rtp::FrameDependencyStructure::single_layer();
  rtp::DependencyDescriptor dd;
  dd.frame_number = 1000;
  dd.attached_structure = structure;
  // VP8 descriptor (15-bit PictureID 1), then the ciphertext. Built by
  // index: g++ 12 -O2 misreports an insert after a 4-byte initializer list
  // as out of bounds (-Warray-bounds).
  Bytes payload(4 + ct.size());
  payload[0] = 0x90;
  payload[1] = 0x80;
  payload[2] = 0x80;
  payload[3] = 0x01;
  std::copy(ct.begin(), ct.end(), payload.begin() + 4);
  rtp::RtpPacketBuilder b;
  b.set_payload_type(96)
      .set_sequence_number(call.sender().next_sequence_number())
      .set_timestamp(1)
      .set_ssrc(kVideoSsrc)
      .set_marker(true)
      .set_payload(payload);
  b.add_extension(5, dd.serialize(nullptr).value());
  call.receiver().receive(b.build().value());
  EXPECT_EQ(call.receiver().stats().wrong_context, 1u);
  EXPECT_EQ(call.receiver().stats().frames_decoded, 3u);
}

TEST(MediaReceiverVideo, ExpectedSenderIsEnforced) {
  FakeClock clock;
  const Bytes secret = random_epoch_secret();
  auto sender_keys = make_keys(clock, 1, secret);
  auto receiver_keys = make_keys(clock, 1, secret);
  TransportSequenceCounter tcc;
  auto sender = VideoSender::create(video_sender_config(tcc, 320, 180), sender_keys, clock);
  ASSERT_TRUE(sender.ok());
  auto config = video_receiver_config();
  config.expected_sender = kSenderLeaf + 1;
  auto receiver = MediaReceiver::create(config, receiver_keys, clock);
  ASSERT_TRUE(receiver.ok());
  auto pattern = media::TestPattern::create({320, 180, 30}).value();
  for (uint64_t i = 0; i < 3; ++i) {
    auto packets = sender->send(pattern.frame(i));
    ASSERT_TRUE(packets.ok());
    for (const auto& p : *packets) receiver->receive(p);
  }
  EXPECT_EQ(receiver->stats().wrong_sender, 3u);
  EXPECT_EQ(receiver->stats().frames_decoded, 0u);
}

// ------------------------------------------------------------------ audio

class AudioCall {
 public:
  explicit AudioCall(Bytes receiver_secret = {})
      : secret_(random_epoch_secret()),
        sender_keys_(make_keys(clock_, 1, secret_)),
        receiver_keys_(make_keys(clock_, 1, receiver_secret.empty() ? secret_ : receiver_secret)),
        tone_(media::ToneGenerator::create({}).value()) {
    auto s = AudioSender::create(audio_sender_config(tcc_), sender_keys_, clock_);
    EXPECT_TRUE(s.ok());
    sender_.emplace(std::move(s).value());
    auto config = audio_receiver_config();
    config.on_receiver_audio = [this](const media::AudioFrame& frame, uint64_t sender, uint64_t) {
      ++frames;
      senders.insert(sender);
      samples.insert(samples.end(), frame.samples().begin(), frame.samples().end());
    };
    auto r = MediaReceiver::create(std::move(config), receiver_keys_, clock_);
    EXPECT_TRUE(r.ok());
    receiver_.emplace(std::move(r).value());
  }

  void run(int count, double loss = 0) {
    for (int i = 0; i < count; ++i) {
      auto packet = sender_->send(tone_.next());
      ASSERT_TRUE(packet.ok());
      if (!chance(loss)) receiver_->receive(*packet);
      receiver_->poll();
      (void)receiver_->take_rtcp();
      clock_.advance(milliseconds(20));
    }
    for (int i = 0; i < 5; ++i) {
      clock_.advance(milliseconds(20));
      receiver_->poll();
    }
  }

  MediaReceiver& receiver() { return *receiver_; }

  uint64_t frames = 0;
  std::set<uint64_t> senders;
  std::vector<int16_t> samples;

 private:
  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  FakeClock clock_;
  TransportSequenceCounter tcc_;
  Bytes secret_;
  sframe::MlsContext sender_keys_;
  sframe::MlsContext receiver_keys_;
  media::ToneGenerator tone_;
  std::optional<AudioSender> sender_;
  std::optional<MediaReceiver> receiver_;
  std::mt19937 rng_{7};
};

TEST(MediaReceiverAudio, A440HzToneIsHeardAt440Hz) {
  AudioCall call;
  call.run(50);
  EXPECT_EQ(call.receiver().stats().frames_decoded, 50u);
  EXPECT_EQ(call.frames, 50u);
  EXPECT_EQ(call.senders, std::set<uint64_t>{kSenderLeaf});
  ASSERT_EQ(call.samples.size(), 50u * 960u);
  const std::span<const int16_t> steady(call.samples.data() + 5 * 960, 45 * 960);
  EXPECT_NEAR(media::estimate_frequency(steady, 48000, 300, 600), 440.0, 2.0);
  EXPECT_GT(media::rms(steady), 0.5 * 32767 / std::sqrt(2.0) * 0.7);
  const auto level = call.receiver().audio_level();
  ASSERT_TRUE(level.has_value());
  EXPECT_EQ(level->level, 9);
}

TEST(MediaReceiverAudio, LostFramesAreConcealedAndThePaceKept) {
  AudioCall call;
  call.run(100, 0.05);
  const auto& stats = call.receiver().stats();
  EXPECT_GT(stats.frames_concealed, 0u);
  EXPECT_EQ(stats.frames_concealed, call.receiver().frames_lost());
  // Every 20 ms of the stream came out, decoded or concealed, except the
  // losses at its very start (nothing to conceal yet) or end.
  EXPECT_GE(call.frames, 97u);
  EXPECT_EQ(call.frames, stats.frames_decoded + stats.frames_concealed);
  EXPECT_NEAR(media::estimate_frequency(call.samples, 48000, 300, 600), 440.0, 3.0);
}

TEST(MediaReceiverAudio, AReceiverWithoutTheKeyHearsNothing) {
  AudioCall call(random_epoch_secret());
  call.run(20);
  EXPECT_EQ(call.frames, 0u);
  EXPECT_TRUE(call.samples.empty());
  EXPECT_EQ(call.receiver().stats().decrypt_failures, 20u);
  EXPECT_EQ(call.receiver().stats().key_frame_requests, 0u);  // no PLI for audio
}

// ------------------------------------------------------ count-only receive

TEST(MediaReceiverCountOnly, FramesAreDecryptedButNotDecoded) {
  FakeClock clock;
  TransportSequenceCounter tcc;
  const Bytes secret = random_epoch_secret();
  auto sender_keys = make_keys(clock, 1, secret);
  auto receiver_keys = make_keys(clock, 1, secret);
  auto sender = VideoSender::create(video_sender_config(tcc, 320, 180), sender_keys, clock);
  ASSERT_TRUE(sender.ok());
  for (MediaKind kind : {MediaKind::video, MediaKind::audio}) {
    auto config = kind == MediaKind::video ? video_receiver_config() : audio_receiver_config();
    config.decode = false;
    int callbacks = 0;
    config.on_receiver_video = [&](const media::VideoFrame&, uint64_t, uint64_t) { ++callbacks; };
    config.on_receiver_audio = [&](const media::AudioFrame&, uint64_t, uint64_t) { ++callbacks; };
    auto receiver = MediaReceiver::create(std::move(config), receiver_keys, clock);
    ASSERT_TRUE(receiver.ok()) << receiver.error().to_string();
    if (kind == MediaKind::video) {
      // Frames encoded elsewhere (a synthetic source): a key frame, then deltas.
      for (int i = 0; i < 10; ++i) {
        media::EncodedFrame f{Bytes(3000, static_cast<uint8_t>(i)), i == 0, 320, 180, i * 3000};
        auto packets = sender->send_encoded(f);
        ASSERT_TRUE(packets.ok()) << packets.error().to_string();
        for (const Bytes& p : *packets) receiver->receive(p);
        clock.advance(milliseconds(33));
      }
      EXPECT_EQ(receiver->stats().frames_decrypted, 10u);
    } else {
      auto audio = AudioSender::create(audio_sender_config(tcc), sender_keys, clock);
      ASSERT_TRUE(audio.ok());
      for (int i = 0; i < 10; ++i) {
        auto p = audio->send_encoded(Bytes(80, 1), i * 960, {});
        ASSERT_TRUE(p.ok());
        receiver->receive(*p);
      }
      EXPECT_EQ(receiver->stats().frames_decrypted, 10u);
    }
    EXPECT_EQ(receiver->stats().frames_decoded, 0u);
    EXPECT_EQ(receiver->stats().decrypt_failures, 0u);
    EXPECT_EQ(callbacks, 0);
  }
}

// ---------------------------------------------------------- hostile input

class HostileInput : public ::testing::Test {
 protected:
  HostileInput()
      : secret_(random_epoch_secret()),
        sender_keys_(make_keys(clock_, 1, secret_)),
        receiver_keys_(make_keys(clock_, 1, secret_)),
        pattern_(media::TestPattern::create({320, 180, 30}).value()) {
    auto config = video_receiver_config();
    config.on_receiver_video = [this](const media::VideoFrame& frame, uint64_t, uint64_t) {
      if (auto index = media::frame_index_of(frame)) decoded_.insert(*index);
    };
    receiver_.emplace(MediaReceiver::create(config, receiver_keys_, clock_).value());
    sender_.emplace(
        VideoSender::create(video_sender_config(tcc_, 320, 180), sender_keys_, clock_).value());
  }

  std::vector<Bytes> frame(uint64_t index) { return sender_->send(pattern_.frame(index)).value(); }

  void deliver(const std::vector<Bytes>& packets) {
    for (const auto& p : packets) receiver_->receive(p);
    receiver_->poll();
    (void)receiver_->take_rtcp();
    clock_.advance(milliseconds(33));
  }

  FakeClock clock_;
  TransportSequenceCounter tcc_;
  Bytes secret_;
  sframe::MlsContext sender_keys_;
  sframe::MlsContext receiver_keys_;
  media::TestPattern pattern_;
  std::optional<MediaReceiver> receiver_;
  std::optional<VideoSender> sender_;
  std::set<uint32_t> decoded_;
};

TEST_F(HostileInput, RandomBytesAreDroppedAndCounted) {
  std::mt19937 rng(99);
  for (int i = 0; i < 2000; ++i) {
    Bytes junk(rng() % 1500);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    // Half of them with a plausible RTP header for our track.
    if (i % 2 == 0 && junk.size() >= 12) {
      junk[0] = 0x80 | (junk[0] & 0x10);
      junk[1] = 96;
      put_be(MutableBytesView(junk).subspan(8, 4), kVideoSsrc);
    }
    receiver_->receive(junk);
    receiver_->poll();
    (void)receiver_->take_rtcp();
  }
  const auto& stats = receiver_->stats();
  EXPECT_EQ(stats.packets_received, 2000u);
  EXPECT_GT(stats.dropped(PacketDropReason::malformed_rtp), 500u);
  EXPECT_EQ(stats.frames_decoded, 0u);
  EXPECT_EQ(stats.frames_decrypted, 0u);
  // The real stream still gets through afterwards.
  deliver(frame(0));
  EXPECT_TRUE(decoded_.contains(0));
}

TEST_F(HostileInput, TruncatedPacketsDoNotDecode) {
  const auto packets = frame(0);
  for (const auto& p : packets) {
    for (size_t n = 0; n < p.size(); ++n) receiver_->receive(BytesView(p).first(n));
  }
  receiver_->poll();
  EXPECT_TRUE(decoded_.empty());
  EXPECT_GT(receiver_->stats().dropped(PacketDropReason::malformed_rtp), 0u);
  EXPECT_EQ(receiver_->stats().frames_decoded, 0u);
}

TEST_F(HostileInput, WrongPayloadTypeSsrcAndMissingDescriptorAreDropped) {
  auto packets = frame(0);
  Bytes wrong_pt = packets[0];
  ASSERT_TRUE(rtp::RtpPacket::set_payload_type(wrong_pt, 100).ok());
  receiver_->receive(wrong_pt);
  Bytes wrong_ssrc = packets[0];
  ASSERT_TRUE(rtp::RtpPacket::set_ssrc(wrong_ssrc, 42).ok());
  receiver_->receive(wrong_ssrc);
  auto builder = rtp::RtpPacketBuilder::from(rtp::RtpPacket::parse(packets[0]).value());
  builder.remove_extension(5);
  receiver_->receive(builder.build().value());
  const auto& stats = receiver_->stats();
  EXPECT_EQ(stats.dropped(PacketDropReason::wrong_payload_type), 1u);
  EXPECT_EQ(stats.dropped(PacketDropReason::wrong_ssrc), 1u);
  EXPECT_EQ(stats.dropped(PacketDropReason::missing_dependency_descriptor), 1u);
  deliver(packets);
  EXPECT_TRUE(decoded_.contains(0));
}

TEST_F(HostileInput, AbsurdSequenceJumpsDoNotDerailTheStream) {
  for (uint64_t i = 0; i < 20; ++i) {
    auto packets = frame(i);
    // A forged copy of each packet 30000 numbers ahead.
    Bytes forged = packets[0];
    const uint16_t seq = rtp::RtpPacket::parse(forged)->sequence_number();
    ASSERT_TRUE(
        rtp::RtpPacket::set_sequence_number(forged, static_cast<uint16_t>(seq + 30000)).ok());
    receiver_->receive(forged);
    deliver(packets);
  }
  EXPECT_EQ(decoded_.size(), 20u);
  EXPECT_EQ(receiver_->jitter_buffer().stats().dropped(JitterDropReason::out_of_range), 20u);
}

TEST_F(HostileInput, GiantFramesStayWithinTheBufferLimits) {
  deliver(frame(0));
  const uint16_t next = sender_->next_sequence_number();
  const auto& jitter = receiver_->jitter_buffer();
  // 5000 packets of one frame that never ends.
  rtp::DependencyDescriptor dd;
  dd.frame_dependency_template_id = 1;
  const auto structure = rtp::FrameDependencyStructure::single_layer();
  Bytes payload(1100, 0xee);
  payload[0] = 0x10;  // VP8 descriptor: S=1, no extensions
  for (uint16_t i = 0; i < 5000; ++i) {
    dd.start_of_frame = i == 0;
    dd.end_of_frame = false;
    rtp::RtpPacketBuilder b;
    b.set_payload_type(96)
        .set_sequence_number(static_cast<uint16_t>(next + i))
        .set_timestamp(777)
        .set_ssrc(kVideoSsrc)
        .set_payload(payload);
    b.add_extension(5, dd.serialize(&structure).value());
    receiver_->receive(b.build().value());
    ASSERT_LE(jitter.packet_count(), jitter.config().max_packets);
    ASSERT_LE(jitter.byte_count(), jitter.config().max_bytes);
  }
  EXPECT_GT(jitter.stats().dropped(JitterDropReason::buffer_full), 3000u);
  EXPECT_EQ(receiver_->stats().frames_decoded, 1u);
}

TEST(MediaReceiverConfig, RefusesConfigurationsItCannotHonour) {
  FakeClock clock;
  auto keys = make_keys(clock);
  auto c = video_receiver_config();
  c.extensions.dependency_descriptor = 0;
  auto r = MediaReceiver::create(c, keys, clock);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(MediaErrc::invalid_config));
  c = video_receiver_config();
  c.consecutive_failures_for_key_frame = 0;
  EXPECT_FALSE(MediaReceiver::create(c, keys, clock).ok());
  auto a = audio_receiver_config();
  a.extensions.dependency_descriptor = 0;  // audio needs none
  EXPECT_TRUE(MediaReceiver::create(a, keys, clock).ok());
  a.audio_channels = 5;
  EXPECT_FALSE(MediaReceiver::create(a, keys, clock).ok());
}

}  // namespace
}  // namespace conclave::client
