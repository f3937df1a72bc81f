// libFuzzer target: OpusDecoder on arbitrary packets.
//
// Input: one byte choosing the channel count (bit 0: mono or stereo), then
// records |len|packet| (len one byte); a record of length 0 is a lost
// packet and runs conceal().
//
// Oracle: decode() fails cleanly or gives at most 120 ms of audio with the
// decoder's channel count, stamped where the previous output ended.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/media/opus_decoder.h"

using namespace conclave::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint32_t channels = 1 + (data[0] & 1U);
  auto decoder = OpusDecoder::create(channels);
  if (!decoder.ok()) std::abort();
  size_t at = 1;
  while (at < size) {
    const size_t len = data[at++];
    const size_t n = len < size - at ? len : size - at;
    const int64_t expected_timestamp = decoder->next_timestamp();
    auto frame = len == 0 ? decoder->conceal() : decoder->decode(conclave::BytesView(data + at, n));
    at += n;
    if (!frame.ok()) continue;
    if (frame->channels() != channels || frame->samples_per_channel() == 0 ||
        frame->samples_per_channel() > OpusDecoder::kMaxSamplesPerChannel ||
        frame->timestamp() != expected_timestamp ||
        decoder->next_timestamp() !=
            expected_timestamp + static_cast<int64_t>(frame->samples_per_channel())) {
      std::abort();
    }
  }
  return 0;
}
