// Opus depacketizer (RFC 7587): every RTP packet is one whole frame, so
// each packet yields a frame unless it is empty (malformed_payload) or not
// newer than the last one taken (late_packet). Every Opus frame decodes on
// its own, so key_frame is always true.
#pragma once

#include <cstddef>

#include "conclave/rtp/frame_assembler.h"
#include "conclave/rtp/payload_format.h"

namespace conclave::rtp {

class OpusDepacketizer : public Depacketizer {
 public:
  DepacketizeResult push(const RtpPacket& packet) override;
  const DropCounters& drops() const override { return assembler_.drops(); }

 private:
  FrameAssembler assembler_;
};

}  // namespace conclave::rtp
