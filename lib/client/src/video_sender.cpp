#include "conclave/client/video_sender.h"

#include <utility>
#include <variant>

#include "conclave/client/media_errc.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/transport_sequence_number.h"
#include "rtp_sender_util.h"

namespace conclave::client {

namespace {

constexpr uint8_t kKeyTemplate = 0;  // of FrameDependencyStructure::single_layer
constexpr uint8_t kDeltaTemplate = 1;

}  // namespace

Result<VideoSender> VideoSender::create(const VideoSenderConfig& config, sframe::MlsContext& keys,
                                        const Clock& clock) {
  if (config.extensions.dependency_descriptor == 0) {
    return Error(MediaErrc::invalid_config, "dependency_descriptor id");
  }
  if (config.payload_type > 127) return Error(MediaErrc::invalid_config, "payload_type");
  if (config.history_size == 0) return Error(MediaErrc::invalid_config, "history_size");
  CV_TRY(Bytes mid, detail::checked_mid(config.extensions));
  CV_TRY_STATUS(detail::check_transport_cc(config.extensions, config.transport_sequence));

  // The largest dependency descriptor: a key frame's, with the structure.
  const auto structure = rtp::FrameDependencyStructure::single_layer();
  rtp::DependencyDescriptor dd;
  dd.frame_dependency_template_id = kKeyTemplate;
  dd.attached_structure = structure;
  CV_TRY(const Bytes dd_bytes, dd.serialize(nullptr));
  const size_t reserve = detail::header_reserve(config.extensions, mid.size(), {dd_bytes.size()});
  // Room for the VP8 descriptor (at most 6 bytes) and some ciphertext.
  if (config.max_packet_size < reserve + rtp::Vp8PayloadDescriptor::kMaxSize + 16) {
    return Error(MediaErrc::invalid_config, "max_packet_size");
  }
  CV_TRY(auto encoder, media::Vp8Encoder::create(config.encoder));
  return VideoSender(config, keys, clock, std::move(encoder), std::move(mid),
                     config.max_packet_size - reserve);
}

VideoSender::VideoSender(const VideoSenderConfig& config, sframe::MlsContext& keys,
                         const Clock& clock, media::Vp8Encoder encoder, Bytes mid,
                         size_t max_payload_size)
    : config_(config),
      keys_(&keys),
      clock_(&clock),
      encoder_(std::move(encoder)),
      packetizer_(max_payload_size, config.first_picture_id ? *config.first_picture_id
                                                            : crypto::random_uint<uint16_t>()),
      structure_(rtp::FrameDependencyStructure::single_layer()),
      mid_(std::move(mid)),
      sequence_number_(config.first_sequence_number ? *config.first_sequence_number
                                                    : crypto::random_uint<uint16_t>()),
      timestamp_offset_(config.timestamp_offset ? *config.timestamp_offset
                                                : crypto::random_uint<uint32_t>()),
      history_(config.history_size) {}

void VideoSender::request_key_frame() {
  ++stats_.key_frame_requests;
  encoder_.request_key_frame();
}

Error VideoSender::drop_frame(const Error& error) {
  ++stats_.frames_dropped_error;
  // The receivers miss this frame; what follows must not depend on it.
  key_frame_pending_ = true;
  return error;
}

Result<std::vector<Bytes>> VideoSender::send(const media::VideoFrame& frame) {
  if (!keys_->current_epoch()) {
    // Not even encoded: nothing could be sent, and the next frame that is
    // sent must be a key frame anyway.
    ++stats_.frames_dropped_no_key;
    key_frame_pending_ = true;
    return Error(MediaErrc::no_media_key);
  }
  if (key_frame_pending_) {
    encoder_.request_key_frame();
    key_frame_pending_ = false;
  }
  auto encoded = encoder_.encode(frame);
  if (!encoded.ok()) return drop_frame(encoded.error());
  std::vector<Bytes> packets;
  for (const auto& e : *encoded) {
    ++stats_.frames_encoded;
    CV_TRY(auto more, send_encoded(e));
    for (auto& p : more) packets.push_back(std::move(p));
  }
  return packets;
}

Result<std::vector<Bytes>> VideoSender::send_encoded(const media::EncodedFrame& frame) {
  if (!keys_->current_epoch()) {
    ++stats_.frames_dropped_no_key;
    key_frame_pending_ = true;
    return Error(MediaErrc::no_media_key);
  }
  Bytes ciphertext(frame.data.size() + keys_->max_overhead());
  auto size = keys_->protect(config_.sender_index, config_.context_id, {}, frame.data, ciphertext);
  if (!size.ok()) return drop_frame(size.error());
  ciphertext.resize(*size);
  auto payloads = packetizer_.packetize(ciphertext);
  if (!payloads.ok()) return drop_frame(payloads.error());

  const auto timestamp = static_cast<uint32_t>(timestamp_offset_ +
                                               static_cast<uint32_t>(frame.timestamp & 0xffffffff));
  rtp::DependencyDescriptor dd;
  dd.frame_number = frame_number_;
  dd.frame_dependency_template_id = frame.key_frame ? kKeyTemplate : kDeltaTemplate;

  std::vector<Bytes> packets;
  packets.reserve(payloads->size());
  for (size_t i = 0; i < payloads->size(); ++i) {
    dd.start_of_frame = i == 0;
    dd.end_of_frame = i + 1 == payloads->size();
    // The structure rides on the first packet of a key frame, as Chromium
    // sends it; receivers take "key frame" from its presence.
    if (frame.key_frame && i == 0) {
      dd.attached_structure = structure_;
    } else {
      dd.attached_structure.reset();
    }
    auto dd_bytes = dd.serialize(&structure_);
    if (!dd_bytes.ok()) return drop_frame(dd_bytes.error());

    rtp::RtpPacketBuilder b;
    b.set_payload_type(config_.payload_type)
        .set_sequence_number(static_cast<uint16_t>(sequence_number_ + i))
        .set_timestamp(timestamp)
        .set_ssrc(config_.ssrc)
        .set_marker((*payloads)[i].marker)
        .set_payload((*payloads)[i].payload);
    b.add_extension(config_.extensions.dependency_descriptor, *dd_bytes);
    detail::add_common_extensions(b, config_.extensions, mid_, *clock_, config_.transport_sequence);
    auto packet = b.build();
    if (!packet.ok()) return drop_frame(packet.error());
    packets.push_back(std::move(packet).value());
  }

  // Only now, with every packet built, does the frame count as sent.
  for (size_t i = 0; i < packets.size(); ++i) {
    const auto seq = static_cast<uint16_t>(sequence_number_ + i);
    history_[seq % history_.size()] = Sent{seq, packets[i]};
    ++stats_.packets_sent;
    stats_.bytes_sent += packets[i].size();
  }
  sequence_number_ = static_cast<uint16_t>(sequence_number_ + packets.size());
  ++frame_number_;
  ++stats_.frames_sent;
  if (frame.key_frame) ++stats_.key_frames_sent;
  return packets;
}

std::optional<Bytes> VideoSender::retransmit(uint16_t sequence_number) {
  const auto& slot = history_[sequence_number % history_.size()];
  if (!slot || slot->sequence_number != sequence_number) {
    ++stats_.retransmit_misses;
    return std::nullopt;
  }
  Bytes packet = slot->packet;
  const auto& ids = config_.extensions;
  // A retransmission is a new packet on the transport: it gets its own
  // transport-wide number and send time. The sizes match, so these
  // rewrites of a packet we built cannot fail.
  if (ids.transport_cc != 0 && config_.transport_sequence != nullptr) {
    (void)rtp::RtpPacket::rewrite_extension(
        packet, ids.transport_cc,
        rtp::TransportSequenceNumber::serialize(config_.transport_sequence->next()));
  }
  if (ids.abs_send_time != 0) {
    (void)rtp::RtpPacket::rewrite_extension(packet, ids.abs_send_time,
                                            detail::abs_send_time(*clock_));
  }
  ++stats_.retransmissions;
  return packet;
}

std::vector<Bytes> VideoSender::handle_rtcp(const rtp::RtcpPacket& packet) {
  std::vector<Bytes> out;
  if (const auto* nack = std::get_if<rtp::GenericNack>(&packet)) {
    if (nack->media_ssrc != config_.ssrc) return out;
    for (uint16_t seq : nack->lost) {
      if (auto p = retransmit(seq)) out.push_back(std::move(*p));
    }
  } else if (const auto* pli = std::get_if<rtp::Pli>(&packet)) {
    if (pli->media_ssrc == config_.ssrc) request_key_frame();
  } else if (const auto* fir = std::get_if<rtp::Fir>(&packet)) {
    for (const auto& entry : fir->entries) {
      if (entry.ssrc == config_.ssrc) {
        request_key_frame();
        break;
      }
    }
  }
  return out;
}

}  // namespace conclave::client
