// Depacketizer of the SFrame RTP payload format
// (specs/draft-ietf-avtcore-rtp-sframe.md, "RTP depacketization of
// SFrame"): fragments from the one with S=1 to the one with E=1, with no
// sequence number missing in between, are concatenated into the SFrame
// ciphertext; the reserved bits are ignored. The result still has to be
// decrypted (sframe::Context) before it is a media frame.
//
// key_frame is always false here: the ciphertext says nothing, so the
// caller reads the dependency descriptor of the packets.
#pragma once

#include <cstddef>

#include "conclave/rtp/frame_assembler.h"
#include "conclave/rtp/payload_format.h"

namespace conclave::rtp {

class SFrameDepacketizer : public Depacketizer {
 public:
  explicit SFrameDepacketizer(size_t max_frame_size = FrameAssembler::kDefaultMaxFrameSize)
      : assembler_(max_frame_size) {}

  DepacketizeResult push(const RtpPacket& packet) override;
  const DropCounters& drops() const override { return assembler_.drops(); }

 private:
  FrameAssembler assembler_;
};

}  // namespace conclave::rtp
