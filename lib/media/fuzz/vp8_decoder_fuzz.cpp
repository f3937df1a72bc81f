// libFuzzer target: Vp8Decoder (our header checks, then libvpx) on
// arbitrary bytes as one encoded frame.
//
// The decoder first gets a valid key frame of the 160 x 32 test pattern
// (encoded once at start-up), so a fuzzed delta frame is decoded against
// real reference frames; a fuzzed key frame starts over.
//
// Oracle: decode() fails cleanly or gives a picture within the limits,
// of the size a key frame announced; after a failure the decoder waits for
// a key frame, and the known key frame decodes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/media/test_pattern.h"
#include "conclave/media/vp8_decoder.h"
#include "conclave/media/vp8_encoder.h"
#include "conclave/media/vp8_frame_header.h"

using namespace conclave::media;

namespace {

constexpr Vp8DecoderConfig kConfig{
    .max_width = 1024, .max_height = 1024, .max_pixels = 1 << 16, .max_frame_size = 1 << 16};

const conclave::Bytes& key_frame() {
  static const conclave::Bytes frame = [] {
    auto pattern = TestPattern::create({160, 32, 30});
    auto encoder = Vp8Encoder::create({.width = 160, .height = 32, .bitrate_kbps = 200});
    if (!pattern.ok() || !encoder.ok()) std::abort();
    auto out = encoder->encode(pattern->frame(1));
    if (!out.ok() || out->size() != 1 || !out->front().key_frame) std::abort();
    return out->front().data;
  }();
  return frame;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoder = Vp8Decoder::create(kConfig);
  if (!decoder.ok()) std::abort();
  auto first = decoder->decode(key_frame());
  if (!first.ok() || !first->has_value()) std::abort();

  const conclave::BytesView input(data, size);
  auto picture = decoder->decode(input, 7);
  if (!picture.ok()) {
    if (!decoder->waiting_for_key_frame()) std::abort();
  } else if (picture->has_value()) {
    const VideoFrame& f = **picture;
    if (f.width() > kConfig.max_width || f.height() > kConfig.max_height ||
        uint64_t{f.width()} * f.height() > kConfig.max_pixels || f.timestamp() != 7) {
      std::abort();
    }
    auto header = Vp8FrameHeader::parse(input);
    if (!header.ok()) std::abort();  // decode() accepted it
    const uint32_t w = header->key_frame ? header->width : 160;
    const uint32_t h = header->key_frame ? header->height : 32;
    if (f.width() != w || f.height() != h) std::abort();
  }
  auto again = decoder->decode(key_frame());
  if (!again.ok() || !again->has_value()) std::abort();
  return 0;
}
