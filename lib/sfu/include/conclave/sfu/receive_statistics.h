// ReceiveStatistics: what the SFU knows about one inbound RTP stream, for
// the receiver reports it sends the publisher (RFC 3550 section 6.4.2 and
// appendices A.3 and A.8): packets expected and lost (in total and since
// the last report), the extended highest sequence number, interarrival
// jitter in RTP timestamp units, and LSR/DLSR from the publisher's last
// sender report so the publisher can measure its round-trip time.
#pragma once

#include <cstdint>
#include <optional>

#include "conclave/base/clock.h"
#include "conclave/rtp/report_block.h"
#include "conclave/rtp/sequence_number.h"

namespace conclave::sfu {

class ReceiveStatistics {
 public:
  using TimePoint = Clock::TimePoint;

  ReceiveStatistics(uint32_t ssrc, uint32_t clock_rate) : ssrc_(ssrc), clock_rate_(clock_rate) {}

  // Every authenticated RTP packet, retransmissions included.
  void on_packet(uint16_t sequence_number, uint32_t rtp_timestamp, TimePoint arrival);
  // The NTP timestamp of a sender report for this SSRC and when it arrived.
  void on_sender_report(uint64_t ntp_timestamp, TimePoint arrival);

  // The report block for this stream at `now`; starts a new interval for
  // fraction_lost. nullopt before the first packet.
  std::optional<rtp::ReportBlock> report_block(TimePoint now);

  uint32_t ssrc() const { return ssrc_; }
  uint64_t packets_received() const { return received_; }
  // Expected minus received since the first packet (RFC 3550 A.3); can be
  // negative with duplicates.
  int64_t cumulative_lost() const;
  uint32_t jitter() const { return static_cast<uint32_t>(jitter_q4_ >> 4); }

 private:
  uint32_t ssrc_;
  uint32_t clock_rate_;
  rtp::Unwrapper<uint16_t> unwrapper_;
  int64_t base_seq_ = 0;
  int64_t max_seq_ = 0;
  uint64_t received_ = 0;
  // Interval state for fraction_lost.
  int64_t expected_prior_ = 0;
  uint64_t received_prior_ = 0;
  // Jitter (A.8), kept scaled by 16.
  uint64_t jitter_q4_ = 0;
  std::optional<int64_t> last_transit_;
  // Last SR.
  uint32_t last_sr_ = 0;
  std::optional<TimePoint> last_sr_arrival_;
};

}  // namespace conclave::sfu
