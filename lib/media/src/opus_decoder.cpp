#include "conclave/media/opus_decoder.h"

#include <opus.h>

#include <utility>
#include <vector>

namespace conclave::media {

namespace {
// Far above any real packet (48 frames of 1275 bytes plus framing).
constexpr size_t kMaxPacketBytes = size_t{1} << 16;
}  // namespace

struct OpusDecoder::Impl {
  uint32_t channels = 1;
  ::OpusDecoder* dec = nullptr;
  int64_t next_timestamp = 0;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (dec != nullptr) opus_decoder_destroy(dec);
  }

  // Decodes `packet` (nullptr for concealment) into a frame of at most
  // `max_samples` per channel.
  Result<AudioFrame> run(const uint8_t* packet, size_t size, size_t max_samples, Errc on_error) {
    std::vector<int16_t> pcm(max_samples * channels);
    const int n = opus_decode(dec, packet, static_cast<opus_int32>(size), pcm.data(),
                              static_cast<int>(max_samples), 0);
    if (n <= 0) return Error(on_error, "opus_decode");
    pcm.resize(static_cast<size_t>(n) * channels);
    CV_TRY(AudioFrame frame, AudioFrame::from_samples(channels, std::move(pcm), next_timestamp));
    next_timestamp += n;
    return frame;
  }
};

OpusDecoder::OpusDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OpusDecoder::OpusDecoder(OpusDecoder&&) noexcept = default;
OpusDecoder& OpusDecoder::operator=(OpusDecoder&&) noexcept = default;
OpusDecoder::~OpusDecoder() = default;

Result<OpusDecoder> OpusDecoder::create(uint32_t channels) {
  if (channels == 0 || channels > AudioFrame::kMaxChannels) {
    return Error(Errc::invalid_argument, "channels");
  }
  auto impl = std::make_unique<Impl>();
  impl->channels = channels;
  int err = OPUS_OK;
  impl->dec = opus_decoder_create(static_cast<opus_int32>(AudioFrame::kSampleRate),
                                  static_cast<int>(channels), &err);
  if (impl->dec == nullptr || err != OPUS_OK) {
    return Error(Errc::codec_error, "opus_decoder_create");
  }
  return OpusDecoder(std::move(impl));
}

Result<AudioFrame> OpusDecoder::decode(BytesView packet) {
  if (packet.empty()) return Error(Errc::truncated, "empty opus packet");
  if (packet.size() > kMaxPacketBytes) return Error(Errc::too_large, "opus packet");
  const int samples =
      opus_packet_get_nb_samples(packet.data(), static_cast<opus_int32>(packet.size()),
                                 static_cast<opus_int32>(AudioFrame::kSampleRate));
  if (samples <= 0 || static_cast<size_t>(samples) > kMaxSamplesPerChannel) {
    return Error(Errc::corrupt_frame, "opus table of contents");
  }
  return impl_->run(packet.data(), packet.size(), static_cast<size_t>(samples),
                    Errc::corrupt_frame);
}

Result<AudioFrame> OpusDecoder::conceal(size_t samples_per_channel) {
  if (samples_per_channel == 0 || samples_per_channel % 120 != 0 ||
      samples_per_channel > kMaxSamplesPerChannel) {
    return Error(Errc::invalid_argument, "concealment length");
  }
  return impl_->run(nullptr, 0, samples_per_channel, Errc::codec_error);
}

uint32_t OpusDecoder::channels() const {
  return impl_->channels;
}
int64_t OpusDecoder::next_timestamp() const {
  return impl_->next_timestamp;
}

}  // namespace conclave::media
