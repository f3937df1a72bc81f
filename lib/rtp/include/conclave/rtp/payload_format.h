// The interface shared by the payload formats (VP8, Opus, SFrame RTP):
// a Packetizer splits one encoded frame into RTP payloads, a Depacketizer
// rebuilds frames from the packets of one stream, given in sequence order
// (a jitter buffer in front does the reordering).
//
//   encoder frame --Packetizer--> [PayloadPacket...] --(RTP header, DD)--> network
//   network --RtpPacket--> Depacketizer --> AssembledFrame | DropReason
//
// The packetizer writes payloads only: the caller adds the RTP header and
// extensions (sequence number, timestamp, dependency descriptor), since
// those belong to the stream, not to the format. A depacketizer never
// fails: a packet it cannot use is dropped with a named reason and
// counted, and an incomplete frame is discarded the same way.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/rtp_packet.h"

namespace conclave::rtp {

struct PayloadPacket {
  Bytes payload;
  bool marker = false;  // the RTP marker bit for this packet
};

enum class DropReason : uint8_t {
  malformed_payload,   // the payload header does not parse, or no payload data
  late_packet,         // a duplicate, or older than a packet already taken
  missing_start,       // a continuation packet with no frame begun
  sequence_gap,        // a packet of the frame is missing
  timestamp_mismatch,  // a continuation packet of another frame
  incomplete_frame,    // a new frame began before the current one ended
  frame_too_large,     // the frame grew past the configured limit
};
inline constexpr size_t kDropReasonCount = 7;

std::string_view drop_reason_name(DropReason r);

class DropCounters {
 public:
  void add(DropReason r) { ++counts_[static_cast<size_t>(r)]; }
  uint64_t count(DropReason r) const { return counts_[static_cast<size_t>(r)]; }
  uint64_t total() const;

 private:
  std::array<uint64_t, kDropReasonCount> counts_{};
};

struct AssembledFrame {
  Bytes data;
  uint32_t timestamp = 0;
  uint16_t first_sequence_number = 0;
  uint16_t last_sequence_number = 0;
  // What the payload format alone can tell; see each depacketizer. With
  // SFrame the payload is ciphertext, so use the dependency descriptor.
  bool key_frame = false;
};

struct DepacketizeResult {
  std::optional<AssembledFrame> frame;  // a frame completed by this packet
  std::optional<DropReason> dropped;    // this packet, or the frame in progress, was dropped
};

class Packetizer {
 public:
  virtual ~Packetizer() = default;
  // The payloads of one frame, in order; the last has the marker set when
  // the format says so. Errors: invalid_argument (empty frame, or a
  // payload size too small for the format's header plus one byte).
  virtual Result<std::vector<PayloadPacket>> packetize(BytesView frame) = 0;
};

class Depacketizer {
 public:
  virtual ~Depacketizer() = default;
  virtual DepacketizeResult push(const RtpPacket& packet) = 0;
  virtual const DropCounters& drops() const = 0;
};

// Splits `size` bytes into the fewest packets of at most `capacity` bytes,
// with sizes differing by at most one (larger ones first). capacity > 0.
std::vector<size_t> balanced_split(size_t size, size_t capacity);

}  // namespace conclave::rtp
