#include "conclave/rtp/generic_nack.h"

#include "wire.h"

namespace conclave::rtp {

Result<GenericNack> GenericNack::parse(const RtcpHeader&, BytesView body) {
  if (body.size() < 8) return Error(Errc::truncated, "feedback header");
  const size_t fci = body.size() - 8;
  if (fci == 0 || fci % 4 != 0) return Error(Errc::invalid_length, "NACK FCI");
  GenericNack n;
  n.sender_ssrc = wire::u32(body, 0);
  n.media_ssrc = wire::u32(body, 4);
  n.lost.reserve(fci / 4);
  for (size_t off = 8; off < body.size(); off += 4) {
    const uint16_t pid = wire::u16(body, off);
    const uint16_t blp = wire::u16(body, off + 2);
    n.lost.push_back(pid);
    for (unsigned i = 0; i < 16; ++i) {
      if ((blp >> i) & 1u) n.lost.push_back(static_cast<uint16_t>(pid + i + 1));
    }
  }
  return n;
}

Status GenericNack::serialize(Bytes& out) const {
  if (lost.empty()) return Error(Errc::invalid_argument, "empty NACK");
  const size_t start = begin_rtcp_packet(out, kFmtGenericNack, RtcpPacketType::rtpfb);
  wire::put32(out, sender_ssrc);
  wire::put32(out, media_ssrc);
  size_t i = 0;
  while (i < lost.size()) {
    const uint16_t pid = lost[i++];
    uint16_t blp = 0;
    unsigned last_bit = 0;  // bits at or below it would reorder the list
    while (i < lost.size()) {
      const unsigned d = static_cast<uint16_t>(lost[i] - pid);
      if (d < 1 || d > 16 || d <= last_bit) break;
      blp = static_cast<uint16_t>(blp | (1u << (d - 1)));
      last_bit = d;
      ++i;
    }
    wire::put16(out, pid);
    wire::put16(out, blp);
  }
  return finish_rtcp_packet(out, start, false);
}

}  // namespace conclave::rtp
