#include "conclave/rtp/opus_packetizer.h"

namespace conclave::rtp {

Result<std::vector<PayloadPacket>> OpusPacketizer::packetize(BytesView frame) {
  if (frame.empty()) return Error(Errc::invalid_argument, "empty frame");
  if (frame.size() > max_payload_size_) return Error(Errc::invalid_argument, "Opus frame size");
  std::vector<PayloadPacket> packets;
  packets.push_back({Bytes(frame.begin(), frame.end()), false});
  return packets;
}

}  // namespace conclave::rtp
