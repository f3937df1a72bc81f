// VP8 packetizer (RFC 7741 section 4): splits one encoded frame into
// payloads of at most max_payload_size bytes, each a VP8 payload
// descriptor followed by a slice of the frame. The slices are balanced in
// size; the first packet has S=1 and PID=0 (the frame is sent as one
// partition), the others S=0; the last one carries the marker bit.
//
// Every packet carries a 15-bit PictureID, incremented per frame and
// wrapping at 2^15, unless picture ids are disabled. With SFrame the
// "frame" given here is the ciphertext: the descriptor stays in the clear,
// the VP8 payload header does not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "conclave/rtp/payload_format.h"
#include "conclave/rtp/vp8_payload_descriptor.h"

namespace conclave::rtp {

class Vp8Packetizer : public Packetizer {
 public:
  // first_picture_id: the PictureID of the first frame (its low 15 bits),
  // or nullopt for no PictureID.
  explicit Vp8Packetizer(size_t max_payload_size,
                         std::optional<uint16_t> first_picture_id = uint16_t{0});

  Result<std::vector<PayloadPacket>> packetize(BytesView frame) override;

  // The PictureID the next frame will carry.
  std::optional<uint16_t> next_picture_id() const { return picture_id_; }

 private:
  size_t max_payload_size_;
  std::optional<uint16_t> picture_id_;
};

}  // namespace conclave::rtp
