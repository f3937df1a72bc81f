// Transport-wide congestion control feedback (RTPFB, FMT 15;
// specs/draft-holmer-rmcat-transport-wide-cc-extensions-01.txt section 3.1):
//
//   |V=2|P|  FMT=15 |    PT=205     |           length              |
//   |                     SSRC of packet sender                     |
//   |                      SSRC of media source                     |
//   |      base sequence number     |      packet status count      |
//   |                 reference time                | fb pkt. count |
//   |          packet chunk         |         packet chunk          |  ...
//   |         packet chunk          |  recv delta   |  recv delta   |  ...
//
// Two notes on the draft text: the figure says PT=205 (RTPFB), which is
// what every implementation sends, while one sentence says 206; and in a
// status vector chunk with one-bit symbols, 0 is "not received" and 1 is
// "received, small delta" (as its example 1 shows). Symbol 11 is reserved
// and rejected.
//
// The packet is kept as one status per sequence number from the base, with
// receive deltas in 250 us ticks: 0-255 for small deltas (one byte),
// -32768-32767 for large ones (two bytes, signed). serialize() chooses the
// chunks: run-length chunks for runs of 14 or more (or the rest), else a
// one-bit vector of 14 symbols when none of them is a large delta, else a
// two-bit vector of 7. A body not on a 32-bit boundary is padded with the
// P bit set, as RFC 3550 prescribes and libwebrtc does.
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

enum class PacketStatusSymbol : uint8_t {
  not_received = 0,
  small_delta = 1,
  large_delta = 2,
};

struct TransportFeedback {
  static constexpr int64_t kDeltaTickUs = 250;
  static constexpr int64_t kReferenceTimeUnitUs = 64'000;
  static constexpr int32_t kMinReferenceTime = -(1 << 23);
  static constexpr int32_t kMaxReferenceTime = (1 << 23) - 1;

  struct Packet {
    PacketStatusSymbol status = PacketStatusSymbol::not_received;
    int32_t delta_ticks = 0;  // 0 when not received
    friend bool operator==(const Packet&, const Packet&) = default;
  };

  uint32_t sender_ssrc = 0;
  uint32_t media_ssrc = 0;
  uint16_t base_sequence_number = 0;
  int32_t reference_time = 0;  // 24-bit signed, in 64 ms units
  uint8_t feedback_packet_count = 0;
  std::vector<Packet> packets;  // packets[i] is base_sequence_number + i

  // The status a delta needs: small for 0-255 ticks, large otherwise.
  static PacketStatusSymbol status_for_delta(int32_t delta_ticks);
  // A received packet with the right status for its delta.
  static Packet received(int32_t delta_ticks) { return {status_for_delta(delta_ticks), delta_ticks}; }

  uint16_t sequence_number(size_t i) const {
    return static_cast<uint16_t>(base_sequence_number + i);
  }

  // Errors: truncated, invalid_value (zero packets, a reserved symbol).
  static Result<TransportFeedback> parse(const RtcpHeader& header, BytesView body);
  // invalid_argument: no packets or more than 65535, a reference time out
  // of range, a delta outside its status's range, or a non-zero delta on a
  // packet not received.
  Status serialize(Bytes& out) const;

  friend bool operator==(const TransportFeedback&, const TransportFeedback&) = default;
};

}  // namespace conclave::rtp
