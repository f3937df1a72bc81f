// Vp8FrameHeader: the uncompressed start of a VP8 frame (RFC 6386 section
// 9.1), read without decoding anything:
//
//   frame tag (3 bytes, little endian):
//     bit 0      key_frame (0 = key frame, 1 = interframe)
//     bits 1-3   version (0..3)
//     bit 4      show_frame
//     bits 5-23  first_part_size (bytes of the first partition)
//   key frames only (7 bytes): start code 9d 01 2a, then
//     16 bits    width (14 bits) | horizontal_scale (2 bits)
//     16 bits    height (14 bits) | vertical_scale (2 bits)
//
// Vp8Decoder checks every frame with it before libvpx sees the bytes
// (dimensions against its limits, the first partition inside the frame),
// and IvfReader uses it for the key-frame flag.
#pragma once

#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/media/errc.h"

namespace conclave::media {

struct Vp8FrameHeader {
  static constexpr size_t kInterframeHeaderSize = 3;
  static constexpr size_t kKeyFrameHeaderSize = 10;

  bool key_frame = false;
  uint8_t version = 0;
  bool show_frame = false;
  uint32_t first_part_size = 0;
  // Key frames only (0 otherwise).
  uint16_t width = 0;
  uint16_t height = 0;
  uint8_t horizontal_scale = 0;
  uint8_t vertical_scale = 0;

  // Bytes before the first partition: 10 for key frames, 3 otherwise.
  size_t header_size() const { return key_frame ? kKeyFrameHeaderSize : kInterframeHeaderSize; }

  // Errors: truncated (shorter than the header or than the first
  // partition it announces), invalid_header (version above 3, bad start
  // code, zero width or height, empty first partition).
  static Result<Vp8FrameHeader> parse(BytesView frame);

  friend bool operator==(const Vp8FrameHeader&, const Vp8FrameHeader&) = default;
};

}  // namespace conclave::media
