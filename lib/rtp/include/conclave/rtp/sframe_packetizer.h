// The RTP payload format for SFrame (specs/draft-ietf-avtcore-rtp-sframe.md),
// per-frame mode: the SFrame ciphertext of a whole media frame is split
// into payloads, each prefixed with the one-byte SFrame RTP header
//
//   |S|E| reserved (6) |
//
// S=1 on the first fragment only, E=1 on the last only (both on a single
// packet); the reserved bits are 0. The draft keeps the marker bit and the
// header extensions of the media format's packetization; for video that
// is the marker on the last packet, which is what this packetizer sets
// (configurable, since an audio stream's marker means something else).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "conclave/rtp/payload_format.h"

namespace conclave::rtp {

inline constexpr uint8_t kSFrameRtpStart = 0x80;
inline constexpr uint8_t kSFrameRtpEnd = 0x40;

class SFramePacketizer : public Packetizer {
 public:
  explicit SFramePacketizer(size_t max_payload_size, bool marker_on_last = true)
      : max_payload_size_(max_payload_size), marker_on_last_(marker_on_last) {}

  Result<std::vector<PayloadPacket>> packetize(BytesView ciphertext) override;

 private:
  size_t max_payload_size_;
  bool marker_on_last_;
};

}  // namespace conclave::rtp
