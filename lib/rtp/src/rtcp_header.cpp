#include "conclave/rtp/rtcp_header.h"

#include "conclave/base/check.h"
#include "wire.h"

namespace conclave::rtp {

Result<RtcpPacketView> read_rtcp_packet(BytesView data) {
  if (data.size() < RtcpHeader::kSize) return Error(Errc::truncated, "RTCP header");
  if ((data[0] >> 6) != 2) return Errc::invalid_version;
  RtcpPacketView v;
  v.header.padding = (data[0] & 0x20) != 0;
  v.header.count = data[0] & 0x1f;
  v.header.packet_type = data[1];
  v.header.length = wire::u16(data, 2);
  const size_t size = v.header.packet_size();
  if (size > data.size()) return Error(Errc::truncated, "RTCP length");
  v.raw = data.first(size);
  size_t body = size - RtcpHeader::kSize;
  if (v.header.padding) {
    const size_t pad = v.raw.back();
    if (pad == 0 || pad > body) return Error(Errc::invalid_padding, "RTCP padding");
    body -= pad;
  }
  v.body = v.raw.subspan(RtcpHeader::kSize, body);
  return v;
}

bool looks_like_rtcp(BytesView data) {
  return data.size() >= RtcpHeader::kSize && (data[0] >> 6) == 2 && data[1] >= 192 &&
         data[1] <= 223;
}

size_t begin_rtcp_packet(Bytes& out, uint8_t count, RtcpPacketType type) {
  CV_CHECK(count < 32);
  const size_t start = out.size();
  wire::put8(out, 0x80u | count);
  wire::put8(out, static_cast<uint8_t>(type));
  wire::put16(out, 0);
  return start;
}

Status finish_rtcp_packet(Bytes& out, size_t start, bool pad_allowed) {
  CV_CHECK(start + RtcpHeader::kSize <= out.size());
  const size_t unaligned = (out.size() - start) % 4;
  if (unaligned != 0) {
    if (!pad_allowed) {
      out.resize(start);
      return Error(Errc::invalid_argument, "RTCP body not 32-bit aligned");
    }
    const size_t pad = 4 - unaligned;
    out.insert(out.end(), pad - 1, uint8_t{0});
    out.push_back(static_cast<uint8_t>(pad));
    out[start] = static_cast<uint8_t>(out[start] | 0x20);
  }
  const size_t words = (out.size() - start) / 4 - 1;
  if (words > 0xffff) {
    out.resize(start);
    return Error(Errc::invalid_argument, "RTCP packet too long");
  }
  wire::write16(out, start + 2, static_cast<uint32_t>(words));
  return {};
}

}  // namespace conclave::rtp
