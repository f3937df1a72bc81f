#include "conclave/rtp/report_block.h"

#include "wire.h"

namespace conclave::rtp {

Result<ReportBlock> ReportBlock::parse(BytesView data) {
  if (data.size() < kSize) return Error(Errc::truncated, "report block");
  ReportBlock b;
  b.ssrc = wire::u32(data, 0);
  b.fraction_lost = data[4];
  const uint32_t lost = wire::u24(data, 5);
  // Sign-extend the 24-bit two's-complement value.
  b.cumulative_lost = static_cast<int32_t>(lost) - ((lost & 0x800000) != 0 ? (1 << 24) : 0);
  b.extended_highest_sequence = wire::u32(data, 8);
  b.jitter = wire::u32(data, 12);
  b.last_sr = wire::u32(data, 16);
  b.delay_since_last_sr = wire::u32(data, 20);
  return b;
}

Status ReportBlock::serialize(Bytes& out) const {
  if (cumulative_lost > kMaxCumulativeLost || cumulative_lost < kMinCumulativeLost) {
    return Error(Errc::invalid_argument, "cumulative_lost");
  }
  wire::put32(out, ssrc);
  wire::put8(out, fraction_lost);
  wire::put24(out, static_cast<uint32_t>(cumulative_lost) & 0xffffff);
  wire::put32(out, extended_highest_sequence);
  wire::put32(out, jitter);
  wire::put32(out, last_sr);
  wire::put32(out, delay_since_last_sr);
  return {};
}

Status ReportBlock::serialize_all(std::span<const ReportBlock> blocks, Bytes& out,
                                  size_t packet_start) {
  for (const auto& b : blocks) {
    if (auto s = b.serialize(out); !s.ok()) {
      out.resize(packet_start);
      return s;
    }
  }
  return {};
}

}  // namespace conclave::rtp
