#include "conclave/rtp/bye.h"

#include "wire.h"

namespace conclave::rtp {

Result<Bye> Bye::parse(const RtcpHeader& header, BytesView body) {
  if (body.size() < 4 * size_t{header.count}) return Error(Errc::truncated, "BYE sources");
  Bye bye;
  for (size_t i = 0; i < header.count; ++i) bye.ssrcs.push_back(wire::u32(body, 4 * i));
  const size_t off = 4 * size_t{header.count};
  if (off < body.size()) {
    const size_t len = body[off];
    if (body.size() - off - 1 < len) return Error(Errc::truncated, "BYE reason");
    const auto text = body.subspan(off + 1, len);
    bye.reason = std::string(text.begin(), text.end());
  }
  return bye;
}

Status Bye::serialize(Bytes& out) const {
  if (ssrcs.size() > kMaxSources) return Error(Errc::invalid_argument, "BYE sources");
  if (reason && reason->size() > 255) return Error(Errc::invalid_argument, "BYE reason");
  const size_t start = begin_rtcp_packet(out, static_cast<uint8_t>(ssrcs.size()), RtcpPacketType::bye);
  for (uint32_t s : ssrcs) wire::put32(out, s);
  if (reason) {
    wire::put8(out, static_cast<uint32_t>(reason->size()));
    wire::put_bytes(out, as_bytes(*reason));
    while ((out.size() - start) % 4 != 0) out.push_back(0);  // RFC 3550: pad with null octets
  }
  return finish_rtcp_packet(out, start, false);
}

}  // namespace conclave::rtp
