#include "conclave/client/jitter_buffer.h"

#include <utility>

#include "conclave/rtp/sequence_number.h"

namespace conclave::client {

JitterBufferConfig JitterBufferConfig::video() {
  return JitterBufferConfig{};
}

JitterBufferConfig JitterBufferConfig::audio() {
  JitterBufferConfig c;
  c.kind = MediaKind::audio;
  c.max_delay = std::chrono::milliseconds(60);
  c.max_packets = 256;
  c.max_bytes = size_t{1} << 20;
  c.max_frame_size = size_t{64} << 10;
  c.nack = false;
  return c;
}

std::string_view jitter_drop_reason_name(JitterDropReason r) {
  switch (r) {
    case JitterDropReason::duplicate:
      return "duplicate";
    case JitterDropReason::too_old:
      return "too_old";
    case JitterDropReason::out_of_range:
      return "out_of_range";
    case JitterDropReason::buffer_full:
      return "buffer_full";
    case JitterDropReason::not_decodable:
      return "not_decodable";
    case JitterDropReason::broken_frame:
      return "broken_frame";
    case JitterDropReason::frame_too_large:
      return "frame_too_large";
    case JitterDropReason::stray_padding:
      return "stray_padding";
  }
  return "unknown";
}

uint64_t JitterBufferStats::dropped_total() const {
  uint64_t n = 0;
  for (uint64_t d : drops) n += d;
  return n;
}

JitterBuffer::JitterBuffer(const JitterBufferConfig& config) : config_(config) {
  if (config_.max_packets == 0) config_.max_packets = 1;
  if (config_.resync_after == 0) config_.resync_after = 1;
}

int64_t JitterBuffer::unwrap(uint16_t seq) const {
  const int64_t ref = *highest_;
  return ref + rtp::seq_delta(static_cast<uint16_t>(ref & 0xffff), seq);
}

void JitterBuffer::reset(TimePoint now) {
  count_drop(JitterDropReason::not_decodable, packets_.size());
  packets_.clear();
  key_starts_.clear();
  missing_.clear();
  bytes_ = 0;
  next_.reset();
  highest_.reset();
  pending_lost_ = 0;
  out_of_range_run_ = 0;
  ++stats_.resyncs;
  waiting_for_key_ = config_.kind == MediaKind::video;
  wait_started_ = now;
  key_request_now_ = waiting_for_key_;
}

void JitterBuffer::erase_packet(std::map<int64_t, Stored>::iterator it) {
  bytes_ -= it->second.packet.payload.size();
  key_starts_.erase(it->first);
  packets_.erase(it);
}

void JitterBuffer::advance_to(int64_t seq) {
  next_ = seq;
  missing_.erase(missing_.begin(), missing_.lower_bound(seq));
}

void JitterBuffer::discard_before(int64_t seq, JitterDropReason reason) {
  std::optional<uint32_t> last_timestamp;
  while (!packets_.empty() && packets_.begin()->first < seq) {
    auto it = packets_.begin();
    const JitterPacket& p = it->second.packet;
    // Frames are counted by their distinct timestamps.
    if (!p.payload.empty() && p.timestamp != last_timestamp) {
      ++stats_.frames_lost;
      last_timestamp = p.timestamp;
    }
    count_drop(reason);
    erase_packet(it);
  }
}

void JitterBuffer::enter_key_frame_wait(TimePoint now, bool request_now) {
  if (config_.kind != MediaKind::video) return;
  if (!waiting_for_key_) {
    waiting_for_key_ = true;
    wait_started_ = now;
  }
  key_request_now_ = key_request_now_ || request_now;
}

void JitterBuffer::evict_oldest(TimePoint now) {
  auto it = packets_.begin();
  const int64_t seq = it->first;
  const bool had_payload = !it->second.packet.payload.empty();
  erase_packet(it);
  count_drop(JitterDropReason::buffer_full);
  if (!next_ || seq < *next_) return;
  // The evicted packet will never be released: what it belonged to is lost.
  if (config_.kind == MediaKind::audio) {
    const auto lost = static_cast<uint32_t>(seq + 1 - *next_);
    pending_lost_ += lost;
    stats_.frames_lost += lost;
  } else if (!waiting_for_key_) {
    if (had_payload) ++stats_.frames_lost;
    enter_key_frame_wait(now, true);
  }
  advance_to(seq + 1);
}

void JitterBuffer::note_missing(int64_t from, int64_t to) {
  if (!config_.nack || to <= from || to - from > int64_t{config_.max_nack_gap}) return;
  for (int64_t s = from; s < to; ++s) missing_.try_emplace(s);
  while (missing_.size() > config_.max_packets) missing_.erase(missing_.begin());
}

std::optional<JitterDropReason> JitterBuffer::insert(JitterPacket packet, TimePoint now) {
  int64_t seq = packet.sequence_number;
  const bool padding = packet.payload.empty();
  if (padding && !highest_) {
    count_drop(JitterDropReason::stray_padding);
    return JitterDropReason::stray_padding;
  }
  if (highest_) {
    seq = unwrap(packet.sequence_number);
    const int64_t jump = seq - *highest_;
    if (jump > int64_t{config_.max_sequence_jump} || jump < -int64_t{config_.max_sequence_jump}) {
      if (padding) {
        count_drop(JitterDropReason::stray_padding);
        return JitterDropReason::stray_padding;
      }
      if (++out_of_range_run_ < config_.resync_after) {
        count_drop(JitterDropReason::out_of_range);
        return JitterDropReason::out_of_range;
      }
      // resync_after packets in a row far from the old numbers: the
      // stream restarted; this packet is its first.
      reset(now);
      seq = packet.sequence_number;
    } else {
      out_of_range_run_ = 0;
    }
  }
  if (next_ && seq < *next_) {
    count_drop(JitterDropReason::too_old);
    return JitterDropReason::too_old;
  }
  if (packets_.contains(seq)) {
    count_drop(JitterDropReason::duplicate);
    return JitterDropReason::duplicate;
  }
  const size_t size = packet.payload.size();
  if (size > config_.max_bytes) {
    count_drop(JitterDropReason::buffer_full);
    return JitterDropReason::buffer_full;
  }
  while (!packets_.empty() &&
         (packets_.size() >= config_.max_packets || bytes_ + size > config_.max_bytes)) {
    // Older packets give way to newer ones, not the other way round.
    if (seq < packets_.begin()->first) {
      count_drop(JitterDropReason::buffer_full);
      return JitterDropReason::buffer_full;
    }
    evict_oldest(now);
  }
  if (next_ && seq < *next_) {  // eviction gave up on this point of the stream
    count_drop(JitterDropReason::too_old);
    return JitterDropReason::too_old;
  }

  if (!highest_) {
    highest_ = seq;
    if (config_.kind == MediaKind::audio) {
      next_ = seq;
    } else if (!wait_started_) {
      waiting_for_key_ = true;
      wait_started_ = now;
    }
  } else if (seq > *highest_) {
    note_missing(*highest_ + 1, seq);
    highest_ = seq;
  } else {
    missing_.erase(seq);
  }
  if (config_.kind == MediaKind::video && packet.begin && packet.key_frame && !padding) {
    key_starts_.insert(seq);
  }
  bytes_ += size;
  packets_.emplace(seq, Stored{std::move(packet), now});
  ++stats_.packets_inserted;
  return std::nullopt;
}

std::optional<Clock::TimePoint> JitterBuffer::gap_seen_at(int64_t from) const {
  auto it = packets_.lower_bound(from);
  for (int64_t expected = from; it != packets_.end() && it->first == expected; ++expected) ++it;
  // Nothing held past the first missing number: no gap is known yet (the
  // rest of the frame may still be on its way).
  if (it == packets_.end()) return std::nullopt;
  return it->second.arrival;
}

JitterBuffer::FrameScan JitterBuffer::scan_frame(int64_t start) const {
  FrameScan scan;
  auto it = packets_.find(start);
  if (it == packets_.end()) return scan;
  const uint32_t timestamp = it->second.packet.timestamp;
  size_t size = 0;
  for (int64_t expected = start; it != packets_.end(); ++it, ++expected) {
    if (it->first != expected) return scan;  // a packet is missing
    const JitterPacket& p = it->second.packet;
    if (expected != start && (p.begin || p.payload.empty() || p.timestamp != timestamp)) {
      scan.state = FrameState::broken;
      return scan;
    }
    size += p.payload.size();
    if (size > config_.max_frame_size) {
      scan.state = FrameState::too_large;
      return scan;
    }
    if (p.end) {
      scan.state = FrameState::complete;
      scan.last = expected;
      return scan;
    }
  }
  return scan;
}

void JitterBuffer::release(int64_t first, int64_t last, std::vector<JitterFrame>& out) {
  JitterFrame frame;
  auto it = packets_.find(first);
  frame.timestamp = it->second.packet.timestamp;
  frame.key_frame = it->second.packet.key_frame;
  frame.abs_send_time = it->second.packet.abs_send_time;
  frame.first_sequence = first;
  frame.last_sequence = last;
  while (it != packets_.end() && it->first <= last) {
    const Bytes& payload = it->second.packet.payload;
    frame.data.insert(frame.data.end(), payload.begin(), payload.end());
    auto done = it++;
    erase_packet(done);
  }
  frame.lost_before = pending_lost_;
  pending_lost_ = 0;
  advance_to(last + 1);
  ++stats_.frames_released;
  out.push_back(std::move(frame));
}

bool JitterBuffer::start_at_key_frame(std::vector<JitterFrame>& out) {
  for (const int64_t start : key_starts_) {
    const FrameScan scan = scan_frame(start);
    if (scan.state != FrameState::complete) continue;  // a later one may be
    discard_before(start, JitterDropReason::not_decodable);
    waiting_for_key_ = false;
    wait_started_.reset();
    key_request_now_ = false;
    release(start, scan.last, out);
    return true;
  }
  return false;
}

void JitterBuffer::declare_loss(TimePoint now) {
  auto first = packets_.lower_bound(*next_);
  if (config_.kind == MediaKind::audio) {
    if (first == packets_.end()) return;
    if (first->first == *next_) {  // a packet that cannot make a frame
      count_drop(JitterDropReason::broken_frame);
      erase_packet(first);
      ++stats_.frames_lost;
      ++pending_lost_;
      advance_to(*next_ + 1);
      return;
    }
    const auto lost = static_cast<uint32_t>(first->first - *next_);
    pending_lost_ += lost;
    stats_.frames_lost += lost;
    advance_to(first->first);
    return;
  }
  // Video: the frames held from here on are discarded when a key frame is
  // found, and counted then; a gap that ends at a frame's beginning hid at
  // least one whole frame, counted now.
  if (first == packets_.end() || (first->first != *next_ && first->second.packet.begin)) {
    ++stats_.frames_lost;
  }
  enter_key_frame_wait(now, true);
}

std::vector<JitterFrame> JitterBuffer::pop(TimePoint now) {
  std::vector<JitterFrame> out;
  for (;;) {
    if (config_.kind == MediaKind::video && (waiting_for_key_ || !next_)) {
      if (!start_at_key_frame(out)) break;
      continue;
    }
    if (!next_) break;
    auto it = packets_.find(*next_);
    if (it != packets_.end()) {
      if (it->second.packet.payload.empty()) {  // padding: no frame
        erase_packet(it);
        advance_to(*next_ + 1);
        continue;
      }
      if (!it->second.packet.begin) {
        // The frame before ended, yet this one does not begin: its begin
        // packet was never sent. Nothing here can be completed.
        count_drop(JitterDropReason::broken_frame);
        erase_packet(it);
        if (config_.kind == MediaKind::audio) {
          ++stats_.frames_lost;
          ++pending_lost_;
        }
        advance_to(*next_ + 1);
        if (config_.kind == MediaKind::video) enter_key_frame_wait(now, true);
        continue;
      }
      const FrameScan scan = scan_frame(*next_);
      if (scan.state == FrameState::complete) {
        release(*next_, scan.last, out);
        continue;
      }
      if (scan.state != FrameState::incomplete) {
        count_drop(scan.state == FrameState::broken ? JitterDropReason::broken_frame
                                                    : JitterDropReason::frame_too_large);
        erase_packet(it);
        ++stats_.frames_lost;
        if (config_.kind == MediaKind::audio) ++pending_lost_;
        advance_to(*next_ + 1);
        if (config_.kind == MediaKind::video) enter_key_frame_wait(now, true);
        continue;
      }
    }
    // Blocked. A complete key frame further on needs nothing before it:
    // go there at once rather than wait for what it makes useless.
    if (config_.kind == MediaKind::video && start_at_key_frame(out)) continue;
    // Otherwise wait for the missing packet up to max_delay after the gap
    // showed, that is after the first packet past it arrived.
    const auto seen = gap_seen_at(*next_);
    if (!seen || now - *seen < config_.max_delay) break;
    declare_loss(now);
  }
  return out;
}

std::vector<uint16_t> JitterBuffer::take_nacks(TimePoint now) {
  std::vector<uint16_t> out;
  if (!config_.nack) return out;
  if (next_) missing_.erase(missing_.begin(), missing_.lower_bound(*next_));
  for (auto& [seq, state] : missing_) {
    if (state.sent >= config_.max_nacks) continue;
    if (state.last_sent && now - *state.last_sent < config_.rtt) continue;
    out.push_back(static_cast<uint16_t>(seq & 0xffff));
    ++state.sent;
    state.last_sent = now;
  }
  stats_.nacked += out.size();
  return out;
}

bool JitterBuffer::take_key_frame_request(TimePoint now) {
  if (config_.kind != MediaKind::video || !waiting_for_key_) {
    key_request_now_ = false;
    return false;
  }
  const bool due = key_request_now_ ||
                   (wait_started_ && now - *wait_started_ >= config_.key_frame_request_delay);
  if (!due) return false;
  if (last_key_request_ && now - *last_key_request_ < config_.key_frame_request_interval) {
    return false;
  }
  last_key_request_ = now;
  key_request_now_ = false;
  ++stats_.key_frame_requests;
  return true;
}

}  // namespace conclave::client
