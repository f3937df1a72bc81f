#include "conclave/media/vp8_encoder.h"

#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include <utility>

namespace conclave::media {

struct Vp8Encoder::Impl {
  Vp8EncoderConfig config;
  vpx_codec_enc_cfg_t cfg{};
  vpx_codec_ctx_t ctx{};
  bool initialized = false;
  bool force_key_frame = false;
  bool have_pts = false;
  int64_t last_pts = 0;
  uint64_t frames = 0;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { destroy(); }

  void destroy() {
    if (initialized) vpx_codec_destroy(&ctx);
    initialized = false;
  }

  // (Re)creates the libvpx encoder from `config`.
  Status init() {
    destroy();
    if (vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &cfg, 0) != VPX_CODEC_OK) {
      return Error(Errc::codec_error, "vpx_codec_enc_config_default");
    }
    cfg.g_w = config.width;
    cfg.g_h = config.height;
    cfg.g_timebase.num = 1;
    cfg.g_timebase.den = static_cast<int>(VideoFrame::kClockRate);
    cfg.g_threads = config.threads;
    cfg.g_error_resilient = config.error_resilient ? VPX_ERROR_RESILIENT_DEFAULT : 0;
    cfg.g_pass = VPX_RC_ONE_PASS;
    cfg.g_lag_in_frames = 0;
    cfg.rc_end_usage = VPX_CBR;
    cfg.rc_target_bitrate = config.bitrate_kbps;
    cfg.rc_dropframe_thresh = config.drop_frames ? 30 : 0;
    cfg.rc_resize_allowed = 0;
    cfg.rc_min_quantizer = config.min_quantizer;
    cfg.rc_max_quantizer = config.max_quantizer;
    cfg.rc_undershoot_pct = 100;
    cfg.rc_overshoot_pct = 15;
    cfg.rc_buf_initial_sz = 500;
    cfg.rc_buf_optimal_sz = 600;
    cfg.rc_buf_sz = 1000;
    if (config.key_frame_interval == 0) {
      cfg.kf_mode = VPX_KF_DISABLED;
    } else {
      cfg.kf_mode = VPX_KF_AUTO;
      cfg.kf_min_dist = 0;
      cfg.kf_max_dist = config.key_frame_interval;
    }
    if (vpx_codec_enc_init(&ctx, vpx_codec_vp8_cx(), &cfg, 0) != VPX_CODEC_OK) {
      return Error(Errc::codec_error, "vpx_codec_enc_init");
    }
    initialized = true;
    const bool controls_ok =
        vpx_codec_control(&ctx, VP8E_SET_CPUUSED, -static_cast<int>(config.speed)) ==
            VPX_CODEC_OK &&
        vpx_codec_control(&ctx, VP8E_SET_NOISE_SENSITIVITY, 0U) == VPX_CODEC_OK &&
        vpx_codec_control(&ctx, VP8E_SET_STATIC_THRESHOLD, 1U) == VPX_CODEC_OK &&
        vpx_codec_control(&ctx, VP8E_SET_TOKEN_PARTITIONS,
                          static_cast<int>(VP8_ONE_TOKENPARTITION)) == VPX_CODEC_OK &&
        vpx_codec_control(&ctx, VP8E_SET_MAX_INTRA_BITRATE_PCT, 300U) == VPX_CODEC_OK;
    if (!controls_ok) {
      destroy();
      return Error(Errc::codec_error, "vpx_codec_control");
    }
    return ok_status();
  }
};

namespace {

Status validate(const Vp8EncoderConfig& c) {
  if (c.width == 0 || c.height == 0 || c.width > VideoFrame::kMaxDimension ||
      c.height > VideoFrame::kMaxDimension) {
    return Error(Errc::invalid_dimensions, "vp8 encoder size");
  }
  if (c.bitrate_kbps == 0 || c.bitrate_kbps > 100000) {
    return Error(Errc::invalid_argument, "bitrate_kbps");
  }
  if (c.fps == 0 || c.fps > 240) return Error(Errc::invalid_argument, "fps");
  if (c.threads == 0 || c.threads > 16) return Error(Errc::invalid_argument, "threads");
  if (c.speed < 4 || c.speed > 16) return Error(Errc::invalid_argument, "speed");
  if (c.max_quantizer > 63 || c.min_quantizer > c.max_quantizer) {
    return Error(Errc::invalid_argument, "quantizer");
  }
  return ok_status();
}

}  // namespace

Vp8Encoder::Vp8Encoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Vp8Encoder::Vp8Encoder(Vp8Encoder&&) noexcept = default;
Vp8Encoder& Vp8Encoder::operator=(Vp8Encoder&&) noexcept = default;
Vp8Encoder::~Vp8Encoder() = default;

Result<Vp8Encoder> Vp8Encoder::create(const Vp8EncoderConfig& config) {
  CV_TRY_STATUS(validate(config));
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  CV_TRY_STATUS(impl->init());
  return Vp8Encoder(std::move(impl));
}

const Vp8EncoderConfig& Vp8Encoder::config() const {
  return impl_->config;
}
uint64_t Vp8Encoder::frames_encoded() const {
  return impl_->frames;
}
void Vp8Encoder::request_key_frame() {
  impl_->force_key_frame = true;
}

Status Vp8Encoder::set_bitrate(uint32_t kbps) {
  if (kbps == 0 || kbps > 100000) return Error(Errc::invalid_argument, "bitrate_kbps");
  Impl& s = *impl_;
  const uint32_t previous = s.cfg.rc_target_bitrate;
  s.cfg.rc_target_bitrate = kbps;
  if (s.initialized && vpx_codec_enc_config_set(&s.ctx, &s.cfg) != VPX_CODEC_OK) {
    s.cfg.rc_target_bitrate = previous;
    return Error(Errc::codec_error, "vpx_codec_enc_config_set");
  }
  s.config.bitrate_kbps = kbps;
  return ok_status();
}

Result<std::vector<EncodedFrame>> Vp8Encoder::encode(const VideoFrame& frame) {
  Impl& s = *impl_;
  if (frame.empty()) return Error(Errc::invalid_dimensions, "empty frame");
  if (!s.initialized || frame.width() != s.config.width || frame.height() != s.config.height) {
    s.config.width = frame.width();
    s.config.height = frame.height();
    CV_TRY_STATUS(s.init());
    s.force_key_frame = true;
  }

  vpx_image_t image{};
  // libvpx only reads the input image; its struct has no const planes.
  auto* y = const_cast<uint8_t*>(frame.plane(Plane::y).data());  // NOLINT
  if (vpx_img_wrap(&image, VPX_IMG_FMT_I420, frame.width(), frame.height(), 1, y) == nullptr) {
    return Error(Errc::codec_error, "vpx_img_wrap");
  }
  for (Plane p : {Plane::y, Plane::u, Plane::v}) {
    const auto i = static_cast<size_t>(p);
    image.planes[i] = const_cast<uint8_t*>(frame.plane(p).data());  // NOLINT
    image.stride[i] = static_cast<int>(frame.stride(p));
  }

  int64_t pts = frame.timestamp();
  if (s.have_pts && pts <= s.last_pts) pts = s.last_pts + 1;
  const auto duration = static_cast<unsigned long>(VideoFrame::kClockRate / s.config.fps);
  const vpx_enc_frame_flags_t flags = s.force_key_frame ? VPX_EFLAG_FORCE_KF : 0;
  if (vpx_codec_encode(&s.ctx, &image, pts, duration, flags, VPX_DL_REALTIME) != VPX_CODEC_OK) {
    return Error(Errc::codec_error, "vpx_codec_encode");
  }
  s.have_pts = true;
  s.last_pts = pts;
  s.force_key_frame = false;
  ++s.frames;

  std::vector<EncodedFrame> out;
  vpx_codec_iter_t iter = nullptr;
  while (const vpx_codec_cx_pkt_t* pkt = vpx_codec_get_cx_data(&s.ctx, &iter)) {
    if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) continue;
    const auto* data = static_cast<const uint8_t*>(pkt->data.frame.buf);
    EncodedFrame ef;
    ef.data.assign(data, data + pkt->data.frame.sz);
    ef.key_frame = (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
    ef.width = frame.width();
    ef.height = frame.height();
    ef.timestamp = frame.timestamp();
    out.push_back(std::move(ef));
  }
  return out;
}

}  // namespace conclave::media
