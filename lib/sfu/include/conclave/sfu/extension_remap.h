// ExtensionRemap: rewrites the header-extension IDs of an RTP packet in
// place, from the IDs a publisher negotiated to the IDs the SFU offers its
// subscribers (RFC 8285; IDs are per transport, so they can differ).
// Elements with no downstream ID (the MID, the transport-wide sequence
// number, anything unknown) are blanked: their bytes become padding, which
// both the one-byte and two-byte forms allow between elements. The packet
// keeps its size, so no byte of the payload moves.
#pragma once

#include <array>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/rtp_packet.h"

namespace conclave::sfu {

class ExtensionRemap {
 public:
  // `from` -> `to`; to = 0 blanks the element. IDs 1-255.
  void map(uint8_t from, uint8_t to) { table_[from] = to; }
  uint8_t target(uint8_t from) const { return table_[from]; }

  // `parsed` is the view of `packet` (parsed already: the Router's hot
  // path parses each packet once).
  void apply(MutableBytesView packet, const rtp::RtpPacket& parsed) const;
  // Parses first. Errors: those of rtp::RtpPacket::parse(); the packet is
  // then unchanged.
  Status apply(MutableBytesView packet) const;

 private:
  std::array<uint8_t, 256> table_{};
};

}  // namespace conclave::sfu
