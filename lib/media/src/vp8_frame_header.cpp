#include "conclave/media/vp8_frame_header.h"

namespace conclave::media {

Result<Vp8FrameHeader> Vp8FrameHeader::parse(BytesView frame) {
  if (frame.size() < kInterframeHeaderSize) return Error(Errc::truncated, "vp8 frame tag");
  const uint32_t tag = static_cast<uint32_t>(frame[0]) | static_cast<uint32_t>(frame[1]) << 8 |
                       static_cast<uint32_t>(frame[2]) << 16;
  Vp8FrameHeader h;
  h.key_frame = (tag & 1U) == 0;
  h.version = static_cast<uint8_t>((tag >> 1) & 7U);
  h.show_frame = ((tag >> 4) & 1U) != 0;
  h.first_part_size = (tag >> 5) & 0x7ffffU;
  if (h.version > 3) return Error(Errc::invalid_header, "vp8 version");
  if (h.key_frame) {
    if (frame.size() < kKeyFrameHeaderSize) return Error(Errc::truncated, "vp8 key frame header");
    if (frame[3] != 0x9d || frame[4] != 0x01 || frame[5] != 0x2a) {
      return Error(Errc::invalid_header, "vp8 start code");
    }
    const auto w = static_cast<uint16_t>(frame[6] | frame[7] << 8);
    const auto hh = static_cast<uint16_t>(frame[8] | frame[9] << 8);
    h.width = static_cast<uint16_t>(w & 0x3fffU);
    h.horizontal_scale = static_cast<uint8_t>(w >> 14);
    h.height = static_cast<uint16_t>(hh & 0x3fffU);
    h.vertical_scale = static_cast<uint8_t>(hh >> 14);
    if (h.width == 0 || h.height == 0) return Error(Errc::invalid_header, "vp8 dimensions");
  }
  if (h.first_part_size == 0) return Error(Errc::invalid_header, "vp8 first partition size");
  if (h.first_part_size > frame.size() - h.header_size()) {
    return Error(Errc::truncated, "vp8 first partition");
  }
  return h;
}

}  // namespace conclave::media
