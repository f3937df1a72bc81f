#include "conclave/rtp/transport_feedback.h"

#include <algorithm>

#include "wire.h"

namespace conclave::rtp {
namespace {

using Symbol = PacketStatusSymbol;

constexpr size_t kMaxRunLength = 0x1fff;
constexpr size_t kOneBitSymbols = 14;
constexpr size_t kTwoBitSymbols = 7;

}  // namespace

PacketStatusSymbol TransportFeedback::status_for_delta(int32_t delta_ticks) {
  return delta_ticks >= 0 && delta_ticks <= 255 ? Symbol::small_delta : Symbol::large_delta;
}

Result<TransportFeedback> TransportFeedback::parse(const RtcpHeader&, BytesView body) {
  if (body.size() < 16) return Error(Errc::truncated, "transport feedback header");
  TransportFeedback fb;
  fb.sender_ssrc = wire::u32(body, 0);
  fb.media_ssrc = wire::u32(body, 4);
  fb.base_sequence_number = wire::u16(body, 8);
  const size_t count = wire::u16(body, 10);
  const uint32_t ref = wire::u24(body, 12);
  fb.reference_time = static_cast<int32_t>(ref) - ((ref & 0x800000) != 0 ? (1 << 24) : 0);
  fb.feedback_packet_count = body[15];
  if (count == 0) return Error(Errc::invalid_value, "empty transport feedback");

  size_t off = 16;
  fb.packets.reserve(count);
  auto push = [&](uint32_t symbol) -> Status {
    if (fb.packets.size() == count) return {};  // past the status count: ignored
    if (symbol > 2) return Error(Errc::invalid_value, "reserved status symbol");
    fb.packets.push_back({static_cast<Symbol>(symbol), 0});
    return {};
  };
  while (fb.packets.size() < count) {
    if (body.size() - off < 2) return Error(Errc::truncated, "packet chunk");
    const uint16_t chunk = wire::u16(body, off);
    off += 2;
    if ((chunk & 0x8000) == 0) {  // run length chunk: |0|S(2)|length(13)|
      const uint32_t symbol = (chunk >> 13) & 3u;
      const size_t run = std::min<size_t>(chunk & kMaxRunLength, count - fb.packets.size());
      if (run > 0 && symbol > 2) return Error(Errc::invalid_value, "reserved status symbol");
      fb.packets.insert(fb.packets.end(), run, Packet{static_cast<Symbol>(symbol), 0});
    } else if ((chunk & 0x4000) == 0) {  // status vector, 14 one-bit symbols
      for (unsigned i = 0; i < kOneBitSymbols; ++i) CV_TRY_STATUS(push((chunk >> (13 - i)) & 1u));
    } else {  // status vector, 7 two-bit symbols
      for (unsigned i = 0; i < kTwoBitSymbols; ++i) {
        CV_TRY_STATUS(push((chunk >> (12 - 2 * i)) & 3u));
      }
    }
  }
  for (auto& p : fb.packets) {
    if (p.status == Symbol::small_delta) {
      if (body.size() - off < 1) return Error(Errc::truncated, "receive delta");
      p.delta_ticks = body[off];
      off += 1;
    } else if (p.status == Symbol::large_delta) {
      if (body.size() - off < 2) return Error(Errc::truncated, "receive delta");
      p.delta_ticks = static_cast<int16_t>(wire::u16(body, off));
      off += 2;
    }
  }
  // Anything left is zero padding.
  return fb;
}

Status TransportFeedback::serialize(Bytes& out) const {
  if (packets.empty() || packets.size() > 0xffff) {
    return Error(Errc::invalid_argument, "transport feedback packet count");
  }
  if (reference_time < kMinReferenceTime || reference_time > kMaxReferenceTime) {
    return Error(Errc::invalid_argument, "reference time");
  }
  for (const auto& p : packets) {
    const bool ok = p.status == Symbol::not_received  ? p.delta_ticks == 0
                    : p.status == Symbol::small_delta ? p.delta_ticks >= 0 && p.delta_ticks <= 255
                    : p.status == Symbol::large_delta
                        ? p.delta_ticks >= -32768 && p.delta_ticks <= 32767
                        : false;
    if (!ok) return Error(Errc::invalid_argument, "receive delta");
  }
  const size_t start = begin_rtcp_packet(out, kFmtTransportFeedback, RtcpPacketType::rtpfb);
  wire::put32(out, sender_ssrc);
  wire::put32(out, media_ssrc);
  wire::put16(out, base_sequence_number);
  wire::put16(out, static_cast<uint32_t>(packets.size()));
  wire::put24(out, static_cast<uint32_t>(reference_time) & 0xffffff);
  wire::put8(out, feedback_packet_count);

  const size_t n = packets.size();
  auto symbol = [&](size_t i) {
    return i < n ? static_cast<uint32_t>(packets[i].status) : 0u;  // past the end: padding
  };
  size_t i = 0;
  while (i < n) {
    size_t run = 1;
    while (i + run < n && run < kMaxRunLength && packets[i + run].status == packets[i].status) {
      ++run;
    }
    if (run >= kOneBitSymbols || i + run == n) {
      wire::put16(out, (symbol(i) << 13) | static_cast<uint32_t>(run));
      i += run;
      continue;
    }
    const size_t span = std::min(kOneBitSymbols, n - i);
    const bool has_large =
        std::any_of(packets.begin() + static_cast<std::ptrdiff_t>(i),
                    packets.begin() + static_cast<std::ptrdiff_t>(i + span),
                    [](const Packet& p) { return p.status == Symbol::large_delta; });
    uint32_t chunk = 0x8000;
    if (!has_large) {
      for (unsigned k = 0; k < kOneBitSymbols; ++k) chunk |= symbol(i + k) << (13 - k);
      i += kOneBitSymbols;
    } else {
      chunk |= 0x4000;
      for (unsigned k = 0; k < kTwoBitSymbols; ++k) chunk |= symbol(i + k) << (12 - 2 * k);
      i += kTwoBitSymbols;
    }
    wire::put16(out, chunk);
  }
  for (const auto& p : packets) {
    if (p.status == Symbol::small_delta) {
      wire::put8(out, static_cast<uint32_t>(p.delta_ticks));
    } else if (p.status == Symbol::large_delta) {
      wire::put16(out, static_cast<uint32_t>(p.delta_ticks) & 0xffff);
    }
  }
  return finish_rtcp_packet(out, start, true);
}

}  // namespace conclave::rtp
