// libFuzzer target: IvfReader on arbitrary bytes.
//
// Oracle: open()/next() fail cleanly or give frames; the frames written
// again with IvfWriter (timebase 1/90000, the reader's unit) must read back
// equal: data, key-frame flag, size and timestamp.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "conclave/media/ivf_reader.h"
#include "conclave/media/ivf_writer.h"

using namespace conclave::media;

namespace {
constexpr IvfLimits kLimits{.max_frame_size = 1 << 16};
constexpr size_t kMaxFrames = 256;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));  // NOLINT
  auto reader = IvfReader::open(in, kLimits);
  if (!reader.ok()) return 0;
  std::vector<EncodedFrame> frames;
  while (frames.size() < kMaxFrames) {
    auto f = reader->next();
    if (!f.ok() || !f->has_value()) break;
    if ((*f)->timestamp < 0) std::abort();
    frames.push_back(std::move(**f));
  }
  std::stringstream io;
  {
    auto writer = IvfWriter::create(io, reader->header().width, reader->header().height);
    if (!writer.ok()) std::abort();
    for (const auto& f : frames) {
      if (!writer->write(f).ok()) std::abort();
    }
    if (!writer->close().ok()) std::abort();
  }
  auto again = IvfReader::open(io, kLimits);
  if (!again.ok() || again->header().frame_count != frames.size()) std::abort();
  for (const auto& f : frames) {
    auto g = again->next();
    if (!g.ok() || !g->has_value() || !(**g == f)) std::abort();
  }
  auto end = again->next();
  if (!end.ok() || end->has_value()) std::abort();
  return 0;
}
