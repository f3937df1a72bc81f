#include "conclave/sframe/rtp_stream_key.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::sframe {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

// Known answers from the draft's per-SSRC vectors (suites 1 and 5).
TEST(RtpStreamKey, KnownAnswers) {
  const auto& s1 = CipherSuite::get(CipherSuiteId::aes_128_ctr_hmac_sha256_80);
  auto a = derive_rtp_stream_key(s1, 0x12345678, hex("000102030405060708090a0b0c0d0e0f"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(to_hex(a->view()), "f309f118aecdacfbc165cc080022b297100bbb55e483b002d762000a0faa684d");
  auto b = derive_rtp_stream_key(s1, 0x98765432, hex("000102030405060708090a0b0c0d0e0f"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(to_hex(b->view()), "06e5d1b8c6e01f10b592bd2e13ff4b37182b895ec8330d5cc6ec690704043b5f");
}

TEST(RtpStreamKey, DependsOnlyOnTheHash) {
  const Bytes base = hex("00112233445566778899aabbccddeeff");
  auto reference = derive_rtp_stream_key(CipherSuite::all()[0], 1, base);
  auto other_hash = derive_rtp_stream_key(CipherSuite::all()[4], 1, base);
  ASSERT_TRUE(reference.ok() && other_hash.ok());
  for (const CipherSuite& s : CipherSuite::all()) {
    auto k = derive_rtp_stream_key(s, 1, base);
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k->size(), s.nh);
    EXPECT_EQ(*k, s.nh == 32 ? *reference : *other_hash) << s.name;
  }
}

TEST(RtpStreamKey, SsrcSeparatesStreams) {
  const Bytes base = hex("00112233445566778899aabbccddeeff");
  const auto& s = CipherSuite::all()[3];
  auto a = derive_rtp_stream_key(s, 0, base);
  auto b = derive_rtp_stream_key(s, 0xffffffff, base);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(*a == *b);
  auto empty = derive_rtp_stream_key(s, 1, {});
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.error().is(Errc::invalid_key));
}

}  // namespace
}  // namespace conclave::sframe
