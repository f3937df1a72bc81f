#include "conclave/rtp/sframe_packetizer.h"

namespace conclave::rtp {

Result<std::vector<PayloadPacket>> SFramePacketizer::packetize(BytesView ciphertext) {
  if (ciphertext.empty()) return Error(Errc::invalid_argument, "empty frame");
  if (max_payload_size_ < 2) return Error(Errc::invalid_argument, "max payload size");
  std::vector<PayloadPacket> packets;
  const auto sizes = balanced_split(ciphertext.size(), max_payload_size_ - 1);
  size_t off = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const bool last = i + 1 == sizes.size();
    PayloadPacket p;
    p.payload.reserve(1 + sizes[i]);
    p.payload.push_back(
        static_cast<uint8_t>((i == 0 ? kSFrameRtpStart : 0) | (last ? kSFrameRtpEnd : 0)));
    p.payload.insert(p.payload.end(), ciphertext.begin() + static_cast<std::ptrdiff_t>(off),
                     ciphertext.begin() + static_cast<std::ptrdiff_t>(off + sizes[i]));
    off += sizes[i];
    p.marker = last && marker_on_last_;
    packets.push_back(std::move(p));
  }
  return packets;
}

}  // namespace conclave::rtp
