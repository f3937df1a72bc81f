// SfuStats: the media path's counters, plain integers owned by the single
// media thread. A snapshot is copied out for the metrics endpoint.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "conclave/sfu/drop_reason.h"

namespace conclave::sfu {

struct SfuStats {
  uint64_t datagrams_in = 0;
  uint64_t bytes_in = 0;
  uint64_t datagrams_out = 0;
  uint64_t bytes_out = 0;
  uint64_t rtp_in = 0;           // authenticated RTP from publishers
  uint64_t rtp_forwarded = 0;    // RTP sent to subscribers (one per subscriber)
  uint64_t rtcp_in = 0;
  uint64_t rtcp_out = 0;
  uint64_t nacked_packets = 0;   // sequence numbers asked for by subscribers
  uint64_t retransmitted = 0;    // of those, answered from the packet cache
  uint64_t nacks_forwarded = 0;  // sequence numbers asked of the publisher
  uint64_t key_frame_requests_relayed = 0;
  uint64_t stun_answered = 0;
  uint64_t dtls_handshakes = 0;  // completed
  std::array<uint64_t, kDropReasonCount> dropped{};

  void drop(DropReason reason) { ++dropped[static_cast<size_t>(reason)]; }
  uint64_t drops(DropReason reason) const { return dropped[static_cast<size_t>(reason)]; }
  uint64_t total_drops() const;

  // Prometheus text exposition format (version 0.0.4), every counter with
  // a "conclave_sfu_" prefix; drops as one family labelled by reason.
  std::string prometheus_text() const;
};

}  // namespace conclave::sfu
