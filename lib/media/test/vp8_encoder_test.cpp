#include "conclave/media/vp8_encoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "conclave/media/quality.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/vp8_decoder.h"

namespace conclave::media {
namespace {

Vp8Encoder make_encoder(const Vp8EncoderConfig& config = {}) {
  auto e = Vp8Encoder::create(config);
  EXPECT_TRUE(e.ok()) << e.error().to_string();
  return std::move(e).value();
}

TestPattern make_pattern(uint32_t width = 640, uint32_t height = 360) {
  auto p = TestPattern::create({width, height, 30});
  EXPECT_TRUE(p.ok());
  return std::move(p).value();
}

// Encodes one frame and expects exactly one output frame.
EncodedFrame encode_one(Vp8Encoder& encoder, const VideoFrame& frame) {
  auto out = encoder.encode(frame);
  EXPECT_TRUE(out.ok()) << out.error().to_string();
  EXPECT_EQ(out->size(), 1U);
  return out->empty() ? EncodedFrame{} : out->front();
}

TEST(Vp8Encoder, SixtyFramesAt1MbpsDecodeAbove30DbAndKeepTheirIndex) {
  auto encoder = make_encoder({.width = 640, .height = 360, .bitrate_kbps = 1000, .fps = 30});
  auto decoder = Vp8Decoder::create();
  ASSERT_TRUE(decoder.ok());
  const TestPattern pattern = make_pattern();
  size_t total_bytes = 0;
  for (uint64_t i = 0; i < 60; ++i) {
    const VideoFrame source = pattern.frame(i);
    const EncodedFrame encoded = encode_one(encoder, source);
    EXPECT_EQ(encoded.key_frame, i == 0) << i;
    EXPECT_EQ(encoded.width, 640U);
    EXPECT_EQ(encoded.height, 360U);
    EXPECT_EQ(encoded.timestamp, source.timestamp());
    total_bytes += encoded.data.size();

    auto decoded = decoder->decode(encoded.data, encoded.timestamp);
    ASSERT_TRUE(decoded.ok()) << i << ": " << decoded.error().to_string();
    ASSERT_TRUE(decoded->has_value()) << i;
    const VideoFrame& picture = **decoded;
    EXPECT_EQ(picture.timestamp(), source.timestamp());
    auto quality = psnr(source, picture);
    ASSERT_TRUE(quality.ok());
    if (i > 0) {
      EXPECT_GE(quality->y, 30.0) << "frame " << i;
      EXPECT_GE(quality->frame, 30.0) << "frame " << i;
    }
    EXPECT_LT(quality->y, kMaxPsnr) << "lossy codec, frame " << i;
    const auto index = frame_index_of(picture);
    ASSERT_TRUE(index.has_value()) << "frame " << i;
    EXPECT_EQ(*index, i);
  }
  EXPECT_EQ(encoder.frames_encoded(), 60U);
  EXPECT_EQ(decoder->frames_decoded(), 60U);
  // Two seconds at 1 Mbit/s are 250 kB; the rate control may undershoot
  // on this simple picture but must not run far over.
  EXPECT_LT(total_bytes, 2U * 250000U);
}

TEST(Vp8Encoder, RequestedKeyFrameIsTheNextFrame) {
  auto encoder = make_encoder({.key_frame_interval = 0});
  const TestPattern pattern = make_pattern();
  for (uint64_t i = 0; i < 20; ++i) {
    if (i == 7 || i == 15) encoder.request_key_frame();
    const EncodedFrame f = encode_one(encoder, pattern.frame(i));
    EXPECT_EQ(f.key_frame, i == 0 || i == 7 || i == 15) << i;
  }
}

TEST(Vp8Encoder, KeyFrameIntervalBoundsTheGap) {
  auto encoder = make_encoder({.key_frame_interval = 10});
  const TestPattern pattern = make_pattern(320, 180);
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < 35; ++i) {
    if (encode_one(encoder, pattern.frame(i)).key_frame) keys.push_back(i);
  }
  ASSERT_GE(keys.size(), 4U);
  EXPECT_EQ(keys.front(), 0U);
  for (size_t k = 1; k < keys.size(); ++k) EXPECT_LE(keys[k] - keys[k - 1], 10U);
}

TEST(Vp8Encoder, PaddedRowsEncodeLikeTightOnes) {
  auto tight = make_encoder({.width = 320, .height = 180});
  auto padded = make_encoder({.width = 320, .height = 180});
  const TestPattern pattern = make_pattern(320, 180);
  for (uint64_t i = 0; i < 5; ++i) {
    const VideoFrame source = pattern.frame(i);
    auto copy = VideoFrame::create(320, 180, source.timestamp(), 128);
    ASSERT_TRUE(copy.ok());
    for (Plane p : {Plane::y, Plane::u, Plane::v}) {
      for (uint32_t r = 0; r < source.plane_height(p); ++r) {
        auto src = source.row(p, r);
        std::copy(src.begin(), src.end(), copy->row(p, r).begin());
      }
    }
    ASSERT_NE(copy->stride(Plane::y), source.stride(Plane::y));
    EXPECT_EQ(encode_one(tight, source).data, encode_one(padded, *copy).data) << i;
  }
}

TEST(Vp8Encoder, NewFrameSizeRestartsWithAKeyFrame) {
  auto encoder = make_encoder({.width = 640, .height = 360});
  auto decoder = Vp8Decoder::create();
  ASSERT_TRUE(decoder.ok());
  const TestPattern big = make_pattern(640, 360);
  const TestPattern small = make_pattern(320, 180);
  for (uint64_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(decoder->decode(encode_one(encoder, big.frame(i)).data).ok());
  }
  const EncodedFrame f = encode_one(encoder, small.frame(3));
  EXPECT_TRUE(f.key_frame);
  EXPECT_EQ(f.width, 320U);
  EXPECT_EQ(encoder.config().width, 320U);
  auto decoded = decoder->decode(f.data);
  ASSERT_TRUE(decoded.ok() && decoded->has_value());
  EXPECT_EQ((*decoded)->width(), 320U);
  EXPECT_EQ((*decoded)->height(), 180U);
  EXPECT_EQ(frame_index_of(**decoded), 3U);
}

TEST(Vp8Encoder, RepeatedTimestampsStillEncode) {
  auto encoder = make_encoder({.width = 320, .height = 180});
  const TestPattern pattern = make_pattern(320, 180);
  for (uint64_t i = 0; i < 3; ++i) {
    VideoFrame f = pattern.frame(i);
    f.set_timestamp(1000);
    EXPECT_EQ(encode_one(encoder, f).timestamp, 1000);
  }
}

TEST(Vp8Encoder, BitrateChangesAtRunTime) {
  auto encoder = make_encoder({.width = 320, .height = 180, .bitrate_kbps = 1500});
  EXPECT_TRUE(encoder.set_bitrate(200).ok());
  EXPECT_EQ(encoder.config().bitrate_kbps, 200U);
  EXPECT_TRUE(encoder.set_bitrate(0).error().is(Errc::invalid_argument));
  const TestPattern pattern = make_pattern(320, 180);
  EXPECT_FALSE(encode_one(encoder, pattern.frame(0)).data.empty());
}

TEST(Vp8Encoder, RejectsBadConfigurations) {
  EXPECT_TRUE(Vp8Encoder::create({.width = 0}).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(Vp8Encoder::create({.height = 20000}).error().is(Errc::invalid_dimensions));
  EXPECT_TRUE(Vp8Encoder::create({.bitrate_kbps = 0}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(Vp8Encoder::create({.fps = 0}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(Vp8Encoder::create({.threads = 0}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(Vp8Encoder::create({.speed = 2}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(Vp8Encoder::create({.min_quantizer = 40, .max_quantizer = 30})
                  .error()
                  .is(Errc::invalid_argument));
  auto encoder = make_encoder();
  EXPECT_TRUE(encoder.encode(VideoFrame{}).error().is(Errc::invalid_dimensions));
}

TEST(Vp8Encoder, MoreThreadsWork) {
  auto encoder = make_encoder({.width = 640, .height = 360, .threads = 2});
  const TestPattern pattern = make_pattern();
  EXPECT_TRUE(encode_one(encoder, pattern.frame(0)).key_frame);
}

}  // namespace
}  // namespace conclave::media
