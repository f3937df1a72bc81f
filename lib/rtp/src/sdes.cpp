#include "conclave/rtp/sdes.h"

#include "wire.h"

namespace conclave::rtp {

std::optional<std::string_view> SdesChunk::cname() const {
  for (const auto& item : items) {
    if (item.type == static_cast<uint8_t>(SdesItemType::cname)) return item.value;
  }
  return std::nullopt;
}

Result<Sdes> Sdes::parse(const RtcpHeader& header, BytesView body) {
  Sdes sdes;
  size_t off = 0;
  for (size_t c = 0; c < header.count; ++c) {
    if (body.size() - off < 4) return Error(Errc::truncated, "SDES chunk");
    SdesChunk chunk;
    chunk.ssrc = wire::u32(body, off);
    off += 4;
    while (true) {
      if (off >= body.size()) return Error(Errc::truncated, "SDES item");
      const uint8_t type = body[off];
      if (type == 0) {
        // End of the list: skip to the next 32-bit boundary.
        off = (off + 4) & ~size_t{3};
        if (off > body.size()) return Error(Errc::truncated, "SDES chunk padding");
        break;
      }
      if (body.size() - off < 2) return Error(Errc::truncated, "SDES item");
      const size_t len = body[off + 1];
      if (body.size() - off - 2 < len) return Error(Errc::truncated, "SDES item value");
      const auto text = body.subspan(off + 2, len);
      chunk.items.push_back({type, std::string(text.begin(), text.end())});
      off += 2 + len;
    }
    sdes.chunks.push_back(std::move(chunk));
  }
  return sdes;
}

Status Sdes::serialize(Bytes& out) const {
  if (chunks.size() > kMaxChunks) return Error(Errc::invalid_argument, "SDES chunks");
  for (const auto& chunk : chunks) {
    for (const auto& item : chunk.items) {
      if (item.type == 0 || item.value.size() > 255) {
        return Error(Errc::invalid_argument, "SDES item");
      }
    }
  }
  const size_t start =
      begin_rtcp_packet(out, static_cast<uint8_t>(chunks.size()), RtcpPacketType::sdes);
  for (const auto& chunk : chunks) {
    wire::put32(out, chunk.ssrc);
    for (const auto& item : chunk.items) {
      wire::put8(out, item.type);
      wire::put8(out, static_cast<uint32_t>(item.value.size()));
      wire::put_bytes(out, as_bytes(item.value));
    }
    // The null item, then null octets to the 32-bit boundary.
    do {
      out.push_back(0);
    } while ((out.size() - start) % 4 != 0);
  }
  return finish_rtcp_packet(out, start, false);
}

}  // namespace conclave::rtp
