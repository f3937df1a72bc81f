#include "conclave/rtp/pli.h"

#include "wire.h"

namespace conclave::rtp {

Result<Pli> Pli::parse(const RtcpHeader&, BytesView body) {
  if (body.size() < 8) return Error(Errc::truncated, "feedback header");
  return Pli{wire::u32(body, 0), wire::u32(body, 4)};
}

Status Pli::serialize(Bytes& out) const {
  const size_t start = begin_rtcp_packet(out, kFmtPli, RtcpPacketType::psfb);
  wire::put32(out, sender_ssrc);
  wire::put32(out, media_ssrc);
  return finish_rtcp_packet(out, start, false);
}

}  // namespace conclave::rtp
