#include "conclave/rtp/transport_sequence_number.h"

#include "wire.h"

namespace conclave::rtp {

Result<uint16_t> TransportSequenceNumber::parse(BytesView data) {
  if (data.size() != kSize) return Error(Errc::invalid_length, "transport sequence number");
  return wire::u16(data, 0);
}

Bytes TransportSequenceNumber::serialize(uint16_t seq) {
  Bytes out;
  wire::put16(out, seq);
  return out;
}

}  // namespace conclave::rtp
