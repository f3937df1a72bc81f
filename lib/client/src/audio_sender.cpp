#include "conclave/client/audio_sender.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "conclave/client/media_errc.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "rtp_sender_util.h"

namespace conclave::client {

Result<AudioSender> AudioSender::create(const AudioSenderConfig& config, sframe::MlsContext& keys,
                                        const Clock& clock) {
  if (config.payload_type > 127) return Error(MediaErrc::invalid_config, "payload_type");
  CV_TRY(Bytes mid, detail::checked_mid(config.extensions));
  CV_TRY_STATUS(detail::check_transport_cc(config.extensions, config.transport_sequence));
  CV_TRY(auto encoder, media::OpusEncoder::create(config.encoder));
  return AudioSender(config, keys, clock, std::move(encoder), std::move(mid));
}

AudioSender::AudioSender(const AudioSenderConfig& config, sframe::MlsContext& keys,
                         const Clock& clock, media::OpusEncoder encoder, Bytes mid)
    : config_(config),
      keys_(&keys),
      clock_(&clock),
      encoder_(std::move(encoder)),
      mid_(std::move(mid)),
      sequence_number_(config.first_sequence_number ? *config.first_sequence_number
                                                    : crypto::random_uint<uint16_t>()),
      timestamp_offset_(config.timestamp_offset ? *config.timestamp_offset
                                                : crypto::random_uint<uint32_t>()) {}

rtp::AudioLevel AudioSender::level_of(std::span<const int16_t> samples) {
  rtp::AudioLevel level;  // silence: 127, no voice
  if (samples.empty()) return level;
  double sum = 0;
  for (int16_t s : samples) sum += static_cast<double>(s) * static_cast<double>(s);
  const double mean_square = sum / static_cast<double>(samples.size());
  constexpr double kFullScale = 32768.0 * 32768.0;
  if (mean_square <= 0) return level;
  const double dbov = 10.0 * std::log10(mean_square / kFullScale);
  level.level = static_cast<uint8_t>(std::clamp(std::lround(-dbov), 0L, 127L));
  level.voice_activity = dbov > kVoiceActivityDbov;
  return level;
}

Result<Bytes> AudioSender::send(const media::AudioFrame& frame) {
  if (!keys_->current_epoch()) {
    ++stats_.frames_dropped_no_key;
    return Error(MediaErrc::no_media_key);
  }
  auto encoded = encoder_.encode(frame);
  if (!encoded.ok()) {
    ++stats_.frames_dropped_error;
    return encoded.error();
  }
  return send_encoded(*encoded, frame.timestamp(), level_of(frame.samples()));
}

Result<Bytes> AudioSender::send_encoded(BytesView payload, int64_t timestamp,
                                        rtp::AudioLevel level) {
  if (!keys_->current_epoch()) {
    ++stats_.frames_dropped_no_key;
    return Error(MediaErrc::no_media_key);
  }
  Bytes ciphertext(payload.size() + keys_->max_overhead());
  auto size = keys_->protect(config_.sender_index, config_.context_id, {}, payload, ciphertext);
  if (!size.ok()) {
    ++stats_.frames_dropped_error;
    return size.error();
  }
  ciphertext.resize(*size);

  rtp::RtpPacketBuilder b;
  b.set_payload_type(config_.payload_type)
      .set_sequence_number(sequence_number_)
      .set_timestamp(
          static_cast<uint32_t>(timestamp_offset_ + static_cast<uint32_t>(timestamp & 0xffffffff)))
      .set_ssrc(config_.ssrc)
      .set_marker(first_packet_)  // RFC 3551: the first packet of a talkspurt
      .set_payload(ciphertext);
  if (config_.extensions.audio_level != 0) {
    // A level out of 0-127 is not sent (level_of() never makes one).
    if (auto bytes = level.serialize(); bytes.ok()) {
      b.add_extension(config_.extensions.audio_level, *bytes);
    }
  }
  detail::add_common_extensions(b, config_.extensions, mid_, *clock_, config_.transport_sequence);
  auto packet = b.build();
  if (!packet.ok()) {
    ++stats_.frames_dropped_error;
    return packet.error();
  }
  first_packet_ = false;
  ++sequence_number_;
  ++stats_.frames_sent;
  ++stats_.packets_sent;
  stats_.bytes_sent += packet->size();
  return std::move(packet).value();
}

}  // namespace conclave::client
