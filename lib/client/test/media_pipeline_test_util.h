// Shared pieces of the media pipeline tests: MLS-derived SFrame keys on
// both sides, the header-extension IDs, and configurations for senders and
// receivers that talk to each other.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/client/audio_sender.h"
#include "conclave/client/media_receiver.h"
#include "conclave/client/video_sender.h"
#include "conclave/crypto/random.h"
#include "conclave/sframe/cipher_suite.h"
#include "conclave/sframe/mls_context.h"

namespace conclave::client::pipeline_test {

inline constexpr uint64_t kSenderLeaf = 3;
inline constexpr uint32_t kVideoSsrc = 0x1234abcd;
inline constexpr uint32_t kAudioSsrc = 0x5678ef01;
inline constexpr uint32_t kReceiverSsrc = 0x0badcafe;

inline const sframe::CipherSuite& suite4() {
  return sframe::CipherSuite::get(sframe::CipherSuiteId::aes_128_gcm_sha256_128);
}

// A stand-in for MLS-Exporter("SFrame 1.0 Base Key", "", 16).
inline Bytes random_epoch_secret() {
  return crypto::random_bytes(16);
}

inline sframe::MlsContext make_keys(const Clock& clock) {
  auto keys = sframe::MlsContext::create(suite4(), {}, clock);
  EXPECT_TRUE(keys.ok());
  return std::move(keys).value();
}

inline sframe::MlsContext make_keys(const Clock& clock, uint64_t epoch, BytesView secret) {
  auto keys = make_keys(clock);
  EXPECT_TRUE(keys.add_epoch(epoch, secret).ok());
  return keys;
}

inline RtpExtensionIds extension_ids(const char* mid) {
  RtpExtensionIds ids;
  ids.audio_level = 1;
  ids.mid = 2;
  ids.mid_value = mid;
  ids.transport_cc = 3;
  ids.abs_send_time = 4;
  ids.dependency_descriptor = 5;
  return ids;
}

inline VideoSenderConfig video_sender_config(TransportSequenceCounter& tcc, uint32_t width = 640,
                                             uint32_t height = 360) {
  VideoSenderConfig c;
  c.ssrc = kVideoSsrc;
  c.sender_index = kSenderLeaf;
  c.extensions = extension_ids("1");
  c.encoder.width = width;
  c.encoder.height = height;
  c.encoder.bitrate_kbps = 1000;
  c.transport_sequence = &tcc;
  return c;
}

inline AudioSenderConfig audio_sender_config(TransportSequenceCounter& tcc) {
  AudioSenderConfig c;
  c.ssrc = kAudioSsrc;
  c.sender_index = kSenderLeaf;
  c.extensions = extension_ids("0");
  c.transport_sequence = &tcc;
  return c;
}

inline MediaReceiverConfig video_receiver_config() {
  MediaReceiverConfig c;
  c.kind = MediaKind::video;
  c.ssrc = kVideoSsrc;
  c.payload_type = 96;
  c.extensions = extension_ids("1");
  c.receiver_ssrc = kReceiverSsrc;
  return c;
}

inline MediaReceiverConfig audio_receiver_config() {
  MediaReceiverConfig c;
  c.kind = MediaKind::audio;
  c.ssrc = kAudioSsrc;
  c.payload_type = 111;
  c.extensions = extension_ids("0");
  c.receiver_ssrc = kReceiverSsrc;
  return c;
}

}  // namespace conclave::client::pipeline_test
