// TransportFeedbackGenerator: the receive side of transport-wide
// congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01)
// for one publish transport. Each RTP packet carrying the transport-wide
// sequence number extension is recorded with its arrival time; build()
// turns what arrived since the last feedback into TransportFeedback packets
// that the publisher's congestion controller (Chromium's GCC) turns into a
// send rate.
//
// Arrival times go into the feedback as the draft asks: a reference time
// in 64 ms units and per-packet deltas in 250 us ticks from the previous
// received packet. A packet that arrives after its feedback was sent is
// reported in the next one. At most kMaxPending arrivals are held; the
// oldest are reported as lost if more arrive before a build().
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "conclave/base/clock.h"
#include "conclave/rtp/sequence_number.h"
#include "conclave/rtp/transport_feedback.h"

namespace conclave::sfu {

class TransportFeedbackGenerator {
 public:
  using TimePoint = Clock::TimePoint;
  static constexpr size_t kMaxPending = 2048;
  static constexpr size_t kMaxPacketsPerFeedback = 1000;

  TransportFeedbackGenerator(uint32_t sender_ssrc, uint32_t media_ssrc)
      : sender_ssrc_(sender_ssrc), media_ssrc_(media_ssrc) {}

  void on_packet(uint16_t transport_sequence_number, TimePoint arrival);

  // Feedback for everything recorded since the last call (empty if none).
  std::vector<rtp::TransportFeedback> build();

  void set_media_ssrc(uint32_t ssrc) { media_ssrc_ = ssrc; }

 private:
  uint32_t sender_ssrc_;
  uint32_t media_ssrc_;
  uint8_t feedback_count_ = 0;
  rtp::Unwrapper<uint16_t> unwrapper_;
  int64_t next_base_ = -1;                // first sequence not yet reported
  std::map<int64_t, int64_t> arrivals_;   // unwrapped seq -> arrival (us)
};

}  // namespace conclave::sfu
