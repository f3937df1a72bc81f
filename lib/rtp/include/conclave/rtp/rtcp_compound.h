// RTCP compound packets (RFC 3550 section 6.1): several RTCP packets
// back to back in one datagram, parsed into a list of typed packets.
//
//   [SR|RR] [SDES] [BYE] [RTPFB: NACK, transport-cc] [PSFB: PLI, FIR, REMB] ...
//
// Recognised: SR (200), RR (201), SDES (202), BYE (203), RTPFB (205) FMT 1
// generic NACK and FMT 15 transport-cc, PSFB (206) FMT 1 PLI, FMT 4 FIR
// and FMT 15 with the "REMB" identifier. Anything else (APP, XR, other
// FMTs, application-layer feedback that is not REMB) is kept as an
// UnknownRtcp with its raw body, so it is skipped safely and can be
// forwarded unchanged.
//
// The rules of RFC 3550 on compound structure (SR or RR first, CNAME
// present) are not enforced: browsers send reduced-size RTCP (RFC 5506),
// single feedback packets. A malformed packet anywhere fails the whole
// compound: after SRTCP authentication that can only come from a broken
// sender.
#pragma once

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/bye.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/fir.h"
#include "conclave/rtp/generic_nack.h"
#include "conclave/rtp/pli.h"
#include "conclave/rtp/receiver_report.h"
#include "conclave/rtp/remb.h"
#include "conclave/rtp/rtcp_header.h"
#include "conclave/rtp/sdes.h"
#include "conclave/rtp/sender_report.h"
#include "conclave/rtp/transport_feedback.h"

namespace conclave::rtp {

// A packet of a type not interpreted here, kept byte for byte.
struct UnknownRtcp {
  uint8_t packet_type = 0;
  uint8_t count = 0;  // RC, SC or FMT
  bool padding = false;
  Bytes body;  // after the 4-byte header, padding included; a multiple of 4

  // invalid_argument when body is not a multiple of 4 octets or too long,
  // or count > 31.
  Status serialize(Bytes& out) const;

  friend bool operator==(const UnknownRtcp&, const UnknownRtcp&) = default;
};

using RtcpPacket = std::variant<SenderReport, ReceiverReport, Sdes, Bye, GenericNack, Pli, Fir,
                                Remb, TransportFeedback, UnknownRtcp>;

// Parses a whole compound packet. Errors: truncated (empty input or bytes
// left that do not make a packet) and the errors of each packet's parser.
Result<std::vector<RtcpPacket>> parse_rtcp_compound(BytesView data);

// Appends one packet; the errors of its serialize().
Status append_rtcp_packet(const RtcpPacket& packet, Bytes& out);

// All packets, in order, as one compound packet.
Result<Bytes> build_rtcp_compound(std::span<const RtcpPacket> packets);

}  // namespace conclave::rtp
