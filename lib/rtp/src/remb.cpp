#include "conclave/rtp/remb.h"

#include "wire.h"

namespace conclave::rtp {
namespace {

constexpr uint32_t kIdentifier = 0x52454d42;  // "REMB"
constexpr unsigned kMantissaBits = 18;

}  // namespace

bool Remb::is_remb(BytesView body) { return body.size() >= 12 && wire::u32(body, 8) == kIdentifier; }

Result<Remb> Remb::parse(const RtcpHeader&, BytesView body) {
  if (body.size() < 16) return Error(Errc::truncated, "REMB");
  if (!is_remb(body)) return Error(Errc::invalid_value, "REMB identifier");
  Remb r;
  r.sender_ssrc = wire::u32(body, 0);
  r.media_ssrc = wire::u32(body, 4);
  const size_t num = body[12];
  const unsigned exp = body[13] >> 2;
  const uint64_t mantissa = wire::u24(body, 13) & 0x3ffff;
  if (mantissa != 0 && exp > 64 - kMantissaBits && (mantissa >> (64 - exp)) != 0) {
    return Error(Errc::invalid_value, "REMB bitrate overflow");
  }
  r.bitrate_bps = mantissa << exp;
  if (body.size() - 16 < 4 * num) return Error(Errc::truncated, "REMB SSRCs");
  for (size_t i = 0; i < num; ++i) r.ssrcs.push_back(wire::u32(body, 16 + 4 * i));
  return r;
}

Status Remb::serialize(Bytes& out) const {
  if (ssrcs.size() > kMaxSsrcs) return Error(Errc::invalid_argument, "REMB SSRCs");
  unsigned exp = 0;
  while ((bitrate_bps >> exp) >= (uint64_t{1} << kMantissaBits)) ++exp;
  const auto mantissa = static_cast<uint32_t>(bitrate_bps >> exp);
  const size_t start = begin_rtcp_packet(out, kFmtAfb, RtcpPacketType::psfb);
  wire::put32(out, sender_ssrc);
  wire::put32(out, media_ssrc);
  wire::put32(out, kIdentifier);
  wire::put8(out, static_cast<uint32_t>(ssrcs.size()));
  wire::put24(out, (exp << kMantissaBits) | mantissa);
  for (uint32_t s : ssrcs) wire::put32(out, s);
  return finish_rtcp_packet(out, start, false);
}

}  // namespace conclave::rtp
