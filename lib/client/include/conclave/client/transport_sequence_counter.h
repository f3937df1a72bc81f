// TransportSequenceCounter: the transport-wide sequence number of
// draft-holmer-rmcat-transport-wide-cc-extensions-01, one counter per
// transport (per DTLS-SRTP association), shared by every sender on it
// whatever their SSRC, so that transport-cc feedback covers every packet.
// Senders take the next value for each packet they send, retransmissions
// included. Not thread-safe: the senders of a transport run on one thread.
#pragma once

#include <cstdint>

namespace conclave::client {

class TransportSequenceCounter {
 public:
  explicit TransportSequenceCounter(uint16_t first = 0) : next_(first) {}

  // The number for the next packet; wraps at 2^16.
  uint16_t next() { return next_++; }
  // The number next() will return, without taking it.
  uint16_t peek() const { return next_; }

 private:
  uint16_t next_;
};

}  // namespace conclave::client
