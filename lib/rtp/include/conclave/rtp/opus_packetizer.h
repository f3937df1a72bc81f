// Opus packetizer (RFC 7587 section 4.2; specs/rfc7587-opus-rtp-payload.xml):
// "only one Opus packet MUST be carried in each RTP packet", so a frame is
// one payload, unchanged. The marker bit is left to the caller (RFC 3551:
// the first packet of a talkspurt after DTX), so it is never set here.
#pragma once

#include <cstddef>
#include <vector>

#include "conclave/rtp/payload_format.h"

namespace conclave::rtp {

class OpusPacketizer : public Packetizer {
 public:
  explicit OpusPacketizer(size_t max_payload_size) : max_payload_size_(max_payload_size) {}

  // invalid_argument for an empty frame or one over max_payload_size (Opus
  // frames are never fragmented).
  Result<std::vector<PayloadPacket>> packetize(BytesView frame) override;

 private:
  size_t max_payload_size_;
};

}  // namespace conclave::rtp
