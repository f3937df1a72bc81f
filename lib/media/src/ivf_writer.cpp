#include "conclave/media/ivf_writer.h"

#include <ostream>
#include <utility>

#include "stream_io.h"

namespace conclave::media {

namespace {

Bytes file_header(uint32_t width, uint32_t height, uint32_t frames) {
  Bytes h;
  h.reserve(IvfWriter::kFileHeaderSize);
  const auto tag = [&h](std::string_view t) { h.insert(h.end(), t.begin(), t.end()); };
  tag("DKIF");
  detail::put_le(h, 0, 2);  // version
  detail::put_le(h, IvfWriter::kFileHeaderSize, 2);
  tag("VP80");
  detail::put_le(h, width, 2);
  detail::put_le(h, height, 2);
  detail::put_le(h, 90000, 4);  // timebase denominator (rate)
  detail::put_le(h, 1, 4);      // timebase numerator (scale)
  detail::put_le(h, frames, 4);
  detail::put_le(h, 0, 4);
  return h;
}

Status check_size(uint32_t width, uint32_t height) {
  if (width == 0 || height == 0 || width > 0xffff || height > 0xffff) {
    return Error(Errc::invalid_dimensions, "ivf writer");
  }
  return ok_status();
}

}  // namespace

IvfWriter::IvfWriter(std::ostream& out, std::unique_ptr<std::ostream> owned, uint32_t width,
                     uint32_t height, int64_t start)
    : owned_(std::move(owned)), out_(&out), width_(width), height_(height), start_(start) {}

IvfWriter::IvfWriter(IvfWriter&& other) noexcept
    : owned_(std::move(other.owned_)),
      out_(other.out_),
      width_(other.width_),
      height_(other.height_),
      start_(other.start_),
      frames_(other.frames_),
      closed_(other.closed_) {
  other.closed_ = true;  // the moved-from writer no longer owns the header
}

IvfWriter& IvfWriter::operator=(IvfWriter&& other) noexcept {
  if (this != &other) {
    (void)close();
    owned_ = std::move(other.owned_);
    out_ = other.out_;
    width_ = other.width_;
    height_ = other.height_;
    start_ = other.start_;
    frames_ = other.frames_;
    closed_ = other.closed_;
    other.closed_ = true;
  }
  return *this;
}

IvfWriter::~IvfWriter() {
  (void)close();
}

Result<IvfWriter> IvfWriter::create(std::ostream& out, uint32_t width, uint32_t height) {
  CV_TRY_STATUS(check_size(width, height));
  const auto start = static_cast<int64_t>(out.tellp());
  CV_TRY_STATUS(detail::write_all(out, file_header(width, height, 0), "ivf header"));
  return IvfWriter(out, nullptr, width, height, start);
}

Result<IvfWriter> IvfWriter::create_file(const std::string& path, uint32_t width, uint32_t height) {
  CV_TRY_STATUS(check_size(width, height));
  CV_TRY(auto file, detail::open_output(path));
  CV_TRY_STATUS(detail::write_all(*file, file_header(width, height, 0), "ivf header"));
  std::ostream& out = *file;
  return IvfWriter(out, std::move(file), width, height, 0);
}

Status IvfWriter::write(const EncodedFrame& frame) {
  if (closed_) return Errc::closed;
  if (frame.timestamp < 0) return Error(Errc::invalid_argument, "ivf negative timestamp");
  if (frame.data.size() > 0xffffffffU) return Error(Errc::invalid_argument, "ivf frame size");
  if (frames_ == 0xffffffffU) return Error(Errc::too_large, "ivf frame count");
  Bytes head;
  head.reserve(kFrameHeaderSize);
  detail::put_le(head, frame.data.size(), 4);
  detail::put_le(head, static_cast<uint64_t>(frame.timestamp), 8);
  CV_TRY_STATUS(detail::write_all(*out_, head, "ivf frame header"));
  CV_TRY_STATUS(detail::write_all(*out_, frame.data, "ivf frame data"));
  ++frames_;
  return ok_status();
}

Status IvfWriter::close() {
  if (closed_) return ok_status();
  closed_ = true;
  if (start_ >= 0) {
    const auto end = out_->tellp();
    out_->seekp(start_);
    CV_TRY_STATUS(
        detail::write_all(*out_, file_header(width_, height_, frames_), "ivf header patch"));
    out_->seekp(end);
  }
  out_->flush();
  if (!*out_) return Error(Errc::io_error, "ivf close");
  return ok_status();
}

}  // namespace conclave::media
