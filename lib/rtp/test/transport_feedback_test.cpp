#include "conclave/rtp/transport_feedback.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

using Symbol = PacketStatusSymbol;
using Packet = TransportFeedback::Packet;

Bytes hex(const char* s) { return from_hex(s).value(); }

Result<TransportFeedback> parse(BytesView b) {
  CV_TRY(auto v, read_rtcp_packet(b));
  return TransportFeedback::parse(v.header, v.body);
}

// Base 100, 5 packets, reference time 1, feedback count 7. Statuses small
// (4), lost, small (1), large (-4), small (255): one two-bit vector chunk
// 11|01 00 01 10 01 00 00 = 0xd190, deltas 04 01 fffc ff, one padding octet.
const char* kFeedback =
    "afcd0006" "00000001" "00000002" "0064" "0005" "000001" "07" "d190" "0401fffcff" "01";

TransportFeedback known() {
  TransportFeedback fb;
  fb.sender_ssrc = 1;
  fb.media_ssrc = 2;
  fb.base_sequence_number = 100;
  fb.reference_time = 1;
  fb.feedback_packet_count = 7;
  fb.packets = {{Symbol::small_delta, 4}, {Symbol::not_received, 0}, {Symbol::small_delta, 1},
                {Symbol::large_delta, -4}, {Symbol::small_delta, 255}};
  return fb;
}

TEST(TransportFeedback, KnownBytes) {
  auto fb = parse(hex(kFeedback));
  ASSERT_TRUE(fb.ok()) << fb.error().to_string();
  EXPECT_EQ(*fb, known());
  EXPECT_EQ(fb->sequence_number(4), 104);
  Bytes out;
  ASSERT_TRUE(known().serialize(out).ok());
  EXPECT_EQ(to_hex(out), kFeedback);
}

TEST(TransportFeedback, DraftExampleChunks) {
  // Example 1 of 3.1.4: 1x lost, 5x received, 3x lost, 3x received, 2x lost.
  auto fb = parse(hex("afcd0007" "00000001" "00000002" "0000" "000e" "000000" "00" "9f1c"
                      "0102030405060708" "0002"));
  ASSERT_TRUE(fb.ok()) << fb.error().to_string();
  ASSERT_EQ(fb->packets.size(), 14u);
  const char* expect = "01111100011100";
  int delta = 1;
  for (size_t i = 0; i < 14; ++i) {
    const bool received = expect[i] == '1';
    EXPECT_EQ(fb->packets[i].status, received ? Symbol::small_delta : Symbol::not_received) << i;
    if (received) {
      EXPECT_EQ(fb->packets[i].delta_ticks, delta++);
    }
  }
  // Example 1 of 3.1.3: a run of 221 "not received".
  auto run = parse(hex("8fcd0005" "00000001" "00000002" "0000" "00dd" "ffffff" "00" "00dd" "0000"));
  ASSERT_TRUE(run.ok()) << run.error().to_string();
  EXPECT_EQ(run->packets.size(), 221u);
  EXPECT_EQ(run->reference_time, -1);
  EXPECT_EQ(run->packets[220], (Packet{Symbol::not_received, 0}));
}

TEST(TransportFeedback, RejectsReservedSymbolAndTruncation) {
  // Example 2 of 3.1.3 uses symbol 11, which the final format reserves.
  EXPECT_TRUE(parse(hex("8fcd0005" "00000001" "00000002" "0000" "0018" "000000" "00" "6018" "0000"))
                  .error()
                  .is(Errc::invalid_value));
  // Zero packets.
  EXPECT_TRUE(parse(hex("8fcd0005" "00000001" "00000002" "0000" "0000" "000000" "00" "00000000"))
                  .error()
                  .is(Errc::invalid_value));
  // Count says 3 but the chunk covers them and no delta bytes follow.
  EXPECT_TRUE(parse(hex("8fcd0005" "00000001" "00000002" "0000" "0003" "000000" "00" "2003" "0000"))
                  .error()
                  .is(Errc::truncated));
  // Every cut of the known packet (length fixed up) fails.
  const Bytes full = hex(kFeedback);
  for (size_t words = 1; words < full.size() / 4; ++words) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(4 * words));
    cut[0] = 0x8f;  // no padding
    cut[3] = static_cast<uint8_t>(words - 1);
    EXPECT_FALSE(parse(cut).ok()) << words;
  }
}

TEST(TransportFeedback, RoundTripsMixedRuns) {
  TransportFeedback fb;
  fb.base_sequence_number = 65530;  // wraps inside the feedback
  fb.reference_time = TransportFeedback::kMinReferenceTime;
  for (int i = 0; i < 40; ++i) fb.packets.push_back(TransportFeedback::received(i % 3));
  for (int i = 0; i < 9000; ++i) fb.packets.push_back({});  // longer than one run chunk
  for (int i = 0; i < 10; ++i) {
    fb.packets.push_back(TransportFeedback::received(i % 2 == 0 ? -1000 : 300));
    fb.packets.push_back({});
  }
  fb.packets.push_back(TransportFeedback::received(32767));
  Bytes out;
  ASSERT_TRUE(fb.serialize(out).ok());
  EXPECT_EQ(out.size() % 4, 0u);
  auto back = parse(out);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, fb);
  EXPECT_EQ(back->sequence_number(6), 0);
}

TEST(TransportFeedback, RejectsUnencodableInput) {
  Bytes out;
  EXPECT_TRUE(TransportFeedback{}.serialize(out).error().is(Errc::invalid_argument));
  auto bad = known();
  bad.packets[0] = {Symbol::small_delta, 256};
  EXPECT_FALSE(bad.serialize(out).ok());
  bad.packets[0] = {Symbol::large_delta, 40000};
  EXPECT_FALSE(bad.serialize(out).ok());
  bad.packets[0] = {Symbol::not_received, 1};
  EXPECT_FALSE(bad.serialize(out).ok());
  bad = known();
  bad.reference_time = TransportFeedback::kMaxReferenceTime + 1;
  EXPECT_FALSE(bad.serialize(out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(TransportFeedback::status_for_delta(0), Symbol::small_delta);
  EXPECT_EQ(TransportFeedback::status_for_delta(255), Symbol::small_delta);
  EXPECT_EQ(TransportFeedback::status_for_delta(256), Symbol::large_delta);
  EXPECT_EQ(TransportFeedback::status_for_delta(-1), Symbol::large_delta);
}

}  // namespace
}  // namespace conclave::rtp
