#include "conclave/rtp/sframe_depacketizer.h"

#include "conclave/rtp/sframe_packetizer.h"

namespace conclave::rtp {

DepacketizeResult SFrameDepacketizer::push(const RtpPacket& packet) {
  const BytesView payload = packet.payload();
  if (payload.size() < 2) {
    return assembler_.reject(packet.sequence_number(), DropReason::malformed_payload);
  }
  const bool begin = (payload[0] & kSFrameRtpStart) != 0;
  const bool end = (payload[0] & kSFrameRtpEnd) != 0;
  return assembler_.push(packet.sequence_number(), packet.timestamp(), begin, end,
                         payload.subspan(1), false);
}

}  // namespace conclave::rtp
