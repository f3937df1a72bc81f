#include "conclave/rtp/rtcp_compound.h"

#include "wire.h"

namespace conclave::rtp {
namespace {

template <class T>
Result<RtcpPacket> typed(const RtcpPacketView& v) {
  CV_TRY(T packet, T::parse(v.header, v.body));
  return RtcpPacket(std::move(packet));
}

Result<RtcpPacket> parse_one(const RtcpPacketView& v) {
  const uint8_t fmt = v.header.count;
  switch (static_cast<RtcpPacketType>(v.header.packet_type)) {
    case RtcpPacketType::sr:
      return typed<SenderReport>(v);
    case RtcpPacketType::rr:
      return typed<ReceiverReport>(v);
    case RtcpPacketType::sdes:
      return typed<Sdes>(v);
    case RtcpPacketType::bye:
      return typed<Bye>(v);
    case RtcpPacketType::rtpfb:
      if (fmt == kFmtGenericNack) return typed<GenericNack>(v);
      if (fmt == kFmtTransportFeedback) return typed<TransportFeedback>(v);
      break;
    case RtcpPacketType::psfb:
      if (fmt == kFmtPli) return typed<Pli>(v);
      if (fmt == kFmtFir) return typed<Fir>(v);
      if (fmt == kFmtAfb && Remb::is_remb(v.body)) return typed<Remb>(v);
      break;
    case RtcpPacketType::app:
      break;
  }
  UnknownRtcp u;
  u.packet_type = v.header.packet_type;
  u.count = v.header.count;
  u.padding = v.header.padding;
  const BytesView body = v.raw.subspan(RtcpHeader::kSize);
  u.body.assign(body.begin(), body.end());
  return RtcpPacket(std::move(u));
}

}  // namespace

Status UnknownRtcp::serialize(Bytes& out) const {
  if (count > 31 || body.size() % 4 != 0 || body.size() / 4 > 0xffff) {
    return Error(Errc::invalid_argument, "unknown RTCP packet");
  }
  wire::put8(out, 0x80u | (padding ? 0x20u : 0u) | count);
  wire::put8(out, packet_type);
  wire::put16(out, static_cast<uint32_t>(body.size() / 4));
  wire::put_bytes(out, body);
  return {};
}

Result<std::vector<RtcpPacket>> parse_rtcp_compound(BytesView data) {
  if (data.empty()) return Error(Errc::truncated, "empty RTCP");
  std::vector<RtcpPacket> packets;
  while (!data.empty()) {
    CV_TRY(const RtcpPacketView v, read_rtcp_packet(data));
    CV_TRY(RtcpPacket p, parse_one(v));
    packets.push_back(std::move(p));
    data = data.subspan(v.raw.size());
  }
  return packets;
}

Status append_rtcp_packet(const RtcpPacket& packet, Bytes& out) {
  return std::visit([&](const auto& p) { return p.serialize(out); }, packet);
}

Result<Bytes> build_rtcp_compound(std::span<const RtcpPacket> packets) {
  Bytes out;
  for (const auto& p : packets) CV_TRY_STATUS(append_rtcp_packet(p, out));
  return out;
}

}  // namespace conclave::rtp
