// libFuzzer target: Y4mReader on arbitrary bytes.
//
// Oracle: open()/next() fail cleanly or give frames; the frames written
// again with Y4mWriter (same size and rate) must read back equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "conclave/media/y4m_reader.h"
#include "conclave/media/y4m_writer.h"

using namespace conclave::media;

namespace {
constexpr Y4mLimits kLimits{.max_width = 1024, .max_height = 1024, .max_pixels = 1 << 16};
constexpr size_t kMaxFrames = 64;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));  // NOLINT
  auto reader = Y4mReader::open(in, kLimits);
  if (!reader.ok()) return 0;
  std::vector<VideoFrame> frames;
  while (frames.size() < kMaxFrames) {
    auto f = reader->next();
    if (!f.ok() || !f->has_value()) break;
    frames.push_back(std::move(**f));
  }
  const Y4mHeader& h = reader->header();
  std::stringstream io;
  auto writer = Y4mWriter::create(io, h.width, h.height, h.fps_num, h.fps_den);
  if (!writer.ok()) std::abort();
  for (const auto& f : frames) {
    if (!writer->write(f).ok()) std::abort();
  }
  if (!writer->close().ok()) std::abort();
  auto again = Y4mReader::open(io, kLimits);
  if (!again.ok()) std::abort();
  for (const auto& f : frames) {
    auto g = again->next();
    if (!g.ok() || !g->has_value() || !(**g == f)) std::abort();
  }
  auto end = again->next();
  if (!end.ok() || end->has_value()) std::abort();
  return 0;
}
