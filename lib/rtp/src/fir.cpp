#include "conclave/rtp/fir.h"

#include "wire.h"

namespace conclave::rtp {

Result<Fir> Fir::parse(const RtcpHeader&, BytesView body) {
  if (body.size() < 8) return Error(Errc::truncated, "feedback header");
  const size_t fci = body.size() - 8;
  if (fci == 0 || fci % 8 != 0) return Error(Errc::invalid_length, "FIR FCI");
  Fir f;
  f.sender_ssrc = wire::u32(body, 0);
  f.media_ssrc = wire::u32(body, 4);
  for (size_t off = 8; off < body.size(); off += 8) {
    f.entries.push_back({wire::u32(body, off), body[off + 4]});
  }
  return f;
}

Status Fir::serialize(Bytes& out) const {
  if (entries.empty()) return Error(Errc::invalid_argument, "empty FIR");
  const size_t start = begin_rtcp_packet(out, kFmtFir, RtcpPacketType::psfb);
  wire::put32(out, sender_ssrc);
  wire::put32(out, media_ssrc);
  for (const auto& e : entries) {
    wire::put32(out, e.ssrc);
    wire::put8(out, e.sequence_number);
    wire::put24(out, 0);
  }
  return finish_rtcp_packet(out, start, false);
}

}  // namespace conclave::rtp
