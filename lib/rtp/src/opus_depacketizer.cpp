#include "conclave/rtp/opus_depacketizer.h"

namespace conclave::rtp {

DepacketizeResult OpusDepacketizer::push(const RtpPacket& packet) {
  if (packet.payload().empty()) {
    return assembler_.reject(packet.sequence_number(), DropReason::malformed_payload);
  }
  return assembler_.push(packet.sequence_number(), packet.timestamp(), true, true,
                         packet.payload(), true);
}

}  // namespace conclave::rtp
