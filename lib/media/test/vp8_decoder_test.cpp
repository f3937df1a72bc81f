#include "conclave/media/vp8_decoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "conclave/media/quality.h"
#include "conclave/media/test_pattern.h"
#include "conclave/media/vp8_encoder.h"

namespace conclave::media {
namespace {

// 30 frames of the 320 x 180 pattern, key frames at 0 and 20.
class Vp8DecoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pattern = TestPattern::create({320, 180, 30});
    ASSERT_TRUE(pattern.ok());
    auto encoder = Vp8Encoder::create({.width = 320, .height = 180, .key_frame_interval = 0});
    ASSERT_TRUE(encoder.ok());
    for (uint64_t i = 0; i < 30; ++i) {
      sources_.push_back(pattern->frame(i));
      if (i == 20) encoder->request_key_frame();
      auto out = encoder->encode(sources_.back());
      ASSERT_TRUE(out.ok() && out->size() == 1);
      frames_.push_back(out->front());
    }
    ASSERT_TRUE(frames_[0].key_frame);
    ASSERT_TRUE(frames_[20].key_frame);
    auto decoder = Vp8Decoder::create();
    ASSERT_TRUE(decoder.ok());
    decoder_ = std::make_unique<Vp8Decoder>(std::move(decoder).value());
  }

  // Decodes frame i and checks it against its source.
  void expect_decodes(size_t i) {
    auto out = decoder_->decode(frames_[i].data, frames_[i].timestamp);
    ASSERT_TRUE(out.ok()) << i << ": " << out.error().to_string();
    ASSERT_TRUE(out->has_value());
    EXPECT_EQ(frame_index_of(**out), i);
    auto q = psnr(sources_[i], **out);
    ASSERT_TRUE(q.ok());
    EXPECT_GE(q->y, 30.0) << i;
  }

  std::vector<VideoFrame> sources_;
  std::vector<EncodedFrame> frames_;
  std::unique_ptr<Vp8Decoder> decoder_;
};

TEST_F(Vp8DecoderTest, DecodesTheStreamWithTimestamps) {
  EXPECT_TRUE(decoder_->waiting_for_key_frame());
  for (size_t i = 0; i < frames_.size(); ++i) expect_decodes(i);
  EXPECT_FALSE(decoder_->waiting_for_key_frame());
  EXPECT_EQ(decoder_->errors(), 0U);
}

TEST_F(Vp8DecoderTest, DeltaFrameBeforeAnyKeyFrameIsRefused) {
  auto out = decoder_->decode(frames_[1].data);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.error().is(Errc::key_frame_required));
  expect_decodes(0);
}

TEST_F(Vp8DecoderTest, TruncatedFrameIsAnErrorAndDecodingResumesAtTheNextKeyFrame) {
  for (size_t i = 0; i < 5; ++i) expect_decodes(i);
  const Bytes& whole = frames_[5].data;
  const Bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(whole.size() / 4));
  auto out = decoder_->decode(cut);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(decoder_->waiting_for_key_frame());
  // Intact delta frames are refused until the key frame.
  for (size_t i = 6; i < 20; ++i) {
    auto delta = decoder_->decode(frames_[i].data);
    ASSERT_FALSE(delta.ok()) << i;
    EXPECT_TRUE(delta.error().is(Errc::key_frame_required)) << i;
  }
  for (size_t i = 20; i < 30; ++i) expect_decodes(i);
  EXPECT_EQ(decoder_->errors(), 15U);
}

TEST_F(Vp8DecoderTest, TruncatedKeyFrameIsAnError) {
  for (size_t keep : {size_t{0}, size_t{2}, size_t{9}, frames_[0].data.size() / 3}) {
    const Bytes cut(frames_[0].data.begin(),
                    frames_[0].data.begin() + static_cast<std::ptrdiff_t>(keep));
    EXPECT_FALSE(decoder_->decode(cut).ok()) << keep;
  }
  expect_decodes(0);
  expect_decodes(1);
}

TEST_F(Vp8DecoderTest, FrameCutInsideItsLastPartitionIsCorrupt) {
  // The header and first partition are intact: libvpx itself notices.
  const auto cut = [](const Bytes& b) {
    return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() * 9 / 10));
  };
  EXPECT_TRUE(decoder_->decode(cut(frames_[0].data)).error().is(Errc::corrupt_frame));
  expect_decodes(0);
  expect_decodes(1);
  EXPECT_TRUE(decoder_->decode(cut(frames_[2].data)).error().is(Errc::corrupt_frame));
  EXPECT_TRUE(decoder_->waiting_for_key_frame());
  expect_decodes(20);
}

TEST_F(Vp8DecoderTest, CorruptedHeadersAreErrors) {
  expect_decodes(0);
  Bytes bad_start = frames_[20].data;
  bad_start[3] ^= 0xff;  // start code
  EXPECT_TRUE(decoder_->decode(bad_start).error().is(Errc::invalid_header));
  EXPECT_TRUE(decoder_->waiting_for_key_frame());

  Bytes bad_version = frames_[20].data;
  bad_version[0] |= 0x0e;  // version 7
  EXPECT_TRUE(decoder_->decode(bad_version).error().is(Errc::invalid_header));

  expect_decodes(20);
  EXPECT_FALSE(decoder_->waiting_for_key_frame());
  Bytes bad_partition = frames_[21].data;
  bad_partition[2] = 0xff;  // first partition far beyond the frame
  EXPECT_TRUE(decoder_->decode(bad_partition).error().is(Errc::truncated));
  EXPECT_TRUE(decoder_->waiting_for_key_frame());
  EXPECT_TRUE(decoder_->decode(frames_[22].data).error().is(Errc::key_frame_required));
  expect_decodes(20);
  expect_decodes(21);
}

TEST_F(Vp8DecoderTest, GarbageNeverCrashesAndTheStreamRecovers) {
  expect_decodes(0);
  // Deterministic noise after a valid key-frame header: libvpx may or may
  // not notice; either way the decoder must keep going.
  uint32_t state = 12345;
  for (int round = 0; round < 20; ++round) {
    Bytes noisy = frames_[20].data;
    for (size_t i = 10; i < noisy.size(); ++i) {
      state = state * 1103515245U + 12345U;
      noisy[i] = static_cast<uint8_t>(state >> 16);
    }
    (void)decoder_->decode(noisy);
  }
  expect_decodes(20);
  expect_decodes(21);
}

TEST_F(Vp8DecoderTest, KeyFrameBeyondTheLimitsIsRefusedBeforeLibvpx) {
  auto small = Vp8Decoder::create({.max_width = 160, .max_height = 4096});
  ASSERT_TRUE(small.ok());
  EXPECT_TRUE(small->decode(frames_[0].data).error().is(Errc::invalid_dimensions));
  auto few_pixels = Vp8Decoder::create({.max_pixels = 320 * 179});
  ASSERT_TRUE(few_pixels.ok());
  EXPECT_TRUE(few_pixels->decode(frames_[0].data).error().is(Errc::invalid_dimensions));
  auto tiny_frames = Vp8Decoder::create({.max_frame_size = 16});
  ASSERT_TRUE(tiny_frames.ok());
  EXPECT_TRUE(tiny_frames->decode(frames_[0].data).error().is(Errc::too_large));
  // A key frame header that claims 16383 x 16383.
  Bytes huge = frames_[0].data;
  huge[6] = 0xff;
  huge[7] = 0x3f;
  huge[8] = 0xff;
  huge[9] = 0x3f;
  EXPECT_TRUE(decoder_->decode(huge).error().is(Errc::invalid_dimensions));
}

TEST(Vp8Decoder, RejectsBadLimits) {
  EXPECT_TRUE(Vp8Decoder::create({.threads = 0}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(Vp8Decoder::create({.max_pixels = 0}).error().is(Errc::invalid_argument));
  EXPECT_TRUE(Vp8Decoder::create({.max_frame_size = 0}).error().is(Errc::invalid_argument));
}

}  // namespace
}  // namespace conclave::media
