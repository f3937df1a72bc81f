#include "conclave/rtp/sender_report.h"

#include "wire.h"

namespace conclave::rtp {

Result<SenderReport> SenderReport::parse(const RtcpHeader& header, BytesView body) {
  constexpr size_t kInfo = 24;
  if (body.size() < kInfo + ReportBlock::kSize * header.count) {
    return Error(Errc::truncated, "sender report");
  }
  SenderReport sr;
  sr.sender_ssrc = wire::u32(body, 0);
  sr.ntp_timestamp = wire::u64(body, 4);
  sr.rtp_timestamp = wire::u32(body, 12);
  sr.packet_count = wire::u32(body, 16);
  sr.octet_count = wire::u32(body, 20);
  for (size_t i = 0; i < header.count; ++i) {
    CV_TRY(auto block, ReportBlock::parse(body.subspan(kInfo + ReportBlock::kSize * i)));
    sr.report_blocks.push_back(block);
  }
  return sr;
}

Status SenderReport::serialize(Bytes& out) const {
  if (report_blocks.size() > kMaxReportBlocks) return Error(Errc::invalid_argument, "SR blocks");
  const size_t start =
      begin_rtcp_packet(out, static_cast<uint8_t>(report_blocks.size()), RtcpPacketType::sr);
  wire::put32(out, sender_ssrc);
  wire::put64(out, ntp_timestamp);
  wire::put32(out, rtp_timestamp);
  wire::put32(out, packet_count);
  wire::put32(out, octet_count);
  CV_TRY_STATUS(ReportBlock::serialize_all(report_blocks, out, start));
  return finish_rtcp_packet(out, start);
}

}  // namespace conclave::rtp
