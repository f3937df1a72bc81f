// EncodedFrame: one compressed video frame as the encoder produced it (or as
// an IVF file or the network delivered it): the bytes the SFrame layer
// protects whole, plus the metadata the sender puts in the dependency
// descriptor. The timestamp is in the 90 kHz RTP video clock, like
// VideoFrame's.
#pragma once

#include <cstdint>

#include "conclave/base/bytes.h"

namespace conclave::media {

struct EncodedFrame {
  Bytes data;
  bool key_frame = false;
  uint32_t width = 0;
  uint32_t height = 0;
  int64_t timestamp = 0;  // 90 kHz

  friend bool operator==(const EncodedFrame&, const EncodedFrame&) = default;
};

}  // namespace conclave::media
