#include "conclave/sfu/active_speaker.h"

#include <algorithm>

namespace conclave::sfu {

void ActiveSpeakerDetector::on_level(uint32_t ssrc, uint8_t level) {
  Stream& s = streams_[ssrc];
  s.sum += 127.0 - std::min<double>(level, 127.0);
  ++s.count;
}

void ActiveSpeakerDetector::remove(uint32_t ssrc) {
  streams_.erase(ssrc);
  if (dominant_ == ssrc) dominant_ = 0;
}

double ActiveSpeakerDetector::score(uint32_t ssrc) const {
  auto it = streams_.find(ssrc);
  return it == streams_.end() ? 0.0 : it->second.score;
}

std::optional<uint32_t> ActiveSpeakerDetector::tick() {
  uint32_t loudest = 0;
  double loudest_score = 0;
  for (auto& [ssrc, s] : streams_) {
    double mean = s.count ? s.sum / s.count : 0.0;  // no packets: silence
    s.score = kSmoothing * mean + (1 - kSmoothing) * s.score;
    s.sum = 0;
    s.count = 0;
    if (s.score > loudest_score || (s.score == loudest_score && ssrc < loudest)) {
      loudest = ssrc;
      loudest_score = s.score;
    }
  }
  uint32_t next = dominant_;
  double current = score(dominant_);
  if (dominant_ != 0 && current < kSpeechFloor) next = 0;
  if (loudest_score >= kSpeechFloor && loudest != next) {
    double bar = next == 0 ? kSpeechFloor : current + kSwitchMargin;
    if (loudest_score >= bar) next = loudest;
  }
  if (next == dominant_) return std::nullopt;
  dominant_ = next;
  return next;
}

}  // namespace conclave::sfu
