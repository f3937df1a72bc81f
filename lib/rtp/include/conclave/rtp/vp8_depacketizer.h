// VP8 depacketizer (RFC 7741 section 4): rebuilds frames from in-order
// packets. A frame begins with a packet whose descriptor has S=1 and
// PID=0 and ends with the marker bit; the rules for gaps, late packets and
// limits are FrameAssembler's (frame_assembler.h). A payload whose
// descriptor does not parse, or that holds no data after it, is dropped as
// malformed_payload together with the frame in progress.
//
// AssembledFrame::key_frame comes from the P bit of the VP8 payload
// header (Vp8PayloadDescriptor::is_key_frame). With SFrame the payload is
// ciphertext and that bit is noise: Conclave's receivers take the key-frame
// signal from the dependency descriptor instead
// (DependencyDescriptor::is_key_frame), and so does the SFU.
#pragma once

#include <cstddef>

#include "conclave/rtp/frame_assembler.h"
#include "conclave/rtp/payload_format.h"

namespace conclave::rtp {

class Vp8Depacketizer : public Depacketizer {
 public:
  explicit Vp8Depacketizer(size_t max_frame_size = FrameAssembler::kDefaultMaxFrameSize)
      : assembler_(max_frame_size) {}

  DepacketizeResult push(const RtpPacket& packet) override;
  const DropCounters& drops() const override { return assembler_.drops(); }

 private:
  FrameAssembler assembler_;
};

}  // namespace conclave::rtp
