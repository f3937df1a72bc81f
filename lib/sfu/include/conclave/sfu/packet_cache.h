// PacketCache: the last N RTP packets of one publisher stream, kept so that
// a subscriber's NACK (RFC 4585 generic NACK) is answered by the SFU from
// memory instead of travelling back to the publisher.
//
// Packets are stored after SRTP removal (the payload is still SFrame
// ciphertext) and after the SFU's header rewrites, so a hit is re-protected
// for the asking subscriber and sent as is. Slots are indexed by the
// wrap-aware (unwrapped) sequence number modulo the capacity; a slot holds
// its full sequence number, so a stale slot is never returned for a newer
// number. Storage is allocated once: no allocation per packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/rtp/sequence_number.h"

namespace conclave::sfu {

class PacketCache {
 public:
  static constexpr size_t kMaxPacketSize = 1500;

  // `capacity` packets (rounded up to a power of two, at least 16).
  explicit PacketCache(size_t capacity);

  // Stores a copy of the packet under its sequence number. Packets larger
  // than kMaxPacketSize are not stored (returns false).
  bool insert(uint16_t sequence_number, BytesView packet);

  // The packet with this sequence number if it is still cached.
  std::optional<BytesView> find(uint16_t sequence_number) const;

  size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    int64_t sequence = -1;  // unwrapped; -1 = empty
    uint16_t size = 0;
  };

  // The unwrapped value of `sequence_number` near the newest one, without
  // moving the unwrapper.
  int64_t unwrap_near_newest(uint16_t sequence_number) const;

  std::vector<Slot> slots_;
  std::vector<uint8_t> storage_;  // capacity * kMaxPacketSize
  rtp::Unwrapper<uint16_t> unwrapper_;
  int64_t newest_ = -1;
};

}  // namespace conclave::sfu
