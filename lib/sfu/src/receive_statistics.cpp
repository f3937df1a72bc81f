#include "conclave/sfu/receive_statistics.h"

#include <algorithm>
#include <chrono>

namespace conclave::sfu {

void ReceiveStatistics::on_packet(uint16_t sequence_number, uint32_t rtp_timestamp,
                                  TimePoint arrival) {
  int64_t seq = unwrapper_.unwrap(sequence_number);
  if (received_ == 0) {
    base_seq_ = seq;
    max_seq_ = seq;
  } else {
    max_seq_ = std::max(max_seq_, seq);
    base_seq_ = std::min(base_seq_, seq);
  }
  ++received_;

  // Interarrival jitter: transit = arrival (in RTP units) - RTP timestamp;
  // J += (|D| - J) / 16, kept scaled by 16.
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(arrival.time_since_epoch())
                .count();
  // Steady-clock microseconds times a clock rate of at most 90 kHz stays
  // far below 2^63 for centuries of uptime.
  int64_t arrival_rtp = static_cast<int64_t>(us) * clock_rate_ / 1'000'000;
  int64_t transit = static_cast<int64_t>(static_cast<uint32_t>(arrival_rtp) - rtp_timestamp);
  // Keep transit in a signed 32-bit window so wrap-around stays small.
  transit = static_cast<int32_t>(static_cast<uint32_t>(transit));
  if (last_transit_) {
    int64_t d = transit - *last_transit_;
    d = static_cast<int32_t>(static_cast<uint32_t>(d));
    uint64_t abs_d = static_cast<uint64_t>(d < 0 ? -d : d);
    // J(q4) += |D| - J(q4)/16
    jitter_q4_ = jitter_q4_ + abs_d - ((jitter_q4_ + 8) >> 4);
  }
  last_transit_ = transit;
}

void ReceiveStatistics::on_sender_report(uint64_t ntp_timestamp, TimePoint arrival) {
  last_sr_ = static_cast<uint32_t>(ntp_timestamp >> 16);
  last_sr_arrival_ = arrival;
}

int64_t ReceiveStatistics::cumulative_lost() const {
  if (received_ == 0) return 0;
  int64_t expected = max_seq_ - base_seq_ + 1;
  return expected - static_cast<int64_t>(received_);
}

std::optional<rtp::ReportBlock> ReceiveStatistics::report_block(TimePoint now) {
  if (received_ == 0) return std::nullopt;
  rtp::ReportBlock block;
  block.ssrc = ssrc_;
  int64_t expected = max_seq_ - base_seq_ + 1;
  int64_t expected_interval = expected - expected_prior_;
  int64_t received_interval = static_cast<int64_t>(received_ - received_prior_);
  expected_prior_ = expected;
  received_prior_ = received_;
  int64_t lost_interval = expected_interval - received_interval;
  if (expected_interval > 0 && lost_interval > 0) {
    block.fraction_lost = static_cast<uint8_t>(std::min<int64_t>(
        255, (lost_interval << 8) / expected_interval));
  }
  block.cumulative_lost = static_cast<int32_t>(std::clamp<int64_t>(
      cumulative_lost(), rtp::ReportBlock::kMinCumulativeLost,
      rtp::ReportBlock::kMaxCumulativeLost));
  block.extended_highest_sequence = static_cast<uint32_t>(max_seq_);
  block.jitter = jitter();
  if (last_sr_arrival_) {
    block.last_sr = last_sr_;
    auto delay = std::chrono::duration_cast<std::chrono::microseconds>(now - *last_sr_arrival_);
    int64_t units = std::max<int64_t>(0, delay.count()) * 65536 / 1'000'000;
    block.delay_since_last_sr = static_cast<uint32_t>(std::min<int64_t>(units, 0xffffffff));
  }
  return block;
}

}  // namespace conclave::sfu
