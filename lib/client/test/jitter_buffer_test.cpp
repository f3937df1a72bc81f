#include "conclave/client/jitter_buffer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace conclave::client {
namespace {

using std::chrono::milliseconds;
using TimePoint = Clock::TimePoint;

const TimePoint kStart{std::chrono::seconds(100)};

JitterPacket audio_packet(uint16_t seq, uint8_t fill = 0) {
  JitterPacket p;
  p.sequence_number = seq;
  p.timestamp = static_cast<uint32_t>(seq) * 960u;
  p.begin = p.end = p.key_frame = true;
  p.payload = Bytes(10, fill == 0 ? static_cast<uint8_t>(seq) : fill);
  return p;
}

// Packet `index` of `count` of video frame `frame` starting at `first_seq`.
JitterPacket video_packet(uint16_t seq, uint32_t frame, size_t index, size_t count, bool key,
                          size_t size = 100) {
  JitterPacket p;
  p.sequence_number = seq;
  p.timestamp = frame * 3000u;
  p.begin = index == 0;
  p.end = index + 1 == count;
  p.key_frame = key && index == 0;
  p.payload = Bytes(size, static_cast<uint8_t>(frame));
  return p;
}

// A whole video frame of `count` packets from `first_seq`.
std::vector<JitterPacket> video_frame(uint16_t first_seq, uint32_t frame, size_t count, bool key) {
  std::vector<JitterPacket> out;
  for (size_t i = 0; i < count; ++i) {
    out.push_back(video_packet(static_cast<uint16_t>(first_seq + i), frame, i, count, key));
  }
  return out;
}

std::vector<uint32_t> timestamps(const std::vector<JitterFrame>& frames) {
  std::vector<uint32_t> out;
  for (const auto& f : frames) out.push_back(f.timestamp);
  return out;
}

TEST(JitterBuffer, AudioInOrderIsReleasedAtOnce) {
  JitterBuffer jb(JitterBufferConfig::audio());
  for (uint16_t seq = 10; seq < 15; ++seq) {
    EXPECT_FALSE(jb.insert(audio_packet(seq), kStart).has_value());
    const auto frames = jb.pop(kStart);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].timestamp, seq * 960u);
    EXPECT_EQ(frames[0].data, Bytes(10, static_cast<uint8_t>(seq)));
    EXPECT_EQ(frames[0].lost_before, 0u);
  }
  EXPECT_EQ(jb.stats().frames_released, 5u);
  EXPECT_EQ(jb.packet_count(), 0u);
  EXPECT_EQ(jb.byte_count(), 0u);
}

TEST(JitterBuffer, AudioReorderedPacketsComeOutInOrder) {
  JitterBuffer jb(JitterBufferConfig::audio());
  ASSERT_FALSE(jb.insert(audio_packet(1), kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  ASSERT_FALSE(jb.insert(audio_packet(3), kStart));
  ASSERT_FALSE(jb.insert(audio_packet(4), kStart));
  EXPECT_TRUE(jb.pop(kStart + milliseconds(10)).empty());  // 2 is missing
  ASSERT_FALSE(jb.insert(audio_packet(2), kStart + milliseconds(20)));
  const auto frames = jb.pop(kStart + milliseconds(20));
  EXPECT_EQ(timestamps(frames), (std::vector<uint32_t>{2 * 960, 3 * 960, 4 * 960}));
  EXPECT_EQ(jb.stats().frames_lost, 0u);
}

TEST(JitterBuffer, AudioLossIsDeclaredAfterMaxDelayAndReportedForConcealment) {
  JitterBuffer jb(JitterBufferConfig::audio());  // 60 ms
  ASSERT_FALSE(jb.insert(audio_packet(1), kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  ASSERT_FALSE(jb.insert(audio_packet(4), kStart + milliseconds(5)));
  EXPECT_TRUE(jb.pop(kStart + milliseconds(64)).empty());
  const auto frames = jb.pop(kStart + milliseconds(65));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].timestamp, 4 * 960u);
  EXPECT_EQ(frames[0].lost_before, 2u);
  EXPECT_EQ(jb.stats().frames_lost, 2u);
  // A late packet for the skipped point is too old now.
  EXPECT_EQ(jb.insert(audio_packet(2), kStart + milliseconds(70)), JitterDropReason::too_old);
  // Audio does not NACK by default.
  EXPECT_TRUE(jb.take_nacks(kStart + milliseconds(70)).empty());
  EXPECT_FALSE(jb.take_key_frame_request(kStart + milliseconds(900)));
}

TEST(JitterBuffer, DuplicatesAndOldPacketsAreCounted) {
  JitterBuffer jb(JitterBufferConfig::audio());
  ASSERT_FALSE(jb.insert(audio_packet(5), kStart));
  ASSERT_FALSE(jb.insert(audio_packet(7), kStart));
  EXPECT_EQ(jb.insert(audio_packet(7), kStart), JitterDropReason::duplicate);
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  EXPECT_EQ(jb.insert(audio_packet(5), kStart), JitterDropReason::too_old);
  EXPECT_EQ(jb.insert(audio_packet(4), kStart), JitterDropReason::too_old);
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::duplicate), 1u);
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::too_old), 2u);
  EXPECT_EQ(jb.stats().dropped_total(), 3u);
}

TEST(JitterBuffer, SequenceNumbersWrapAround) {
  JitterBuffer jb(JitterBufferConfig::audio());
  std::vector<JitterFrame> all;
  for (uint16_t seq : {uint16_t{65534}, uint16_t{65535}, uint16_t{1}, uint16_t{0}, uint16_t{2}}) {
    ASSERT_FALSE(jb.insert(audio_packet(seq, 1), kStart));
    for (auto& f : jb.pop(kStart)) all.push_back(std::move(f));
  }
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].first_sequence, 65534);
  EXPECT_EQ(all[2].first_sequence, 65536);  // 0, unwrapped
  EXPECT_EQ(all[4].first_sequence, 65538);
}

TEST(JitterBuffer, VideoFramesAreBuiltFromBeginAndEndFlagsInAnyArrivalOrder) {
  JitterBuffer jb(JitterBufferConfig::video());
  auto key = video_frame(100, 0, 3, true);
  auto delta = video_frame(103, 1, 2, false);
  // Arrival: 102, 100, 104, 101, 103.
  for (size_t i : {size_t{2}, size_t{0}}) ASSERT_FALSE(jb.insert(key[i], kStart));
  ASSERT_FALSE(jb.insert(delta[1], kStart));
  EXPECT_TRUE(jb.pop(kStart).empty());
  ASSERT_FALSE(jb.insert(key[1], kStart));
  auto frames = jb.pop(kStart);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].key_frame);
  EXPECT_EQ(frames[0].data.size(), 300u);
  EXPECT_EQ(frames[0].first_sequence, 100);
  EXPECT_EQ(frames[0].last_sequence, 102);
  ASSERT_FALSE(jb.insert(delta[0], kStart));
  frames = jb.pop(kStart);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(frames[0].key_frame);
  EXPECT_EQ(frames[0].timestamp, 3000u);
  EXPECT_EQ(frames[0].data, Bytes(200, 1));
  EXPECT_FALSE(jb.waiting_for_key_frame());
}

TEST(JitterBuffer, VideoStartsAtAKeyFrameAndAsksForOneAfterWaiting) {
  JitterBuffer jb(JitterBufferConfig::video());
  // Joined mid-stream: deltas first.
  for (auto& p : video_frame(10, 5, 2, false)) ASSERT_FALSE(jb.insert(p, kStart));
  for (auto& p : video_frame(12, 6, 2, false)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_TRUE(jb.pop(kStart).empty());
  EXPECT_TRUE(jb.waiting_for_key_frame());
  EXPECT_FALSE(jb.take_key_frame_request(kStart + milliseconds(499)));
  EXPECT_TRUE(jb.take_key_frame_request(kStart + milliseconds(500)));
  // Rate-limited.
  EXPECT_FALSE(jb.take_key_frame_request(kStart + milliseconds(900)));
  EXPECT_TRUE(jb.take_key_frame_request(kStart + milliseconds(1000)));

  for (auto& p : video_frame(14, 7, 2, true))
    ASSERT_FALSE(jb.insert(p, kStart + milliseconds(1100)));
  const auto frames = jb.pop(kStart + milliseconds(1100));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].key_frame);
  EXPECT_EQ(frames[0].timestamp, 7 * 3000u);
  EXPECT_FALSE(jb.waiting_for_key_frame());
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::not_decodable), 4u);
  EXPECT_EQ(jb.stats().frames_lost, 2u);
  EXPECT_EQ(jb.stats().key_frame_requests, 2u);
  EXPECT_FALSE(jb.take_key_frame_request(kStart + milliseconds(5000)));
}

TEST(JitterBuffer, NacksMissingPacketsSpacedByRttAtMostNTimes) {
  JitterBufferConfig config = JitterBufferConfig::video();
  config.max_nacks = 2;
  config.max_delay = milliseconds(1000);
  JitterBuffer jb(config);
  for (auto& p : video_frame(1, 0, 2, true)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  auto next = video_frame(3, 1, 4, false);
  ASSERT_FALSE(jb.insert(next[0], kStart));
  ASSERT_FALSE(jb.insert(next[3], kStart));  // 4 and 5 are missing
  EXPECT_EQ(jb.take_nacks(kStart), (std::vector<uint16_t>{4, 5}));
  EXPECT_TRUE(jb.take_nacks(kStart + milliseconds(49)).empty());
  ASSERT_FALSE(jb.insert(next[1], kStart + milliseconds(40)));  // 4 arrives
  EXPECT_EQ(jb.take_nacks(kStart + milliseconds(50)), (std::vector<uint16_t>{5}));
  EXPECT_TRUE(jb.take_nacks(kStart + milliseconds(200)).empty());  // twice is the limit
  EXPECT_EQ(jb.stats().nacked, 3u);
  ASSERT_FALSE(jb.insert(next[2], kStart + milliseconds(210)));
  const auto frames = jb.pop(kStart + milliseconds(210));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].data.size(), 400u);
  EXPECT_EQ(jb.stats().frames_lost, 0u);
}

TEST(JitterBuffer, AMissingTailIsNotALossUntilAPacketShowsTheGap) {
  JitterBuffer jb(JitterBufferConfig::video());
  for (auto& p : video_frame(1, 0, 1, true)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  auto frame = video_frame(2, 1, 3, false);
  ASSERT_FALSE(jb.insert(frame[0], kStart));
  ASSERT_FALSE(jb.insert(frame[1], kStart));
  // Its last packet is late, and nothing came after it: still waiting.
  EXPECT_TRUE(jb.pop(kStart + milliseconds(1000)).empty());
  EXPECT_FALSE(jb.waiting_for_key_frame());
  ASSERT_FALSE(jb.insert(frame[2], kStart + milliseconds(1000)));
  EXPECT_EQ(jb.pop(kStart + milliseconds(1000)).size(), 1u);
  EXPECT_EQ(jb.stats().frames_lost, 0u);
}

TEST(JitterBuffer, LargeGapsAreNotNacked) {
  JitterBuffer jb(JitterBufferConfig::video());  // max_nack_gap 256
  for (auto& p : video_frame(1, 0, 1, true)) ASSERT_FALSE(jb.insert(p, kStart));
  ASSERT_FALSE(jb.insert(video_packet(1000, 1, 0, 1, false), kStart));
  EXPECT_TRUE(jb.take_nacks(kStart).empty());
}

TEST(JitterBuffer, VideoLossWaitsForTheNextKeyFrame) {
  JitterBuffer jb(JitterBufferConfig::video());  // 150 ms
  for (auto& p : video_frame(1, 0, 2, true)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  auto lost = video_frame(3, 1, 2, false);
  ASSERT_FALSE(jb.insert(lost[0], kStart));  // lost[1] never comes
  const TimePoint t1 = kStart + milliseconds(33);
  for (auto& p : video_frame(5, 2, 2, false)) ASSERT_FALSE(jb.insert(p, t1));
  // The gap showed when seq 5 arrived, at t1: the wait ends 150 ms later.
  EXPECT_TRUE(jb.pop(t1 + milliseconds(149)).empty());
  EXPECT_FALSE(jb.waiting_for_key_frame());
  EXPECT_FALSE(jb.take_key_frame_request(t1 + milliseconds(149)));
  EXPECT_TRUE(jb.pop(t1 + milliseconds(150)).empty());
  EXPECT_TRUE(jb.waiting_for_key_frame());
  // Asked at once after a loss.
  EXPECT_TRUE(jb.take_key_frame_request(t1 + milliseconds(150)));
  // A complete delta frame does not end the wait.
  const TimePoint t2 = t1 + milliseconds(160);
  for (auto& p : video_frame(7, 3, 2, false)) ASSERT_FALSE(jb.insert(p, t2));
  EXPECT_TRUE(jb.pop(t2).empty());
  for (auto& p : video_frame(9, 4, 3, true)) ASSERT_FALSE(jb.insert(p, t2));
  const auto frames = jb.pop(t2);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].key_frame);
  EXPECT_EQ(frames[0].first_sequence, 9);
  // Frames 1, 2 and 3 are gone.
  EXPECT_EQ(jb.stats().frames_lost, 3u);
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::not_decodable), 5u);
}

TEST(JitterBuffer, ACompleteKeyFramePastAGapEndsTheWaitAtOnce) {
  JitterBuffer jb(JitterBufferConfig::video());
  for (auto& p : video_frame(1, 0, 1, true)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  auto delta = video_frame(2, 1, 2, false);
  ASSERT_FALSE(jb.insert(delta[1], kStart));  // delta[0] is missing
  EXPECT_TRUE(jb.pop(kStart).empty());
  for (auto& p : video_frame(4, 2, 2, true)) ASSERT_FALSE(jb.insert(p, kStart));
  const auto frames = jb.pop(kStart);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].key_frame);
  EXPECT_EQ(frames[0].first_sequence, 4);
  EXPECT_EQ(jb.stats().frames_lost, 1u);
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::not_decodable), 1u);
  // The skipped number is no longer NACKed.
  EXPECT_TRUE(jb.take_nacks(kStart).empty());
}

TEST(JitterBuffer, PaddingPacketsTakeASequenceNumberButNoFrame) {
  JitterBuffer jb(JitterBufferConfig::video());
  for (auto& p : video_frame(1, 0, 1, true)) ASSERT_FALSE(jb.insert(p, kStart));
  JitterPacket padding;
  padding.sequence_number = 2;
  padding.begin = padding.end = false;
  ASSERT_FALSE(jb.insert(padding, kStart));
  for (auto& p : video_frame(3, 1, 1, false)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 2u);
  EXPECT_EQ(jb.stats().frames_lost, 0u);
}

TEST(JitterBuffer, PaddingNeverStartsOrMovesTheStream) {
  JitterBuffer jb(JitterBufferConfig::audio());
  JitterPacket padding;
  padding.sequence_number = 40000;
  EXPECT_EQ(jb.insert(padding, kStart), JitterDropReason::stray_padding);
  ASSERT_FALSE(jb.insert(audio_packet(5), kStart));
  // Far from the stream: dropped, and no number of them forces a resync.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(jb.insert(padding, kStart), JitterDropReason::stray_padding);
  }
  EXPECT_EQ(jb.stats().resyncs, 0u);
  ASSERT_FALSE(jb.insert(audio_packet(6), kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 2u);
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::stray_padding), 21u);
}

TEST(JitterBuffer, BrokenFramesAreDroppedNotDelivered) {
  JitterBuffer jb(JitterBufferConfig::video());
  for (auto& p : video_frame(1, 0, 1, true)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  // A continuation packet with another frame's timestamp.
  auto frame = video_frame(2, 1, 2, false);
  frame[1].timestamp += 1;
  for (auto& p : frame) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_TRUE(jb.pop(kStart).empty());
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::broken_frame), 1u);
  EXPECT_TRUE(jb.waiting_for_key_frame());
}

TEST(JitterBuffer, FramesPastTheSizeLimitAreDropped) {
  JitterBufferConfig config = JitterBufferConfig::video();
  config.max_frame_size = 250;
  JitterBuffer jb(config);
  for (auto& p : video_frame(1, 0, 2, true)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);  // 200 bytes
  for (auto& p : video_frame(3, 1, 3, false)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_TRUE(jb.pop(kStart).empty());  // 300 bytes
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::frame_too_large), 1u);
}

TEST(JitterBuffer, AbsurdJumpsAreDroppedUntilTheStreamReallyRestarts) {
  JitterBuffer jb(JitterBufferConfig::audio());
  ASSERT_FALSE(jb.insert(audio_packet(100), kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  // One forged packet 30000 ahead changes nothing.
  EXPECT_EQ(jb.insert(audio_packet(30100), kStart), JitterDropReason::out_of_range);
  ASSERT_FALSE(jb.insert(audio_packet(101), kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  // A stream that really moved: resync_after (8) packets in a row.
  for (uint16_t i = 0; i < 7; ++i) {
    EXPECT_EQ(jb.insert(audio_packet(static_cast<uint16_t>(20000 + i)), kStart),
              JitterDropReason::out_of_range);
  }
  EXPECT_FALSE(jb.insert(audio_packet(20007), kStart).has_value());
  EXPECT_EQ(jb.stats().resyncs, 1u);
  const auto frames = jb.pop(kStart);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].timestamp, 20007u * 960u);
  EXPECT_EQ(jb.stats().dropped(JitterDropReason::out_of_range), 8u);
}

TEST(JitterBuffer, MemoryStaysBoundedUnderAGiantFrame) {
  JitterBufferConfig config = JitterBufferConfig::video();
  config.max_packets = 64;
  config.max_bytes = 64 * 1000;
  JitterBuffer jb(config);
  for (auto& p : video_frame(1, 0, 1, true)) ASSERT_FALSE(jb.insert(p, kStart));
  EXPECT_EQ(jb.pop(kStart).size(), 1u);
  // A frame that begins and never ends, with large packets.
  for (uint16_t i = 0; i < 1000; ++i) {
    auto p = video_packet(static_cast<uint16_t>(2 + i), 1, i == 0 ? 0 : 1, 2000, false, 1500);
    p.end = false;
    (void)jb.insert(p, kStart);
    (void)jb.pop(kStart);
    ASSERT_LE(jb.packet_count(), config.max_packets);
    ASSERT_LE(jb.byte_count(), config.max_bytes);
  }
  EXPECT_GT(jb.stats().dropped(JitterDropReason::buffer_full), 900u);
  EXPECT_TRUE(jb.waiting_for_key_frame());
  // The stream recovers at the next key frame.
  for (auto& p : video_frame(1002, 2, 2, true)) ASSERT_FALSE(jb.insert(p, kStart));
  const auto frames = jb.pop(kStart);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].timestamp, 2 * 3000u);
}

}  // namespace
}  // namespace conclave::client
