#include "conclave/rtp/receiver_report.h"

#include "wire.h"

namespace conclave::rtp {

Result<ReceiverReport> ReceiverReport::parse(const RtcpHeader& header, BytesView body) {
  if (body.size() < 4 + ReportBlock::kSize * header.count) {
    return Error(Errc::truncated, "receiver report");
  }
  ReceiverReport rr;
  rr.sender_ssrc = wire::u32(body, 0);
  for (size_t i = 0; i < header.count; ++i) {
    CV_TRY(auto block, ReportBlock::parse(body.subspan(4 + ReportBlock::kSize * i)));
    rr.report_blocks.push_back(block);
  }
  return rr;
}

Status ReceiverReport::serialize(Bytes& out) const {
  if (report_blocks.size() > kMaxReportBlocks) return Error(Errc::invalid_argument, "RR blocks");
  const size_t start =
      begin_rtcp_packet(out, static_cast<uint8_t>(report_blocks.size()), RtcpPacketType::rr);
  wire::put32(out, sender_ssrc);
  CV_TRY_STATUS(ReportBlock::serialize_all(report_blocks, out, start));
  return finish_rtcp_packet(out, start);
}

}  // namespace conclave::rtp
