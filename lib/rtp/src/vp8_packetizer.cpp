#include "conclave/rtp/vp8_packetizer.h"

namespace conclave::rtp {

Vp8Packetizer::Vp8Packetizer(size_t max_payload_size, std::optional<uint16_t> first_picture_id)
    : max_payload_size_(max_payload_size) {
  if (first_picture_id) picture_id_ = static_cast<uint16_t>(*first_picture_id & 0x7fff);
}

Result<std::vector<PayloadPacket>> Vp8Packetizer::packetize(BytesView frame) {
  if (frame.empty()) return Error(Errc::invalid_argument, "empty frame");
  Vp8PayloadDescriptor d;
  d.picture_id = picture_id_;
  d.long_picture_id = true;
  const size_t header = d.size();
  if (max_payload_size_ <= header) return Error(Errc::invalid_argument, "max payload size");

  std::vector<PayloadPacket> packets;
  size_t off = 0;
  const auto sizes = balanced_split(frame.size(), max_payload_size_ - header);
  for (size_t i = 0; i < sizes.size(); ++i) {
    d.start_of_partition = i == 0;
    CV_TRY(Bytes payload, d.serialize());
    payload.insert(payload.end(), frame.begin() + static_cast<std::ptrdiff_t>(off),
                   frame.begin() + static_cast<std::ptrdiff_t>(off + sizes[i]));
    off += sizes[i];
    packets.push_back({std::move(payload), i + 1 == sizes.size()});
  }
  if (picture_id_) picture_id_ = static_cast<uint16_t>((*picture_id_ + 1) & 0x7fff);
  return packets;
}

}  // namespace conclave::rtp
