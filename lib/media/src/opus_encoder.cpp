#include "conclave/media/opus_encoder.h"

#include <opus.h>

#include <utility>

namespace conclave::media {

struct OpusEncoder::Impl {
  OpusEncoderConfig config;
  ::OpusEncoder* enc = nullptr;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (enc != nullptr) opus_encoder_destroy(enc);
  }

  bool ctl(int request, opus_int32 value) {
    return opus_encoder_ctl(enc, request, value) == OPUS_OK;
  }
};

namespace {

int to_opus(OpusApplication a) {
  switch (a) {
    case OpusApplication::voip:
      return OPUS_APPLICATION_VOIP;
    case OpusApplication::audio:
      return OPUS_APPLICATION_AUDIO;
    case OpusApplication::restricted_lowdelay:
      return OPUS_APPLICATION_RESTRICTED_LOWDELAY;
  }
  return OPUS_APPLICATION_VOIP;
}

bool valid_bitrate(uint32_t bps) {
  return bps >= 6000 && bps <= 510000;
}

// Opus frame lengths at 48 kHz: 2.5, 5, 10, 20, 40, 60 ms.
bool valid_frame_size(size_t n) {
  return n == 120 || n == 240 || n == 480 || n == 960 || n == 1920 || n == 2880;
}

}  // namespace

OpusEncoder::OpusEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OpusEncoder::OpusEncoder(OpusEncoder&&) noexcept = default;
OpusEncoder& OpusEncoder::operator=(OpusEncoder&&) noexcept = default;
OpusEncoder::~OpusEncoder() = default;

Result<OpusEncoder> OpusEncoder::create(const OpusEncoderConfig& config) {
  if (config.channels == 0 || config.channels > AudioFrame::kMaxChannels) {
    return Error(Errc::invalid_argument, "channels");
  }
  if (!valid_bitrate(config.bitrate_bps)) return Error(Errc::invalid_argument, "bitrate_bps");
  if (config.complexity > 10) return Error(Errc::invalid_argument, "complexity");
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  int err = OPUS_OK;
  impl->enc =
      opus_encoder_create(static_cast<opus_int32>(AudioFrame::kSampleRate),
                          static_cast<int>(config.channels), to_opus(config.application), &err);
  if (impl->enc == nullptr || err != OPUS_OK) {
    return Error(Errc::codec_error, "opus_encoder_create");
  }
  const bool ok =
      impl->ctl(OPUS_SET_BITRATE_REQUEST, static_cast<opus_int32>(config.bitrate_bps)) &&
      impl->ctl(OPUS_SET_COMPLEXITY_REQUEST, static_cast<opus_int32>(config.complexity)) &&
      impl->ctl(OPUS_SET_INBAND_FEC_REQUEST, config.inband_fec ? 1 : 0) &&
      impl->ctl(OPUS_SET_DTX_REQUEST, config.dtx ? 1 : 0);
  if (!ok) return Error(Errc::codec_error, "opus_encoder_ctl");
  return OpusEncoder(std::move(impl));
}

const OpusEncoderConfig& OpusEncoder::config() const {
  return impl_->config;
}

Status OpusEncoder::set_bitrate(uint32_t bps) {
  if (!valid_bitrate(bps)) return Error(Errc::invalid_argument, "bitrate_bps");
  if (!impl_->ctl(OPUS_SET_BITRATE_REQUEST, static_cast<opus_int32>(bps))) {
    return Error(Errc::codec_error, "opus_encoder_ctl");
  }
  impl_->config.bitrate_bps = bps;
  return ok_status();
}

Result<Bytes> OpusEncoder::encode(const AudioFrame& frame) {
  if (frame.channels() != impl_->config.channels) {
    return Error(Errc::invalid_argument, "channel count");
  }
  if (!valid_frame_size(frame.samples_per_channel())) {
    return Error(Errc::invalid_argument, "opus frame length");
  }
  Bytes packet(kMaxPacketSize);
  const opus_int32 n =
      opus_encode(impl_->enc, frame.samples().data(), static_cast<int>(frame.samples_per_channel()),
                  packet.data(), static_cast<opus_int32>(packet.size()));
  if (n < 0) return Error(Errc::codec_error, "opus_encode");
  packet.resize(static_cast<size_t>(n));
  return packet;
}

}  // namespace conclave::media
