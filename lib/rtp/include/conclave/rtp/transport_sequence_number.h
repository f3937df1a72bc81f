// Transport-wide sequence number header extension
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2):
//
//   |  ID   | L=1   |transport-wide sequence number | zero padding  |
//
// A 16-bit number incremented for every packet sent on the transport,
// whatever its SSRC; the receiver reports arrival times per number in
// transport-cc feedback (transport_feedback.h). An SFU rewrites it per
// outgoing transport with RtpPacket::rewrite_extension.
#pragma once

#include <cstdint>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

struct TransportSequenceNumber {
  static constexpr std::string_view kUri =
      "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
  static constexpr size_t kSize = 2;

  // Errors: invalid_length unless exactly two bytes.
  static Result<uint16_t> parse(BytesView data);
  static Bytes serialize(uint16_t seq);
};

}  // namespace conclave::rtp
