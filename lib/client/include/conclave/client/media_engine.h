// MediaEngine: the native client's audio and video, on a thread of its own
// beside the signaling loop (Client).
//
//   signaling thread                      media thread
//   ----------------                      ------------
//   on_epoch(epoch, base key, leaf) --->  MlsContext::add_epoch (SFrame keys),
//                                         delay_send_switch unless a removal
//   on_message(media_* from server) --->  SDP: parse_publish_answer /
//                                         answer_subscribe_offer; transports;
//                                         receivers per remote track
//   take_outgoing() <-------------------  media_publish, media_subscribe,
//                                         media_answer
//   take_events() <---------------------  media events for the CLI
//
//   sources (test pattern + tone, or Y4M/WAV files) -> VideoSender /
//   AudioSender (encode, SFrame, packetize) -> publish MediaTransport (SRTP)
//   -> UDP.   UDP -> subscribe MediaTransport -> MediaReceiver (jitter
//   buffer, SFrame, decode) -> recorder (DIR/<participant>-<mid>.y4m|.wav)
//   (tests only: an ExternalSubscriber child process may stand in for the
//   subscribe MediaTransport; its RTP enters MediaReceiver the same way)
//   Load runs swap the encoders for a SyntheticSource and skip decoding.
//
// The first epoch (becoming a member) starts everything: the publish offer
// and the subscribe request go out then. Without a key for the current
// epoch no frame is sent, and a frame whose key is unknown is not played.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"

namespace conclave::client {

struct MediaOptions {
  // What to publish: "" nothing, "test" (the moving test pattern and a
  // tone), or files: a .y4m (video) and/or a .wav (audio), comma-separated.
  // Load runs: "synthetic" (video and audio), "synthetic-video" or
  // "synthetic-audio": frame-sized bytes from a SyntheticSource instead of
  // an encoder (video_kbps at fps, a key frame every 2 s; 80-byte 20 ms
  // audio frames), through the real SFrame, RTP and SRTP path.
  std::string publish;
  // Where received tracks are written (created if missing); empty: not
  // recorded, but still received, decrypted and decoded.
  std::optional<std::filesystem::path> record_dir;
  bool subscribe = true;
  double tone_hz = 440.0;
  uint32_t width = 640;
  uint32_t height = 360;
  uint32_t fps = 30;
  uint32_t video_kbps = 1000;
  // Loop Y4M/WAV files (else the track stops at the end of the file).
  bool loop_files = true;
  // TEST ONLY (conclave join --test-external-subscriber): a shell command
  // that holds the subscribe transport instead of this engine
  // (ExternalSubscriber). It gets each media_offer's SDP, its answer goes
  // back as media_answer, and the RTP packets it reports enter the same
  // receive path as those of our own transport. Receiver RTCP (NACK, PLI)
  // has no way back then: it is dropped and counted.
  std::string external_subscriber;
  // false: count-only receive (load runs): frames are decrypted but not
  // decoded or recorded, and video sends no NACKs, so each track's
  // rtp_expected/rtp_received (sequence numbers, counted on arrival) is the
  // loss before retransmission.
  bool decode = true;
  // Load runs: the media thread runs one round (receive everything queued,
  // send what is due) per interval instead of waking for every packet, so
  // dozens of clients on one core do not spend it switching threads. The
  // sockets hold what arrives in between; sending is up to this late.
  std::optional<std::chrono::milliseconds> batch_interval;
};

class MediaEngine {
 public:
  using Json = nlohmann::json;

  // Checks the options (files open, sizes); the thread starts at once.
  static Result<std::unique_ptr<MediaEngine>> create(MediaOptions options, const Clock& clock);
  ~MediaEngine();
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // A new epoch: its SFrame base key (MLS-Exporter("SFrame 1.0 Base Key",
  // "", Nk)) and our leaf index in it. Unless the commit removed members,
  // we keep sending in the previous epoch for kSendSwitchDelay (the others
  // apply the commit a little later; MlsContext::delay_send_switch).
  void on_epoch(uint64_t epoch, SecretBytes base_key, uint64_t own_leaf, bool removed_members);
  static constexpr std::chrono::milliseconds kSendSwitchDelay{500};
  // A server message whose type starts with "media_" or is active_speaker.
  void on_message(const Json& message);
  // Messages to send to the server (without v/id: the caller adds them).
  std::vector<Json> take_outgoing();
  // Events for the caller: media_connected {transport}, media_track
  // {participant_id, kind, ssrc}, media_error {what}, active_speaker.
  std::vector<Json> take_events();
  // Counters now (also emitted as a media_stats event by stop()).
  Json stats() const;
  // Stops the thread, closes the recordings, emits media_stats.
  void stop();

  struct Impl;

 private:
  explicit MediaEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::client
