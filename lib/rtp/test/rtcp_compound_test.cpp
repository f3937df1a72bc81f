#include "conclave/rtp/rtcp_compound.h"

#include <gtest/gtest.h>

#include <set>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

std::vector<RtcpPacket> sample() {
  SenderReport sr;
  sr.sender_ssrc = 1;
  sr.ntp_timestamp = 0x0102030405060708;
  sr.report_blocks.push_back(ReportBlock{2, 3, -4, 5, 6, 7, 8});
  Sdes sdes;
  sdes.chunks.push_back({1, {{1, "alice@conclave"}}});
  TransportFeedback tcc;
  tcc.sender_ssrc = 1;
  tcc.media_ssrc = 2;
  tcc.base_sequence_number = 10;
  tcc.packets = {TransportFeedback::received(3), {}, TransportFeedback::received(-7)};
  UnknownRtcp app{204, 3, false, hex("00000001" "6e616d65" "01020304")};
  return {sr,
          sdes,
          GenericNack{1, 2, {100, 101, 103}},
          Pli{1, 2},
          Fir{1, 0, {{2, 9}}},
          Remb{1, 0, 500'000, {2, 3}},
          tcc,
          Bye{{1}, "done"},
          app};
}

TEST(RtcpCompound, RoundTripsEveryType) {
  const auto packets = sample();
  auto bytes = build_rtcp_compound(packets);
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  auto back = parse_rtcp_compound(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_EQ(back->size(), packets.size());
  for (size_t i = 0; i < packets.size(); ++i) {
    EXPECT_EQ((*back)[i].index(), packets[i].index()) << i;
    EXPECT_TRUE((*back)[i] == packets[i]) << i;
  }
}

TEST(RtcpCompound, KnownReducedSizeFeedback) {
  // A PLI then a NACK, as a browser sends them (no RR first).
  auto p = parse_rtcp_compound(hex("81ce0002" "0000000a" "0000000b"
                                   "81cd0003" "0000000a" "0000000b" "00640005"));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(std::get<Pli>((*p)[0]), (Pli{10, 11}));
  EXPECT_EQ(std::get<GenericNack>((*p)[1]).lost, (std::vector<uint16_t>{100, 101, 103}));
}

TEST(RtcpCompound, KeepsUnknownPacketsByteForByte) {
  // XR (207), PSFB FMT 15 that is not REMB, RTPFB FMT 3 (TMMBR), then an RR.
  const Bytes b = hex("80cf0001" "00000001"
                      "8fce0003" "00000001" "00000000" "41424344"
                      "a3cd0003" "00000001" "00000002" "aa000002"
                      "80c90001" "00000009");
  auto p = parse_rtcp_compound(b);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ(std::get<UnknownRtcp>((*p)[0]).packet_type, 207);
  EXPECT_EQ(std::get<UnknownRtcp>((*p)[1]).count, 15);
  EXPECT_TRUE(std::get<UnknownRtcp>((*p)[2]).padding);
  EXPECT_EQ(std::get<ReceiverReport>((*p)[3]).sender_ssrc, 9u);
  EXPECT_EQ(build_rtcp_compound(*p).value(), b);
}

TEST(RtcpCompound, TruncationAtEveryByte) {
  const Bytes full = build_rtcp_compound(sample()).value();
  // Packet boundaries: the prefixes that are themselves complete compounds.
  std::set<size_t> boundaries;
  for (size_t off = 0; off < full.size();) {
    off += (size_t{full[off + 2]} << 8 | full[off + 3]) * 4 + 4;
    boundaries.insert(off);
  }
  for (size_t n = 0; n < full.size(); ++n) {
    auto p = parse_rtcp_compound(BytesView(full).first(n));
    EXPECT_EQ(p.ok(), boundaries.count(n) == 1) << n;
  }
}

TEST(RtcpCompound, HostileInput) {
  EXPECT_TRUE(parse_rtcp_compound({}).error().is(Errc::truncated));
  // Trailing bytes that are not a packet.
  EXPECT_TRUE(parse_rtcp_compound(hex("80c90001" "00000009" "80")).error().is(Errc::truncated));
  // Version 0 (e.g. a STUN packet sent to the RTCP parser).
  EXPECT_TRUE(parse_rtcp_compound(hex("0001000c" "2112a442")).error().is(Errc::invalid_version));
  // A length beyond the datagram.
  EXPECT_TRUE(parse_rtcp_compound(hex("80c9ffff" "00000009")).error().is(Errc::truncated));
  // A malformed known packet fails the compound.
  EXPECT_TRUE(parse_rtcp_compound(hex("80c90001" "00000009" "81cd0002" "00000001" "00000002"))
                  .error()
                  .is(Errc::invalid_length));
  // Unknown packets that cannot be written.
  Bytes out;
  EXPECT_FALSE(append_rtcp_packet(UnknownRtcp{204, 0, false, hex("01")}, out).ok());
  EXPECT_FALSE(append_rtcp_packet(UnknownRtcp{204, 32, false, {}}, out).ok());
}

}  // namespace
}  // namespace conclave::rtp
