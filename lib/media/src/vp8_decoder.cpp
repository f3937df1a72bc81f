#include "conclave/media/vp8_decoder.h"

#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include <algorithm>
#include <utility>

#include "conclave/media/vp8_frame_header.h"

namespace conclave::media {

struct Vp8Decoder::Impl {
  Vp8DecoderConfig config;
  vpx_codec_ctx_t ctx{};
  bool initialized = false;
  bool waiting_for_key_frame = true;
  uint64_t frames = 0;
  uint64_t errors = 0;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { destroy(); }

  void destroy() {
    if (initialized) vpx_codec_destroy(&ctx);
    initialized = false;
  }

  Status init() {
    destroy();
    vpx_codec_dec_cfg_t cfg{};
    cfg.threads = config.threads;
    if (vpx_codec_dec_init(&ctx, vpx_codec_vp8_dx(), &cfg, 0) != VPX_CODEC_OK) {
      return Error(Errc::codec_error, "vpx_codec_dec_init");
    }
    initialized = true;
    return ok_status();
  }

  // Counts an error and waits for the next key frame.
  Error fail(Error e) {
    ++errors;
    waiting_for_key_frame = true;
    return e;
  }

  Result<std::optional<VideoFrame>> decode(BytesView frame, int64_t timestamp);
};

namespace {

// Copies libvpx's picture (with its own strides) into a VideoFrame.
Result<VideoFrame> copy_image(const vpx_image_t& img, int64_t timestamp) {
  if (img.fmt != VPX_IMG_FMT_I420) return Error(Errc::unsupported_format, "vp8 image format");
  CV_TRY(VideoFrame out, VideoFrame::create(img.d_w, img.d_h, timestamp));
  for (Plane p : {Plane::y, Plane::u, Plane::v}) {
    const auto i = static_cast<size_t>(p);
    if (img.planes[i] == nullptr || img.stride[i] < static_cast<int>(out.plane_width(p))) {
      return Error(Errc::corrupt_frame, "vp8 image plane");
    }
    const auto stride = static_cast<size_t>(img.stride[i]);
    for (uint32_t r = 0; r < out.plane_height(p); ++r) {
      const uint8_t* src = img.planes[i] + r * stride;
      auto dst = out.row(p, r);
      std::copy(src, src + dst.size(), dst.begin());
    }
  }
  return out;
}

}  // namespace

Result<std::optional<VideoFrame>> Vp8Decoder::Impl::decode(BytesView frame, int64_t timestamp) {
  if (frame.size() > config.max_frame_size) {
    return fail(Error(Errc::too_large, "vp8 frame size"));
  }
  auto header = Vp8FrameHeader::parse(frame);
  if (!header.ok()) return fail(header.error());
  if (header->key_frame) {
    if (header->width > config.max_width || header->height > config.max_height ||
        uint64_t{header->width} * header->height > config.max_pixels) {
      return fail(Error(Errc::invalid_dimensions, "vp8 key frame size"));
    }
    if (waiting_for_key_frame || !initialized) {
      // A fresh context: nothing of a damaged stream carries over.
      if (auto s = init(); !s.ok()) return fail(s.error());
    }
  } else if (waiting_for_key_frame) {
    ++errors;
    return Error(Errc::key_frame_required, "vp8 delta frame");
  }

  if (vpx_codec_decode(&ctx, frame.data(), static_cast<unsigned int>(frame.size()), nullptr, 0) !=
      VPX_CODEC_OK) {
    return fail(Error(Errc::corrupt_frame, "vpx_codec_decode"));
  }
  int corrupted = 0;
  if (vpx_codec_control(&ctx, VP8D_GET_FRAME_CORRUPTED, &corrupted) != VPX_CODEC_OK ||
      corrupted != 0) {
    return fail(Error(Errc::corrupt_frame, "vp8 frame corrupted"));
  }
  waiting_for_key_frame = false;
  std::optional<VideoFrame> shown;
  vpx_codec_iter_t iter = nullptr;
  while (const vpx_image_t* img = vpx_codec_get_frame(&ctx, &iter)) {
    auto copy = copy_image(*img, timestamp);
    if (!copy.ok()) return fail(copy.error());
    shown = std::move(copy).value();
  }
  if (shown) ++frames;
  return shown;
}

Vp8Decoder::Vp8Decoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Vp8Decoder::Vp8Decoder(Vp8Decoder&&) noexcept = default;
Vp8Decoder& Vp8Decoder::operator=(Vp8Decoder&&) noexcept = default;
Vp8Decoder::~Vp8Decoder() = default;

Result<Vp8Decoder> Vp8Decoder::create(const Vp8DecoderConfig& config) {
  if (config.threads == 0 || config.threads > 16) return Error(Errc::invalid_argument, "threads");
  if (config.max_width == 0 || config.max_height == 0 || config.max_pixels == 0 ||
      config.max_frame_size == 0 || config.max_frame_size > 0xffffffffU) {
    return Error(Errc::invalid_argument, "vp8 decoder limits");
  }
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  CV_TRY_STATUS(impl->init());
  return Vp8Decoder(std::move(impl));
}

Result<std::optional<VideoFrame>> Vp8Decoder::decode(BytesView frame, int64_t timestamp) {
  return impl_->decode(frame, timestamp);
}

bool Vp8Decoder::waiting_for_key_frame() const {
  return impl_->waiting_for_key_frame;
}
uint64_t Vp8Decoder::frames_decoded() const {
  return impl_->frames;
}
uint64_t Vp8Decoder::errors() const {
  return impl_->errors;
}

}  // namespace conclave::media
