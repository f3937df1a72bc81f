// libFuzzer target for the receive side of the media pipelines: whatever
// arrives on a track (after SRTP, so from the SFU or anyone who can reach
// it), a MediaReceiver must neither crash, throw, nor grow without bound.
//
// Input: one byte choosing the track (bit 0: 1 video, 0 audio; bit 1:
// count-only, MediaReceiverConfig::decode = false), then
// records |length (2 bytes, big endian)|RTP packet|. A record of length 0
// lets 100 ms pass. Between packets 5 ms pass; after each the receiver's
// timers run and its RTCP is taken. The receiver holds the SFrame key of
// epoch 1 (kSecret below), so packets protected by sender leaf 3 under it
// decrypt and reach the decoders (scripts/fuzz.sh seeds such packets).
//
// Oracles beyond the sanitizers: the RTCP the receiver wants sent always
// serializes; it never decodes more frames than it decrypted (plus audio
// concealment); decoded pictures stay within the decoder's limits; the
// jitter buffer stays within its packet and byte limits.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/client/media_receiver.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/sframe/cipher_suite.h"
#include "conclave/sframe/mls_context.h"

namespace {

using namespace conclave;

// The epoch-1 secret of the seeds (16 bytes 0x00..0x0f).
const Bytes kSecret = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
constexpr uint32_t kMaxDimension = 640;

client::MediaReceiverConfig config(bool video) {
  client::MediaReceiverConfig c;
  c.kind = video ? client::MediaKind::video : client::MediaKind::audio;
  c.ssrc = video ? 0x1234abcd : 0x5678ef01;
  c.payload_type = video ? 96 : 111;
  c.extensions.audio_level = 1;
  c.extensions.mid = 2;
  c.extensions.mid_value = video ? "1" : "0";
  c.extensions.transport_cc = 3;
  c.extensions.abs_send_time = 4;
  c.extensions.dependency_descriptor = 5;
  c.receiver_ssrc = 0x0badcafe;
  c.video_decoder.max_width = kMaxDimension;
  c.video_decoder.max_height = kMaxDimension;
  c.video_decoder.max_pixels = uint64_t{kMaxDimension} * kMaxDimension;
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool video = (data[0] & 1) != 0;
  FakeClock clock;
  auto keys = sframe::MlsContext::create(
      sframe::CipherSuite::get(sframe::CipherSuiteId::aes_128_gcm_sha256_128), {}, clock);
  if (!keys.ok() || !keys->add_epoch(1, kSecret).ok()) std::abort();

  uint64_t callbacks = 0;
  auto c = config(video);
  c.decode = (data[0] & 2) == 0;
  c.on_receiver_video = [&](const media::VideoFrame& frame, uint64_t, uint64_t) {
    if (frame.width() > kMaxDimension || frame.height() > kMaxDimension) std::abort();
    ++callbacks;
  };
  c.on_receiver_audio = [&](const media::AudioFrame&, uint64_t, uint64_t) { ++callbacks; };
  auto receiver = client::MediaReceiver::create(c, *keys, clock);
  if (!receiver.ok()) std::abort();

  auto run_timers = [&] {
    receiver->poll();
    const auto rtcp = receiver->take_rtcp();
    if (!rtcp.empty() && !rtp::build_rtcp_compound(rtcp).ok()) std::abort();
  };

  size_t pos = 1;
  while (pos + 2 <= size) {
    const size_t length = (size_t{data[pos]} << 8) | data[pos + 1];
    pos += 2;
    if (length == 0) {
      clock.advance(std::chrono::milliseconds(100));
      run_timers();
      continue;
    }
    const size_t n = length < size - pos ? length : size - pos;
    clock.advance(std::chrono::milliseconds(5));
    receiver->receive(BytesView(data + pos, n));
    pos += n;
    run_timers();
    const auto& jitter = receiver->jitter_buffer();
    if (jitter.packet_count() > jitter.config().max_packets ||
        jitter.byte_count() > jitter.config().max_bytes) {
      std::abort();
    }
  }
  clock.advance(std::chrono::seconds(1));
  run_timers();

  const auto& stats = receiver->stats();
  if (stats.frames_decoded > stats.frames_decrypted) std::abort();
  if (callbacks != stats.frames_decoded + stats.frames_concealed) std::abort();
  if (!c.decode && callbacks != 0) std::abort();
  return 0;
}
