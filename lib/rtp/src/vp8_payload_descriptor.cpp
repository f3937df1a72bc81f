#include "conclave/rtp/vp8_payload_descriptor.h"

namespace conclave::rtp {

Result<std::pair<Vp8PayloadDescriptor, size_t>> Vp8PayloadDescriptor::parse(BytesView payload) {
  if (payload.empty()) return Error(Errc::truncated, "VP8 descriptor");
  Vp8PayloadDescriptor d;
  const uint8_t b0 = payload[0];
  d.non_reference = (b0 & 0x20) != 0;
  d.start_of_partition = (b0 & 0x10) != 0;
  d.partition_index = b0 & 0x07;
  size_t off = 1;
  if ((b0 & 0x80) == 0) return std::make_pair(d, off);
  if (payload.size() <= off) return Error(Errc::truncated, "VP8 X octet");
  const uint8_t x = payload[off++];
  const bool i = (x & 0x80) != 0;
  const bool l = (x & 0x40) != 0;
  const bool t = (x & 0x20) != 0;
  const bool k = (x & 0x10) != 0;
  if (i) {
    if (payload.size() <= off) return Error(Errc::truncated, "VP8 PictureID");
    const uint8_t p = payload[off++];
    d.long_picture_id = (p & 0x80) != 0;
    if (d.long_picture_id) {
      if (payload.size() <= off) return Error(Errc::truncated, "VP8 PictureID");
      d.picture_id = static_cast<uint16_t>(((p & 0x7f) << 8) | payload[off++]);
    } else {
      d.picture_id = static_cast<uint16_t>(p & 0x7f);
    }
  }
  if (l) {
    if (payload.size() <= off) return Error(Errc::truncated, "VP8 TL0PICIDX");
    d.tl0_pic_idx = payload[off++];
  }
  if (t || k) {
    if (payload.size() <= off) return Error(Errc::truncated, "VP8 TID/KEYIDX");
    const uint8_t tk = payload[off++];
    if (t) {
      d.temporal_id = static_cast<uint8_t>(tk >> 6);
      d.layer_sync = (tk & 0x20) != 0;
    }
    if (k) d.key_idx = static_cast<uint8_t>(tk & 0x1f);
  }
  return std::make_pair(d, off);
}

size_t Vp8PayloadDescriptor::size() const {
  const bool x = picture_id || tl0_pic_idx || temporal_id || key_idx;
  if (!x) return 1;
  size_t n = 2;
  if (picture_id) n += long_picture_id ? 2 : 1;
  if (tl0_pic_idx) n += 1;
  if (temporal_id || key_idx) n += 1;
  return n;
}

Result<Bytes> Vp8PayloadDescriptor::serialize() const {
  if (partition_index > 7) return Error(Errc::invalid_argument, "VP8 PID");
  if (picture_id && *picture_id > (long_picture_id ? 0x7fff : 0x7f)) {
    return Error(Errc::invalid_argument, "VP8 PictureID");
  }
  if (temporal_id && *temporal_id > 3) return Error(Errc::invalid_argument, "VP8 TID");
  if (key_idx && *key_idx > 31) return Error(Errc::invalid_argument, "VP8 KEYIDX");
  const bool x = picture_id || tl0_pic_idx || temporal_id || key_idx;
  Bytes out;
  out.reserve(size());
  out.push_back(static_cast<uint8_t>((x ? 0x80 : 0) | (non_reference ? 0x20 : 0) |
                                     (start_of_partition ? 0x10 : 0) | partition_index));
  if (!x) return out;
  out.push_back(static_cast<uint8_t>((picture_id ? 0x80 : 0) | (tl0_pic_idx ? 0x40 : 0) |
                                     (temporal_id ? 0x20 : 0) | (key_idx ? 0x10 : 0)));
  if (picture_id) {
    if (long_picture_id) {
      out.push_back(static_cast<uint8_t>(0x80 | (*picture_id >> 8)));
      out.push_back(static_cast<uint8_t>(*picture_id & 0xff));
    } else {
      out.push_back(static_cast<uint8_t>(*picture_id));
    }
  }
  if (tl0_pic_idx) out.push_back(*tl0_pic_idx);
  if (temporal_id || key_idx) {
    const uint32_t tk = (temporal_id ? (uint32_t{*temporal_id} << 6) | (layer_sync ? 0x20u : 0u)
                                     : 0u) |
                        (key_idx ? uint32_t{*key_idx} : 0u);
    out.push_back(static_cast<uint8_t>(tk));
  }
  return out;
}

bool Vp8PayloadDescriptor::is_key_frame(BytesView frame_start) {
  return !frame_start.empty() && (frame_start[0] & 0x01) == 0;
}

}  // namespace conclave::rtp
