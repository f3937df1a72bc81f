// libFuzzer target: the VP8 depacketizer (RFC 7741) fed a hostile stream.
//
// The input is a list of records |len(1)|flags(1)|payload(len)|: flags
// bit 7 is the marker, the low bits advance the sequence number (0-3, so
// gaps, duplicates and reordering all occur) and bit 6 changes the
// timestamp. Oracle: nothing crashes, every push either yields a frame or
// a drop reason or neither, counters add up, and no frame exceeds the
// configured limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/vp8_depacketizer.h"

using conclave::Bytes;
using conclave::BytesView;
using namespace conclave::rtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kMaxFrame = 4096;
  Vp8Depacketizer d(kMaxFrame);
  uint16_t seq = 65500;
  uint32_t ts = 0;
  uint64_t drops = 0;
  size_t off = 0;
  while (off + 2 <= size) {
    const size_t len = data[off];
    const uint8_t flags = data[off + 1];
    off += 2;
    const size_t n = len < size - off ? len : size - off;
    seq = static_cast<uint16_t>(seq + (flags & 3u) - 1u);  // -1, 0, +1, +2
    if ((flags & 0x40) != 0) ts += 3000;
    RtpPacketBuilder b;
    b.set_payload_type(96).set_sequence_number(seq).set_timestamp(ts).set_marker((flags & 0x80) != 0);
    b.set_payload(BytesView(data + off, n));
    off += n;
    auto bytes = b.build();
    if (!bytes.ok()) std::abort();
    auto packet = RtpPacket::parse(*bytes);
    if (!packet.ok()) std::abort();
    auto r = d.push(*packet);
    if (r.frame && (r.frame->data.empty() || r.frame->data.size() > kMaxFrame)) std::abort();
    if (r.dropped) ++drops;
  }
  // One result can report at most one reason, but the counters may count
  // two (incomplete_frame then frame_too_large) for a single push.
  if (d.drops().total() < drops) std::abort();
  return 0;
}
