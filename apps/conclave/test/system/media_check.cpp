// conclave-media-check: the checks of the media system test, on the files
// `conclave join --record` and `conclave server --test-media-capture` write.
//
//   conclave-media-check video FILE.y4m [--min-frames N] [--min-psnr DB]
//       Every frame must carry the test pattern's frame counter; its PSNR
//       against TestPattern::frame(counter) (the source the sender encoded)
//       must reach --min-psnr (30 dB). Prints frames, distinct counters,
//       min/mean PSNR as JSON.
//   conclave-media-check audio FILE.wav --tone HZ [--min-seconds S]
//       The dominant frequency (1 Hz steps, over 2 s from the middle) must
//       be HZ within 3 Hz.
//   conclave-media-check capture FILE [--tones HZ,HZ...]
//       The SFU's view of the media (every RTP packet once SRTP is off) must
//       hold nothing decodable: no RTP payload (after its VP8 payload
//       descriptor) starts a VP8 frame the decoder accepts, Opus decoding
//       of the audio payloads shows none of the tones, and the payload bytes
//       look random (entropy near 8 bits per byte).
//   conclave-media-check departed FILE --keys EPOCH:HEX,... --split OFFSET
//       A departed member's view: with every SFrame base key it held
//       (--test-reveal-secrets), rebuild the frames of the capture's
//       received packets and try to open each. Frames whose records start
//       at or after byte OFFSET (taken once the member was removed and the
//       others had moved to the new epoch) must all stay closed; those
//       before it are the positive control, many of which must open (so
//       the keys and the method are known to work).
// Exit 0 when the check holds, 1 when it does not, 2 on bad input.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conclave/base/clock.h"
#include "conclave/base/encoding.h"
#include "conclave/media/opus_decoder.h"
#include "conclave/media/quality.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/vp8_decoder.h"
#include "conclave/media/wav_reader.h"
#include "conclave/media/y4m_reader.h"
#include "conclave/rtp/rtcp_header.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/opus_depacketizer.h"
#include "conclave/rtp/vp8_depacketizer.h"
#include "conclave/rtp/vp8_payload_descriptor.h"
#include "conclave/sframe/mls_context.h"

namespace {

using namespace conclave;
using nlohmann::json;

std::string flag(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

int check_video(const std::string& file, int argc, char** argv) {
  const double min_psnr = std::stod(flag(argc, argv, "--min-psnr", "30"));
  const size_t min_frames = std::stoul(flag(argc, argv, "--min-frames", "1"));
  auto reader = media::Y4mReader::open_file(file);
  if (!reader) {
    std::fprintf(stderr, "media-check: %s: %s\n", file.c_str(), reader.error().to_string().c_str());
    return 2;
  }
  auto pattern = media::TestPattern::create(
      {reader->header().width, reader->header().height, 30});
  if (!pattern) return 2;
  size_t frames = 0, unreadable = 0, below = 0;
  double min = 1e9, sum = 0;
  std::set<uint32_t> indices;
  for (;;) {
    auto next = reader->next();
    if (!next) return 2;
    if (!*next) break;
    ++frames;
    auto index = media::frame_index_of(**next);
    if (!index) {
      ++unreadable;
      continue;
    }
    indices.insert(*index);
    auto p = media::psnr(pattern->frame(*index), **next);
    if (!p) return 2;
    min = std::min(min, p->frame);
    sum += p->frame;
    if (p->frame < min_psnr) ++below;
  }
  size_t measured = frames - unreadable;
  json out = {{"file", file},
              {"frames", frames},
              {"distinct_frames", indices.size()},
              {"unreadable", unreadable},
              {"psnr_min", measured ? min : 0.0},
              {"psnr_mean", measured ? sum / static_cast<double>(measured) : 0.0},
              {"below_threshold", below}};
  std::printf("%s\n", out.dump().c_str());
  return (frames >= min_frames && unreadable == 0 && below == 0) ? 0 : 1;
}

int check_audio(const std::string& file, int argc, char** argv) {
  const double tone = std::stod(flag(argc, argv, "--tone", "440"));
  const double min_seconds = std::stod(flag(argc, argv, "--min-seconds", "1"));
  auto reader = media::WavReader::open_file(file);
  if (!reader) {
    std::fprintf(stderr, "media-check: %s: %s\n", file.c_str(), reader.error().to_string().c_str());
    return 2;
  }
  std::vector<int16_t> mono;
  for (;;) {
    auto next = reader->next();
    if (!next) return 2;
    if (!*next) break;
    for (size_t i = 0; i < (*next)->samples_per_channel(); ++i) mono.push_back((*next)->at(i, 0));
  }
  const double seconds = static_cast<double>(mono.size()) / 48000.0;
  // Two seconds from the middle (a 1 Hz scan of the whole file would take
  // minutes).
  const size_t window = std::min<size_t>(mono.size(), 96000);
  const size_t skip = (mono.size() - window) / 2;
  std::span<const int16_t> body(mono.data() + skip, window);
  const double found = media::estimate_frequency(body, 48000, 50, 4000);
  json out = {{"file", file}, {"seconds", seconds}, {"frequency", found},
              {"rms", media::rms(body)}};
  std::printf("%s\n", out.dump().c_str());
  return (seconds >= min_seconds && std::abs(found - tone) <= 3.0) ? 0 : 1;
}

// The capture's records: direction ('i' to the server, 'o' from it), length
// (2 bytes, big-endian), the packet; `offset` is where the record starts.
struct CaptureRecord {
  size_t offset;
  char direction;
  BytesView packet;
};

std::vector<CaptureRecord> capture_records(const Bytes& data) {
  std::vector<CaptureRecord> records;
  for (size_t pos = 0; pos + 3 <= data.size();) {
    size_t length = (size_t{data[pos + 1]} << 8) | data[pos + 2];
    if (pos + 3 + length > data.size()) break;
    records.push_back({pos, static_cast<char>(data[pos]), BytesView(data.data() + pos + 3, length)});
    pos += 3 + length;
  }
  return records;
}

int check_capture(const std::string& file, int argc, char** argv) {
  std::vector<double> tones;
  std::string list = flag(argc, argv, "--tones", "");
  for (size_t pos = 0; pos < list.size();) {
    size_t comma = list.find(',', pos);
    tones.push_back(std::stod(list.substr(pos, comma - pos)));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return 2;
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t packets = 0, rtp_packets = 0, video = 0, audio = 0, vp8_decoded = 0;
  std::array<uint64_t, 256> histogram{};
  uint64_t payload_bytes = 0;
  std::map<uint32_t, std::unique_ptr<media::OpusDecoder>> opus;
  std::map<uint32_t, std::vector<int16_t>> opus_out;
  media::Vp8Decoder vp8 = *media::Vp8Decoder::create();
  for (const CaptureRecord& record : capture_records(data)) {
    const BytesView packet = record.packet;
    ++packets;
    if (record.direction != 'i') continue;  // each packet once: as received
    if (rtp::looks_like_rtcp(packet)) continue;
    auto rtp = rtp::RtpPacket::parse(packet);
    if (!rtp) continue;
    ++rtp_packets;
    BytesView payload = rtp->payload();
    for (uint8_t b : payload) ++histogram[b];
    payload_bytes += payload.size();
    if (rtp->payload_type() == 96) {
      ++video;
      auto descriptor = rtp::Vp8PayloadDescriptor::parse(payload);
      if (!descriptor) continue;
      BytesView frame = payload.subspan(descriptor->second);
      auto decoded = vp8.decode(frame, 0);
      if (decoded && *decoded) ++vp8_decoded;
    } else if (rtp->payload_type() == 111) {
      ++audio;
      auto& decoder = opus[rtp->ssrc()];
      if (!decoder) decoder = std::make_unique<media::OpusDecoder>(*media::OpusDecoder::create(1));
      auto pcm = decoder->decode(payload);
      if (pcm) {
        auto s = pcm->samples();
        opus_out[rtp->ssrc()].insert(opus_out[rtp->ssrc()].end(), s.begin(), s.end());
      }
    }
  }
  double entropy = 0;
  for (uint64_t count : histogram) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / static_cast<double>(payload_bytes);
    entropy -= p * std::log2(p);
  }
  // Any tone of a sender in what Opus made of the ciphertext? A decoded
  // tone puts about all of the signal's power at its frequency (ratio near
  // 1); noise spreads it (about 1/2000 per 1 Hz bin over 50-4000 Hz), so a
  // chance peak near a tone is not mistaken for it.
  bool tone_found = false;
  json streams = json::array();
  for (auto& [ssrc, all] : opus_out) {
    std::span<const int16_t> pcm(all.data(), std::min<size_t>(all.size(), 96000));
    const double power = media::rms(pcm) * media::rms(pcm);
    double best = 0;
    for (double t : tones) {
      if (power > 0) best = std::max(best, media::goertzel_power(pcm, 48000, t) / power);
    }
    bool hit = best >= 0.25;
    tone_found |= hit;
    streams.push_back({{"ssrc", ssrc},
                       {"frequency", media::estimate_frequency(pcm, 48000, 50, 4000)},
                       {"rms", media::rms(pcm)},
                       {"tone_power_ratio", best},
                       {"tone", hit}});
  }
  json out = {{"file", file},
              {"packets", packets},
              {"rtp_received", rtp_packets},
              {"video_packets", video},
              {"audio_packets", audio},
              {"vp8_frames_decoded", vp8_decoded},
              {"opus_streams", streams},
              {"payload_bytes", payload_bytes},
              {"entropy_bits_per_byte", entropy}};
  std::printf("%s\n", out.dump().c_str());
  bool ok = rtp_packets > 0 && video > 0 && audio > 0 && vp8_decoded == 0 && !tone_found &&
            entropy > 7.9;
  return ok ? 0 : 1;
}

int check_departed(const std::string& file, int argc, char** argv) {
  const size_t split = std::stoul(flag(argc, argv, "--split", "0"));
  const std::string list = flag(argc, argv, "--keys", "");
  // The departed member's keys, epoch by epoch, oldest first; a clock that
  // never moves keeps every epoch inside its grace period.
  FakeClock clock;
  const auto& suite = sframe::CipherSuite::get(sframe::CipherSuiteId::aes_128_gcm_sha256_128);
  auto keys = sframe::MlsContext::create(suite, {}, clock);
  if (!keys) return 2;
  std::map<uint64_t, Bytes> by_epoch;
  for (size_t pos = 0; pos < list.size();) {
    size_t comma = list.find(',', pos);
    std::string item = list.substr(pos, comma - pos);
    size_t colon = item.find(':');
    if (colon == std::string::npos) return 2;
    auto key = from_hex(item.substr(colon + 1));
    if (!key) return 2;
    by_epoch[std::stoull(item.substr(0, colon))] = *key;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (by_epoch.empty()) return 2;
  for (auto& [epoch, key] : by_epoch) {
    if (!keys->add_epoch(epoch, key)) return 2;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return 2;
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct Tally {
    uint64_t frames = 0, opened = 0;
  };
  Tally before, after;
  std::map<uint32_t, std::unique_ptr<rtp::Depacketizer>> streams;
  for (const CaptureRecord& record : capture_records(data)) {
    if (record.direction != 'i' || rtp::looks_like_rtcp(record.packet)) continue;
    auto packet = rtp::RtpPacket::parse(record.packet);
    if (!packet) continue;
    auto& depacketizer = streams[packet->ssrc()];
    if (!depacketizer) {
      if (packet->payload_type() == 96) {
        depacketizer = std::make_unique<rtp::Vp8Depacketizer>();
      } else if (packet->payload_type() == 111) {
        depacketizer = std::make_unique<rtp::OpusDepacketizer>();
      } else {
        continue;
      }
    }
    auto result = depacketizer->push(*packet);
    if (!result.frame) continue;
    // A frame counts as sent after the split when its last packet came
    // after it: the member was gone before that packet was sealed.
    Tally& tally = record.offset >= split ? after : before;
    ++tally.frames;
    Bytes plaintext(result.frame->data.size());
    if (keys->unprotect({}, result.frame->data, plaintext).ok()) ++tally.opened;
  }
  json out = {{"file", file},
              {"keys", by_epoch.size()},
              {"before", {{"frames", before.frames}, {"opened", before.opened}}},
              {"after", {{"frames", after.frames}, {"opened", after.opened}}}};
  std::printf("%s\n", out.dump().c_str());
  // The control must show the method works: a good share of the frames
  // sent while the member was there open with its keys.
  bool control = before.frames > 0 && before.opened * 4 >= before.frames;
  return (control && after.frames >= 100 && after.opened == 0) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: conclave-media-check video|audio|capture|departed FILE [options]\n");
    return 2;
  }
  std::string what = argv[1];
  if (what == "video") return check_video(argv[2], argc, argv);
  if (what == "audio") return check_audio(argv[2], argc, argv);
  if (what == "capture") return check_capture(argv[2], argc, argv);
  if (what == "departed") return check_departed(argv[2], argc, argv);
  return 2;
}
