// libFuzzer target: WavReader on arbitrary bytes (chunk walking, fmt).
//
// Oracle: open()/next() fail cleanly or give frames; the frames written
// again with WavWriter must read back equal, frame for frame.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "conclave/media/wav_reader.h"
#include "conclave/media/wav_writer.h"

using namespace conclave::media;

namespace {
constexpr size_t kMaxFrames = 256;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));  // NOLINT
  auto reader = WavReader::open(in);
  if (!reader.ok()) return 0;
  std::vector<AudioFrame> frames;
  while (frames.size() < kMaxFrames) {
    auto f = reader->next();
    if (!f.ok() || !f->has_value()) break;
    if ((*f)->channels() != reader->channels()) std::abort();
    frames.push_back(std::move(**f));
  }
  std::stringstream io;
  {
    auto writer = WavWriter::create(io, reader->channels());
    if (!writer.ok()) std::abort();
    for (const auto& f : frames) {
      if (!writer->write(f).ok()) std::abort();
    }
    if (!writer->close().ok()) std::abort();
  }
  auto again = WavReader::open(io);
  if (!again.ok()) std::abort();
  for (const auto& f : frames) {
    auto g = again->next();
    if (!g.ok() || !g->has_value() || !(**g == f)) std::abort();
  }
  auto end = again->next();
  if (!end.ok() || end->has_value()) std::abort();
  return 0;
}
