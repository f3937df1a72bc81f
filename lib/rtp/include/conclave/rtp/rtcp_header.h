// The common header of every RTCP packet (RFC 3550 section 6.4; feedback
// messages RFC 4585 section 6.1), shared by the typed packets of
// rtcp_compound.h.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P| count/FMT |      PT       |  length (32-bit words - 1)    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// With P set, the last octet of the packet counts the padding octets,
// itself included. Feedback messages (RTPFB, PSFB) continue with the SSRC
// of the packet sender and the SSRC of the media source.
#pragma once

#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

enum class RtcpPacketType : uint8_t {
  sr = 200,     // sender report
  rr = 201,     // receiver report
  sdes = 202,   // source description
  bye = 203,    // goodbye
  app = 204,    // application-defined
  rtpfb = 205,  // transport-layer feedback (RFC 4585)
  psfb = 206,   // payload-specific feedback (RFC 4585)
};

// FMT values of the feedback messages implemented here.
inline constexpr uint8_t kFmtGenericNack = 1;        // RTPFB, RFC 4585 section 6.2.1
inline constexpr uint8_t kFmtTransportFeedback = 15;  // RTPFB, draft-holmer transport-cc
inline constexpr uint8_t kFmtPli = 1;                // PSFB, RFC 4585 section 6.3.1
inline constexpr uint8_t kFmtFir = 4;                // PSFB, RFC 5104 section 4.3.1
inline constexpr uint8_t kFmtAfb = 15;               // PSFB application layer (REMB)

struct RtcpHeader {
  static constexpr size_t kSize = 4;

  bool padding = false;
  uint8_t count = 0;  // RC, SC or FMT: 0-31
  uint8_t packet_type = 0;
  uint16_t length = 0;  // in 32-bit words, minus one

  size_t packet_size() const { return (size_t{length} + 1) * 4; }
};

// One packet read from the front of a compound packet.
struct RtcpPacketView {
  RtcpHeader header;
  BytesView body;  // after the 4-byte header, padding removed
  BytesView raw;   // the whole packet, header and padding included
};

// Reads the packet at the front of data. Errors: truncated,
// invalid_version, invalid_padding.
Result<RtcpPacketView> read_rtcp_packet(BytesView data);

// RFC 5761 section 4 demultiplexing: RTCP packet types 192-223 in the
// second octet, after a version of 2.
bool looks_like_rtcp(BytesView data);

// Writing a packet: begin_rtcp_packet() appends a header with a zero
// length and returns its offset; the caller appends the body, then
// finish_rtcp_packet() pads it to a 32-bit boundary (with the P bit and a
// count octet when pad_allowed, otherwise the body must be aligned) and
// fills in the length. On failure (body too long, or unaligned with
// pad_allowed false) out is cut back to where the packet began.
size_t begin_rtcp_packet(Bytes& out, uint8_t count, RtcpPacketType type);
Status finish_rtcp_packet(Bytes& out, size_t start, bool pad_allowed = true);

}  // namespace conclave::rtp
