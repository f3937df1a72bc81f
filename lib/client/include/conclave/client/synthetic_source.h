// SyntheticSource: frame-sized bytes in place of an encoder, for load runs
// (`conclave load --media`). The SFU never reads payloads, and encoding
// VP8 or Opus for dozens of clients would measure libvpx and libopus on the
// load machine rather than the server, so the load clients send these
// frames through the real sender path instead (VideoSender::send_encoded,
// AudioSender::send_encoded: SFrame with the real MLS key, RTP with the
// dependency descriptor or the audio level, SRTP on the transport).
//
//   video: one frame of video_kbps * 1000 / 8 / fps bytes every 1/fps s,
//          a key frame every key_frame_interval (and the first), 90 kHz
//          timestamps;
//   audio: one 20 ms frame of audio_bytes bytes, 48 kHz timestamps, a
//          fixed RFC 6464 level with voice activity.
//
// The bytes are a counter pattern: what they are does not matter, since
// SFrame encrypts them, only how many there are. Pure: no clock; the
// caller paces the frames.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/media/encoded_frame.h"
#include "conclave/rtp/audio_level.h"

namespace conclave::client {

struct SyntheticSourceConfig {
  uint32_t video_kbps = 1000;
  uint32_t fps = 30;
  std::chrono::milliseconds key_frame_interval{2000};
  size_t audio_bytes = 80;
  rtp::AudioLevel audio_level{.voice_activity = true, .level = 30};
};

class SyntheticSource {
 public:
  static constexpr uint32_t kAudioSamplesPerFrame = 960;  // 20 ms at 48 kHz

  explicit SyntheticSource(const SyntheticSourceConfig& config);

  // The next video frame (fps must be at least 1).
  media::EncodedFrame next_video();
  // The next audio frame's payload; its 48 kHz timestamp is
  // audio_timestamp() before the call.
  Bytes next_audio();
  uint64_t audio_timestamp() const { return audio_frames_ * kAudioSamplesPerFrame; }

  // The next video frame will be a key frame (a PLI).
  void request_key_frame() { key_frame_pending_ = true; }

  size_t video_frame_size() const { return video_frame_size_; }
  const SyntheticSourceConfig& config() const { return config_; }

 private:
  SyntheticSourceConfig config_;
  size_t video_frame_size_;
  uint64_t key_frame_every_;  // frames
  uint64_t video_frames_ = 0;
  uint64_t audio_frames_ = 0;
  bool key_frame_pending_ = false;
};

}  // namespace conclave::client
