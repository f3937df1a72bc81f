#include "conclave/media/y4m_writer.h"

#include <ostream>
#include <string>
#include <utility>

#include "stream_io.h"

namespace conclave::media {

Y4mWriter::Y4mWriter(std::ostream& out, std::unique_ptr<std::ostream> owned, uint32_t width,
                     uint32_t height)
    : owned_(std::move(owned)), out_(&out), width_(width), height_(height) {}
Y4mWriter::Y4mWriter(Y4mWriter&&) noexcept = default;
Y4mWriter& Y4mWriter::operator=(Y4mWriter&&) noexcept = default;
Y4mWriter::~Y4mWriter() = default;

namespace {

Status check_params(uint32_t width, uint32_t height, uint32_t fps_num, uint32_t fps_den) {
  if (width == 0 || height == 0 || width > VideoFrame::kMaxDimension ||
      height > VideoFrame::kMaxDimension) {
    return Error(Errc::invalid_dimensions, "y4m writer");
  }
  if (fps_num == 0 || fps_den == 0) return Error(Errc::invalid_argument, "y4m rate");
  return ok_status();
}

Status write_header(std::ostream& out, uint32_t width, uint32_t height, uint32_t fps_num,
                    uint32_t fps_den) {
  const std::string header = "YUV4MPEG2 W" + std::to_string(width) + " H" + std::to_string(height) +
                             " F" + std::to_string(fps_num) + ":" + std::to_string(fps_den) +
                             " Ip A1:1 C420jpeg\n";
  return detail::write_all(out, as_bytes(header), "y4m header");
}

}  // namespace

Result<Y4mWriter> Y4mWriter::create(std::ostream& out, uint32_t width, uint32_t height,
                                    uint32_t fps_num, uint32_t fps_den) {
  CV_TRY_STATUS(check_params(width, height, fps_num, fps_den));
  CV_TRY_STATUS(write_header(out, width, height, fps_num, fps_den));
  return Y4mWriter(out, nullptr, width, height);
}

Result<Y4mWriter> Y4mWriter::create_file(const std::string& path, uint32_t width, uint32_t height,
                                         uint32_t fps_num, uint32_t fps_den) {
  CV_TRY_STATUS(check_params(width, height, fps_num, fps_den));
  CV_TRY(auto file, detail::open_output(path));
  CV_TRY_STATUS(write_header(*file, width, height, fps_num, fps_den));
  std::ostream& out = *file;
  return Y4mWriter(out, std::move(file), width, height);
}

Status Y4mWriter::write(const VideoFrame& frame) {
  if (closed_) return Errc::closed;
  if (frame.width() != width_ || frame.height() != height_) {
    return Error(Errc::invalid_argument, "y4m frame size");
  }
  CV_TRY_STATUS(detail::write_all(*out_, as_bytes("FRAME\n"), "y4m frame header"));
  for (Plane p : {Plane::y, Plane::u, Plane::v}) {
    for (uint32_t r = 0; r < frame.plane_height(p); ++r) {
      CV_TRY_STATUS(detail::write_all(*out_, frame.row(p, r), "y4m frame data"));
    }
  }
  ++frames_;
  return ok_status();
}

Status Y4mWriter::close() {
  if (closed_) return ok_status();
  closed_ = true;
  out_->flush();
  if (!*out_) return Error(Errc::io_error, "y4m flush");
  return ok_status();
}

}  // namespace conclave::media
