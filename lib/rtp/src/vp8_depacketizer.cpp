#include "conclave/rtp/vp8_depacketizer.h"

#include "conclave/rtp/vp8_payload_descriptor.h"

namespace conclave::rtp {

DepacketizeResult Vp8Depacketizer::push(const RtpPacket& packet) {
  const BytesView payload = packet.payload();
  auto parsed = Vp8PayloadDescriptor::parse(payload);
  if (!parsed.ok() || parsed->second >= payload.size()) {
    return assembler_.reject(packet.sequence_number(), DropReason::malformed_payload);
  }
  const auto& d = parsed->first;
  const BytesView data = payload.subspan(parsed->second);
  const bool begin = d.start_of_partition && d.partition_index == 0;
  return assembler_.push(packet.sequence_number(), packet.timestamp(), begin, packet.marker(), data,
                         begin && Vp8PayloadDescriptor::is_key_frame(data));
}

}  // namespace conclave::rtp
