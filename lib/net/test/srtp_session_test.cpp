#include "conclave/net/srtp_session.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <srtp2/srtp.h>

#include <memory>
#include <mutex>
#include <vector>

namespace conclave::net {
namespace {

constexpr SrtpProfile kProfiles[] = {SrtpProfile::aes128_cm_sha1_80,
                                     SrtpProfile::aead_aes_128_gcm};

SecretBytes master_for(SrtpProfile profile, uint8_t seed = 1) {
  Bytes m(srtp_master_length(profile));
  for (size_t i = 0; i < m.size(); ++i) m[i] = static_cast<uint8_t>(seed * 31 + i * 7);
  return SecretBytes(m);
}

SrtpSession make(SrtpProfile profile, SrtpDirection direction, uint8_t seed = 1) {
  auto s = SrtpSession::create(profile, direction, master_for(profile, seed));
  EXPECT_TRUE(s.ok()) << s.error().to_string();
  CV_CHECK(s.ok());
  return std::move(s).value();
}

// RTP: V=2, PT 96, the given sequence number, timestamp 0x01020304, SSRC,
// then `payload_size` bytes of payload.
Bytes rtp_packet(uint16_t seq, uint32_t ssrc = 0x11223344, size_t payload_size = 40) {
  Bytes p = {0x80, 0x60};
  p.push_back(static_cast<uint8_t>(seq >> 8));
  p.push_back(static_cast<uint8_t>(seq));
  for (uint8_t b : {uint8_t{1}, uint8_t{2}, uint8_t{3}, uint8_t{4}}) p.push_back(b);
  for (int shift = 24; shift >= 0; shift -= 8) p.push_back(static_cast<uint8_t>(ssrc >> shift));
  for (size_t i = 0; i < payload_size; ++i) p.push_back(static_cast<uint8_t>(0xa0 + i));
  return p;
}

// RTCP receiver report with one report block (32 bytes).
Bytes rtcp_packet(uint32_t ssrc = 0x55667788) {
  Bytes p = {0x81, 0xc9, 0x00, 0x07};
  for (int shift = 24; shift >= 0; shift -= 8) p.push_back(static_cast<uint8_t>(ssrc >> shift));
  for (uint8_t i = 0; i < 24; ++i) p.push_back(i);
  return p;
}

constexpr uint8_t kGuard = 0x5a;
constexpr size_t kGuardSize = 32;

// The packet in a buffer with exactly `room` spare bytes, followed by guard
// bytes outside the span handed to the session.
struct Buffer {
  Buffer(const Bytes& packet, size_t room) : storage(packet), length(packet.size()) {
    storage.resize(packet.size() + room + kGuardSize, kGuard);
    span_size = packet.size() + room;
  }
  std::span<uint8_t> span() { return std::span<uint8_t>(storage).first(span_size); }
  BytesView packet(size_t n) const { return BytesView(storage).first(n); }
  bool guard_intact() const {
    for (size_t i = span_size; i < storage.size(); ++i) {
      if (storage[i] != kGuard) return false;
    }
    return true;
  }
  Bytes storage;
  size_t length;
  size_t span_size;
};

TEST(SrtpProfile, SizesAndNamesFollowTheRfcs) {
  EXPECT_EQ(srtp_profile_id(SrtpProfile::aes128_cm_sha1_80), 0x0001);
  EXPECT_EQ(srtp_profile_id(SrtpProfile::aead_aes_128_gcm), 0x0007);
  EXPECT_EQ(srtp_master_key_length(SrtpProfile::aes128_cm_sha1_80), 16u);
  EXPECT_EQ(srtp_master_salt_length(SrtpProfile::aes128_cm_sha1_80), 14u);
  EXPECT_EQ(srtp_master_key_length(SrtpProfile::aead_aes_128_gcm), 16u);
  EXPECT_EQ(srtp_master_salt_length(SrtpProfile::aead_aes_128_gcm), 12u);
  EXPECT_EQ(srtp_master_length(SrtpProfile::aes128_cm_sha1_80), 30u);
  EXPECT_EQ(srtp_master_length(SrtpProfile::aead_aes_128_gcm), 28u);
  EXPECT_EQ(srtp_tag_length(SrtpProfile::aes128_cm_sha1_80), 10u);
  EXPECT_EQ(srtp_tag_length(SrtpProfile::aead_aes_128_gcm), 16u);
  EXPECT_EQ(to_string(SrtpProfile::aes128_cm_sha1_80), "SRTP_AES128_CM_SHA1_80");
  EXPECT_EQ(to_string(SrtpProfile::aead_aes_128_gcm), "SRTP_AEAD_AES_128_GCM");
}

TEST(SrtpSession, CreateChecksTheMasterLength) {
  for (SrtpProfile profile : kProfiles) {
    Bytes short_master(srtp_master_length(profile) - 1, 1);
    auto s = SrtpSession::outbound(profile, SecretBytes(short_master));
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().is(SrtpErrc::invalid_key));
    Bytes long_master(srtp_master_length(profile) + 1, 1);
    EXPECT_TRUE(SrtpSession::inbound(profile, SecretBytes(long_master)).error().is(
        SrtpErrc::invalid_key));
  }
  auto bad = SrtpSession::outbound(static_cast<SrtpProfile>(2), SecretBytes(Bytes(30, 1)));
  EXPECT_FALSE(bad.ok());
}

class SrtpRoundTrip : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(SrtpRoundTrip, RtpProtectsInPlaceWithExactlyTheTagAsOverhead) {
  const SrtpProfile profile = GetParam();
  SrtpSession out = make(profile, SrtpDirection::outbound);
  SrtpSession in = make(profile, SrtpDirection::inbound);
  EXPECT_EQ(out.profile(), profile);
  EXPECT_EQ(out.direction(), SrtpDirection::outbound);
  EXPECT_EQ(in.direction(), SrtpDirection::inbound);
  EXPECT_EQ(out.rtp_overhead(), srtp_tag_length(profile));

  for (uint16_t seq : {uint16_t{1}, uint16_t{2}, uint16_t{3}, uint16_t{0xffff}, uint16_t{0}}) {
    const Bytes plain = rtp_packet(seq);
    Buffer b(plain, out.rtp_overhead());
    auto len = out.protect_rtp(b.span(), plain.size());
    ASSERT_TRUE(len.ok()) << len.error().to_string();
    EXPECT_EQ(*len, plain.size() + out.rtp_overhead());
    EXPECT_TRUE(b.guard_intact());
    // The header stays readable, the payload does not.
    EXPECT_TRUE(equal(b.packet(12), BytesView(plain).first(12)));
    EXPECT_FALSE(equal(b.packet(plain.size()).subspan(12), BytesView(plain).subspan(12)));

    auto opened = in.unprotect_rtp(b.span(), *len);
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    EXPECT_EQ(*opened, plain.size());
    EXPECT_TRUE(equal(b.packet(*opened), plain));
  }
}

TEST_P(SrtpRoundTrip, RtcpProtectsWithTagAndIndex) {
  const SrtpProfile profile = GetParam();
  SrtpSession out = make(profile, SrtpDirection::outbound);
  SrtpSession in = make(profile, SrtpDirection::inbound);
  EXPECT_EQ(out.rtcp_overhead(), srtp_tag_length(profile) + 4);
  for (int i = 0; i < 3; ++i) {
    const Bytes plain = rtcp_packet();
    Buffer b(plain, out.rtcp_overhead());
    auto len = out.protect_rtcp(b.span(), plain.size());
    ASSERT_TRUE(len.ok()) << len.error().to_string();
    EXPECT_EQ(*len, plain.size() + out.rtcp_overhead());
    EXPECT_TRUE(b.guard_intact());
    EXPECT_TRUE(equal(b.packet(8), BytesView(plain).first(8)));
    EXPECT_FALSE(equal(b.packet(plain.size()).subspan(8), BytesView(plain).subspan(8)));
    auto opened = in.unprotect_rtcp(b.span(), *len);
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    EXPECT_EQ(*opened, plain.size());
    EXPECT_TRUE(equal(b.packet(*opened), plain));
  }
}

TEST_P(SrtpRoundTrip, TamperingFailsAuthentication) {
  const SrtpProfile profile = GetParam();
  SrtpSession out = make(profile, SrtpDirection::outbound);
  SrtpSession in = make(profile, SrtpDirection::inbound);
  const Bytes plain = rtp_packet(100);
  Bytes wire = plain;
  wire.resize(plain.size() + SrtpSession::kMaxTrailer);
  auto len = out.protect_rtp(wire, plain.size());
  ASSERT_TRUE(len.ok());
  wire.resize(*len);
  // Every byte position: header, payload and tag are all covered.
  for (size_t i = 0; i < wire.size(); ++i) {
    Bytes bad = wire;
    bad[i] ^= 0x01;
    auto r = in.unprotect_rtp(bad, bad.size());
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_TRUE(r.error().is(SrtpErrc::auth_failed)) << "byte " << i << ": " << r.error().to_string();
  }
  // Truncated by one byte.
  Bytes cut(wire.begin(), wire.end() - 1);
  EXPECT_FALSE(in.unprotect_rtp(cut, cut.size()).ok());
  // The untouched packet still opens: failures changed no state.
  Bytes good = wire;
  auto ok = in.unprotect_rtp(good, good.size());
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();

  const Bytes rtcp = rtcp_packet();
  Bytes rtcp_wire = rtcp;
  rtcp_wire.resize(rtcp.size() + SrtpSession::kMaxTrailer);
  auto rtcp_len = out.protect_rtcp(rtcp_wire, rtcp.size());
  ASSERT_TRUE(rtcp_len.ok());
  rtcp_wire.resize(*rtcp_len);
  for (size_t i : {size_t{1}, size_t{9}, rtcp_wire.size() - 5, rtcp_wire.size() - 1}) {
    Bytes bad = rtcp_wire;
    bad[i] ^= 0x80;
    auto r = in.unprotect_rtcp(bad, bad.size());
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_TRUE(r.error().is(SrtpErrc::auth_failed)) << "byte " << i << ": " << r.error().to_string();
  }
}

TEST_P(SrtpRoundTrip, WrongKeyFailsAuthentication) {
  SrtpSession out = make(GetParam(), SrtpDirection::outbound, 1);
  SrtpSession in = make(GetParam(), SrtpDirection::inbound, 2);
  Bytes wire = rtp_packet(5);
  const size_t n = wire.size();
  wire.resize(n + SrtpSession::kMaxTrailer);
  auto len = out.protect_rtp(wire, n);
  ASSERT_TRUE(len.ok());
  auto r = in.unprotect_rtp(wire, *len);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(SrtpErrc::auth_failed));
}

TEST_P(SrtpRoundTrip, ReplaysAreRefused) {
  SrtpSession out = make(GetParam(), SrtpDirection::outbound);
  SrtpSession in = make(GetParam(), SrtpDirection::inbound);
  auto protect = [&](uint16_t seq) {
    Bytes wire = rtp_packet(seq);
    const size_t n = wire.size();
    wire.resize(n + SrtpSession::kMaxTrailer);
    auto len = out.protect_rtp(wire, n);
    EXPECT_TRUE(len.ok());
    wire.resize(len.ok() ? *len : 0);
    return wire;
  };
  const Bytes first = protect(10);
  Bytes copy = first;
  ASSERT_TRUE(in.unprotect_rtp(copy, copy.size()).ok());
  copy = first;
  auto again = in.unprotect_rtp(copy, copy.size());
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is(SrtpErrc::replay)) << again.error().to_string();

  // Out of order inside the window is fine; older than the window is not.
  const Bytes nine = protect(9);
  const Bytes old = protect(11);
  const Bytes far = protect(static_cast<uint16_t>(10 + SrtpSession::kReplayWindow + 50));
  copy = nine;
  EXPECT_TRUE(in.unprotect_rtp(copy, copy.size()).ok());
  copy = far;
  EXPECT_TRUE(in.unprotect_rtp(copy, copy.size()).ok());
  copy = old;
  auto too_old = in.unprotect_rtp(copy, copy.size());
  ASSERT_FALSE(too_old.ok());
  EXPECT_TRUE(too_old.error().is(SrtpErrc::replay)) << too_old.error().to_string();

  // The sender's window is as wide: a packet older than that cannot be
  // protected again (a NACK for it would come far too late anyway).
  Bytes stale = rtp_packet(12);
  const size_t stale_len = stale.size();
  stale.resize(stale_len + SrtpSession::kMaxTrailer);
  auto refused = out.protect_rtp(stale, stale_len);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(SrtpErrc::replay)) << refused.error().to_string();

  // SRTCP has its own index and replay check.
  Bytes rtcp = rtcp_packet();
  const size_t n = rtcp.size();
  rtcp.resize(n + SrtpSession::kMaxTrailer);
  auto rtcp_len = out.protect_rtcp(rtcp, n);
  ASSERT_TRUE(rtcp_len.ok());
  rtcp.resize(*rtcp_len);
  Bytes rtcp_copy = rtcp;
  ASSERT_TRUE(in.unprotect_rtcp(rtcp_copy, rtcp_copy.size()).ok());
  rtcp_copy = rtcp;
  auto rtcp_again = in.unprotect_rtcp(rtcp_copy, rtcp_copy.size());
  ASSERT_FALSE(rtcp_again.ok());
  EXPECT_TRUE(rtcp_again.error().is(SrtpErrc::replay)) << rtcp_again.error().to_string();
}

TEST_P(SrtpRoundTrip, OutboundMayProtectTheSamePacketAgain) {
  // The SFU resends cached packets for NACKs: protecting the same RTP
  // packet twice works and gives the same bytes.
  SrtpSession out = make(GetParam(), SrtpDirection::outbound);
  SrtpSession in = make(GetParam(), SrtpDirection::inbound);
  const Bytes plain = rtp_packet(77);
  Bytes a = plain;
  Bytes b = plain;
  a.resize(plain.size() + SrtpSession::kMaxTrailer);
  b.resize(plain.size() + SrtpSession::kMaxTrailer);
  auto la = out.protect_rtp(a, plain.size());
  auto next = rtp_packet(78);
  next.resize(next.size() + SrtpSession::kMaxTrailer);
  ASSERT_TRUE(out.protect_rtp(next, plain.size()).ok());
  auto lb = out.protect_rtp(b, plain.size());
  ASSERT_TRUE(la.ok());
  ASSERT_TRUE(lb.ok()) << lb.error().to_string();
  ASSERT_EQ(*la, *lb);
  EXPECT_TRUE(equal(BytesView(a).first(*la), BytesView(b).first(*lb)));
  // The receiver takes the first copy and refuses the second as a replay
  // (it lost the first one in the NACK case, so it never sees both).
  ASSERT_TRUE(in.unprotect_rtp(a, *la).ok());
  EXPECT_TRUE(in.unprotect_rtp(b, *lb).error().is(SrtpErrc::replay));
}

TEST_P(SrtpRoundTrip, EverySsrcSharesTheMaster) {
  SrtpSession out = make(GetParam(), SrtpDirection::outbound);
  SrtpSession in = make(GetParam(), SrtpDirection::inbound);
  for (uint32_t ssrc : {1u, 0xdeadbeefu, 42u}) {
    for (uint16_t seq : {uint16_t{1000}, uint16_t{1001}}) {
      Bytes wire = rtp_packet(seq, ssrc);
      const size_t n = wire.size();
      wire.resize(n + SrtpSession::kMaxTrailer);
      auto len = out.protect_rtp(wire, n);
      ASSERT_TRUE(len.ok());
      auto opened = in.unprotect_rtp(wire, *len);
      ASSERT_TRUE(opened.ok()) << opened.error().to_string();
      EXPECT_TRUE(equal(BytesView(wire).first(*opened), rtp_packet(seq, ssrc)));
    }
  }
}

TEST_P(SrtpRoundTrip, MisuseAndMalformedPacketsAreErrors) {
  const SrtpProfile profile = GetParam();
  SrtpSession out = make(profile, SrtpDirection::outbound);
  SrtpSession in = make(profile, SrtpDirection::inbound);
  Bytes buf = rtp_packet(1);
  const size_t n = buf.size();
  buf.resize(n + SrtpSession::kMaxTrailer);

  EXPECT_TRUE(in.protect_rtp(buf, n).error().is(SrtpErrc::wrong_direction));
  EXPECT_TRUE(in.protect_rtcp(buf, n).error().is(SrtpErrc::wrong_direction));
  EXPECT_TRUE(out.unprotect_rtp(buf, n).error().is(SrtpErrc::wrong_direction));
  EXPECT_TRUE(out.unprotect_rtcp(buf, n).error().is(SrtpErrc::wrong_direction));

  // No room for the tag.
  Buffer tight(rtp_packet(2), out.rtp_overhead() - 1);
  EXPECT_TRUE(out.protect_rtp(tight.span(), tight.length).error().is(SrtpErrc::no_room));
  EXPECT_TRUE(tight.guard_intact());
  Buffer tight_rtcp(rtcp_packet(), out.rtcp_overhead() - 1);
  EXPECT_TRUE(
      out.protect_rtcp(tight_rtcp.span(), tight_rtcp.length).error().is(SrtpErrc::no_room));
  // A length beyond the buffer.
  EXPECT_TRUE(out.protect_rtp(buf, buf.size() + 1).error().is(SrtpErrc::no_room));
  EXPECT_TRUE(in.unprotect_rtp(buf, buf.size() + 1).error().is(SrtpErrc::no_room));
  Bytes huge(SrtpSession::kMaxPacketSize + 200, 0);
  huge[0] = 0x80;
  EXPECT_TRUE(out.protect_rtp(huge, SrtpSession::kMaxPacketSize + 1).error().is(
      SrtpErrc::too_large));

  auto malformed = [&](Bytes packet, bool rtcp) {
    const size_t len = packet.size();
    packet.resize(len + SrtpSession::kMaxTrailer);
    auto p = rtcp ? out.protect_rtcp(packet, len) : out.protect_rtp(packet, len);
    auto u = rtcp ? in.unprotect_rtcp(packet, len) : in.unprotect_rtp(packet, len);
    return !p.ok() && p.error().is(SrtpErrc::malformed) && !u.ok() &&
           u.error().is(SrtpErrc::malformed);
  };
  EXPECT_TRUE(malformed({}, false));
  EXPECT_TRUE(malformed(Bytes(11, 0x80), false));
  Bytes v1 = rtp_packet(3);
  v1[0] = 0x40;  // version 1
  EXPECT_TRUE(malformed(v1, false));
  Bytes csrc = rtp_packet(3, 1, 8);
  csrc[0] = 0x85;  // five CSRCs in a 20-byte packet
  EXPECT_TRUE(malformed(csrc, false));
  Bytes ext = rtp_packet(3, 1, 8);
  ext[0] = 0x90;  // extension header claims 0xa0a1 words
  EXPECT_TRUE(malformed(ext, false));
  EXPECT_TRUE(malformed(Bytes{0x81, 0xc9, 0, 1}, true));
  Bytes rtcp_v0 = rtcp_packet();
  rtcp_v0[0] = 0x01;
  EXPECT_TRUE(malformed(rtcp_v0, true));

  // Inbound packets too short to carry the trailer.
  Bytes header_only = rtp_packet(4, 1, 0);
  auto r = in.unprotect_rtp(header_only, header_only.size());
  EXPECT_TRUE(r.error().is(SrtpErrc::malformed));
  Bytes rtcp_short = rtcp_packet();
  rtcp_short.resize(8 + 4 + srtp_tag_length(profile) - 1);
  EXPECT_TRUE(in.unprotect_rtcp(rtcp_short, rtcp_short.size()).error().is(SrtpErrc::malformed));
}

TEST_P(SrtpRoundTrip, MovedSessionKeepsItsState) {
  SrtpSession out = make(GetParam(), SrtpDirection::outbound);
  SrtpSession in = make(GetParam(), SrtpDirection::inbound);
  Bytes wire = rtp_packet(9);
  const size_t n = wire.size();
  wire.resize(n + SrtpSession::kMaxTrailer);
  auto len = out.protect_rtp(wire, n);
  ASSERT_TRUE(len.ok());
  Bytes copy = wire;
  SrtpSession moved = std::move(in);
  ASSERT_TRUE(moved.unprotect_rtp(wire, *len).ok());
  EXPECT_TRUE(moved.unprotect_rtp(copy, *len).error().is(SrtpErrc::replay));
  // The moved-from session reports an error instead of crashing.
  EXPECT_FALSE(in.unprotect_rtp(copy, *len).ok());  // NOLINT(bugprone-use-after-move)
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpRoundTrip, ::testing::ValuesIn(kProfiles),
                         [](const ::testing::TestParamInfo<SrtpProfile>& param_info) {
                           return param_info.param == SrtpProfile::aead_aes_128_gcm ? "gcm" : "cm";
                         });

// ---------------------------------------------------------------------------
// Known answers: the SRTP transforms computed here from their definitions
// with raw OpenSSL, independently of libsrtp, and compared byte for byte.
// This pins the master layout (key || salt), the profile mapping and the
// key derivation.

struct CipherCtx {
  CipherCtx() : ctx(EVP_CIPHER_CTX_new()) {}
  ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
  EVP_CIPHER_CTX* ctx;
};

// AES-128 in counter mode: `n` bytes of keystream from the 16-byte IV.
Bytes aes_ctr(BytesView key, BytesView iv, size_t n) {
  CipherCtx c;
  Bytes zeros(n, 0);
  Bytes out(n + 16);
  int len = 0;
  CV_CHECK(EVP_EncryptInit_ex(c.ctx, EVP_aes_128_ctr(), nullptr, key.data(), iv.data()) == 1);
  CV_CHECK(EVP_EncryptUpdate(c.ctx, out.data(), &len, zeros.data(), static_cast<int>(n)) == 1);
  out.resize(static_cast<size_t>(len));
  return out;
}

// RFC 3711 section 4.3: the AES-CM PRF with key_id = label || 48 zero bits
// (key derivation rate 0) XORed into the low bits of the 112-bit salt.
Bytes srtp_kdf(BytesView master_key, Bytes salt14, uint8_t label, size_t n) {
  Bytes iv = salt14;
  iv.resize(16, 0);
  iv[7] ^= label;
  return aes_ctr(master_key, iv, n);
}

Bytes hmac_sha1(BytesView key, BytesView data) {
  Bytes out(20);
  unsigned int len = 0;
  CV_CHECK(HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
                out.data(), &len) != nullptr);
  return out;
}

Bytes gcm_seal(BytesView key, BytesView iv, BytesView aad, BytesView plain) {
  CipherCtx c;
  Bytes out(plain.size() + 16);
  int len = 0;
  CV_CHECK(EVP_EncryptInit_ex(c.ctx, EVP_aes_128_gcm(), nullptr, nullptr, nullptr) == 1);
  CV_CHECK(EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()),
                               nullptr) == 1);
  CV_CHECK(EVP_EncryptInit_ex(c.ctx, nullptr, nullptr, key.data(), iv.data()) == 1);
  CV_CHECK(EVP_EncryptUpdate(c.ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1);
  CV_CHECK(EVP_EncryptUpdate(c.ctx, out.data(), &len, plain.data(),
                             static_cast<int>(plain.size())) == 1);
  CV_CHECK(EVP_EncryptFinal_ex(c.ctx, out.data() + len, &len) == 1);
  CV_CHECK(EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + plain.size()) == 1);
  return out;
}

void xor_into(Bytes& target, size_t offset, BytesView value) {
  for (size_t i = 0; i < value.size(); ++i) target[offset + i] ^= value[i];
}

TEST(SrtpKnownAnswer, AesCmRtpAndRtcpMatchRfc3711) {
  const SrtpProfile profile = SrtpProfile::aes128_cm_sha1_80;
  const SecretBytes master = master_for(profile, 9);
  const BytesView key = master.view().first(16);
  const Bytes salt(master.view().begin() + 16, master.view().end());
  SrtpSession out = make(profile, SrtpDirection::outbound, 9);

  // SRTP: the first packet of an SSRC, ROC 0.
  const uint16_t seq = 0x1234;
  const uint32_t ssrc = 0xcafebabe;
  const Bytes plain = rtp_packet(seq, ssrc, 29);
  Bytes wire = plain;
  wire.resize(plain.size() + SrtpSession::kMaxTrailer);
  auto len = out.protect_rtp(wire, plain.size());
  ASSERT_TRUE(len.ok());
  wire.resize(*len);

  const Bytes k_e = srtp_kdf(key, salt, 0x00, 16);
  const Bytes k_a = srtp_kdf(key, salt, 0x01, 20);
  const Bytes k_s = srtp_kdf(key, salt, 0x02, 14);
  Bytes iv = k_s;
  iv.resize(16, 0);
  xor_into(iv, 4, be_bytes(ssrc, 4));
  xor_into(iv, 8, be_bytes(seq, 6));  // index = ROC || SEQ
  Bytes expected = plain;
  const Bytes stream = aes_ctr(k_e, iv, plain.size() - 12);
  xor_into(expected, 12, stream);
  const Bytes tag = hmac_sha1(k_a, concat({expected, be_bytes(0, 4)}));
  expected.insert(expected.end(), tag.begin(), tag.begin() + 10);
  EXPECT_EQ(wire, expected);

  // SRTCP: everything after the SSRC encrypted, then E || index, then the
  // tag over all of it (RFC 3711 section 3.4).
  const Bytes rtcp = rtcp_packet(0x01020304);
  Bytes rtcp_wire = rtcp;
  rtcp_wire.resize(rtcp.size() + SrtpSession::kMaxTrailer);
  auto rtcp_len = out.protect_rtcp(rtcp_wire, rtcp.size());
  ASSERT_TRUE(rtcp_len.ok());
  rtcp_wire.resize(*rtcp_len);
  const BytesView e_index = BytesView(rtcp_wire).subspan(rtcp.size(), 4);
  ASSERT_EQ(e_index[0] & 0x80, 0x80);  // E: encrypted
  const uint32_t index =
      (uint32_t{e_index[0]} & 0x7f) << 24 | uint32_t{e_index[1]} << 16 | uint32_t{e_index[2]} << 8 |
      uint32_t{e_index[3]};

  const Bytes c_e = srtp_kdf(key, salt, 0x03, 16);
  const Bytes c_a = srtp_kdf(key, salt, 0x04, 20);
  const Bytes c_s = srtp_kdf(key, salt, 0x05, 14);
  Bytes rtcp_iv = c_s;
  rtcp_iv.resize(16, 0);
  xor_into(rtcp_iv, 4, be_bytes(0x01020304, 4));
  xor_into(rtcp_iv, 10, be_bytes(index, 4));
  Bytes rtcp_expected = rtcp;
  xor_into(rtcp_expected, 8, aes_ctr(c_e, rtcp_iv, rtcp.size() - 8));
  rtcp_expected.insert(rtcp_expected.end(), e_index.begin(), e_index.end());
  const Bytes rtcp_tag = hmac_sha1(c_a, rtcp_expected);
  rtcp_expected.insert(rtcp_expected.end(), rtcp_tag.begin(), rtcp_tag.begin() + 10);
  EXPECT_EQ(rtcp_wire, rtcp_expected);
}

TEST(SrtpKnownAnswer, AesGcmRtpAndRtcpMatchRfc7714) {
  const SrtpProfile profile = SrtpProfile::aead_aes_128_gcm;
  const SecretBytes master = master_for(profile, 5);
  const BytesView key = master.view().first(16);
  // RFC 7714 section 11: the KDF takes the 96-bit master salt as the high
  // bits of the 112-bit AES-CM PRF salt.
  Bytes salt(master.view().begin() + 16, master.view().end());
  salt.resize(14, 0);
  SrtpSession out = make(profile, SrtpDirection::outbound, 5);

  const uint16_t seq = 0xbeef;
  const uint32_t ssrc = 0x0badf00d;
  const Bytes plain = rtp_packet(seq, ssrc, 33);
  Bytes wire = plain;
  wire.resize(plain.size() + SrtpSession::kMaxTrailer);
  auto len = out.protect_rtp(wire, plain.size());
  ASSERT_TRUE(len.ok());
  wire.resize(*len);

  const Bytes k_e = srtp_kdf(key, salt, 0x00, 16);
  const Bytes k_s = srtp_kdf(key, salt, 0x02, 12);
  // RFC 7714 section 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt.
  Bytes iv = concat({be_bytes(0, 2), be_bytes(ssrc, 4), be_bytes(0, 4), be_bytes(seq, 2)});
  xor_into(iv, 0, k_s);
  const Bytes sealed = gcm_seal(k_e, iv, BytesView(plain).first(12), BytesView(plain).subspan(12));
  EXPECT_EQ(wire, concat({BytesView(plain).first(12), sealed}));

  // SRTCP (RFC 7714 section 9): IV = (00 00 || SSRC || 00 00 || index)
  // XOR salt, the AAD is the first 8 bytes and E || index.
  const Bytes rtcp = rtcp_packet(0x0a0b0c0d);
  Bytes rtcp_wire = rtcp;
  rtcp_wire.resize(rtcp.size() + SrtpSession::kMaxTrailer);
  auto rtcp_len = out.protect_rtcp(rtcp_wire, rtcp.size());
  ASSERT_TRUE(rtcp_len.ok());
  rtcp_wire.resize(*rtcp_len);
  const BytesView e_index = BytesView(rtcp_wire).last(4);
  ASSERT_EQ(e_index[0] & 0x80, 0x80);
  const Bytes index_only = {static_cast<uint8_t>(e_index[0] & 0x7f), e_index[1], e_index[2],
                            e_index[3]};
  const Bytes c_e = srtp_kdf(key, salt, 0x03, 16);
  const Bytes c_s = srtp_kdf(key, salt, 0x05, 12);
  Bytes rtcp_iv = concat({be_bytes(0, 2), be_bytes(0x0a0b0c0d, 4), be_bytes(0, 2), index_only});
  xor_into(rtcp_iv, 0, c_s);
  const Bytes rtcp_sealed = gcm_seal(c_e, rtcp_iv, concat({BytesView(rtcp).first(8), e_index}),
                                     BytesView(rtcp).subspan(8));
  EXPECT_EQ(rtcp_wire, concat({BytesView(rtcp).first(8), rtcp_sealed, e_index}));
}

// ---------------------------------------------------------------------------
// Cross-checks against libsrtp2, the implementation SrtpSession replaced:
// the same master protects to the same bytes, and each side unprotects what
// the other protected, across a sequence number wrap, with CSRCs and a
// header extension, for both profiles.

// Buffers sized for libsrtp stay valid for SrtpSession.
static_assert(SrtpSession::kMaxTrailer == SRTP_MAX_TRAILER_LEN);

class LibSrtp {
 public:
  // sec_serv_auth for SRTCP: libsrtp sends it unencrypted (E flag 0).
  LibSrtp(SrtpProfile profile, SrtpDirection direction, uint8_t seed, bool rtcp_auth_only = false) {
    static std::once_flag once;
    std::call_once(once, [] { CV_CHECK(srtp_init() == srtp_err_status_ok); });
    const auto id = static_cast<srtp_profile_t>(srtp_profile_id(profile));
    srtp_policy_t policy{};
    CV_CHECK(srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, id) == srtp_err_status_ok);
    CV_CHECK(srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, id) == srtp_err_status_ok);
    if (rtcp_auth_only) policy.rtcp.sec_serv = sec_serv_auth;
    policy.ssrc.type = direction == SrtpDirection::outbound ? ssrc_any_outbound : ssrc_any_inbound;
    key_ = master_for(profile, seed).reveal_copy();
    policy.key = key_.data();
    policy.window_size = SrtpSession::kReplayWindow;
    policy.allow_repeat_tx = direction == SrtpDirection::outbound ? 1 : 0;
    CV_CHECK(srtp_create(&session_, &policy) == srtp_err_status_ok);
  }
  ~LibSrtp() { (void)srtp_dealloc(session_); }
  LibSrtp(const LibSrtp&) = delete;
  LibSrtp& operator=(const LibSrtp&) = delete;

  // The protected (or unprotected) packet, or nullopt on any libsrtp error.
  std::optional<Bytes> run(bool protect, bool rtcp, Bytes packet) {
    int len = static_cast<int>(packet.size());
    packet.resize(packet.size() + SRTP_MAX_TRAILER_LEN);
    srtp_err_status_t status = srtp_err_status_ok;
    if (protect) {
      status = rtcp ? srtp_protect_rtcp(session_, packet.data(), &len)
                    : srtp_protect(session_, packet.data(), &len);
    } else {
      status = rtcp ? srtp_unprotect_rtcp(session_, packet.data(), &len)
                    : srtp_unprotect(session_, packet.data(), &len);
    }
    if (status != srtp_err_status_ok) return std::nullopt;
    packet.resize(static_cast<size_t>(len));
    return packet;
  }

 private:
  Bytes key_;
  srtp_t session_ = nullptr;
};

std::optional<Bytes> ours(SrtpSession& s, bool protect, bool rtcp, Bytes packet) {
  const size_t n = packet.size();
  packet.resize(n + SrtpSession::kMaxTrailer);
  Result<size_t> r = protect ? (rtcp ? s.protect_rtcp(packet, n) : s.protect_rtp(packet, n))
                             : (rtcp ? s.unprotect_rtcp(packet, n) : s.unprotect_rtp(packet, n));
  if (!r.ok()) return std::nullopt;
  packet.resize(*r);
  return packet;
}

// RTP with two CSRCs and a one-byte-header extension (RFC 8285) of two
// elements, as browsers send video.
Bytes rich_rtp_packet(uint16_t seq, uint32_t ssrc, size_t payload_size) {
  Bytes p = rtp_packet(seq, ssrc, 0);
  p[0] = 0x92;  // V=2, X=1, CC=2
  for (uint32_t csrc : {0x01010101u, 0x02020202u}) {
    for (int shift = 24; shift >= 0; shift -= 8) p.push_back(static_cast<uint8_t>(csrc >> shift));
  }
  const Bytes extension = {0xbe, 0xde, 0x00, 0x02, 0x10, 0x33, 0x22, 0xab, 0xcd, 0xef, 0x00, 0x00};
  p.insert(p.end(), extension.begin(), extension.end());
  for (size_t i = 0; i < payload_size; ++i) p.push_back(static_cast<uint8_t>(seq + i));
  return p;
}

// An RTCP compound of a sender report's first part and a REMB-sized APP
// packet; its length varies with `extra`.
Bytes rtcp_compound(uint32_t ssrc, size_t extra) {
  Bytes p = rtcp_packet(ssrc);
  p.insert(p.end(), {uint8_t{0x80}, uint8_t{0xcc}, uint8_t{0x00}, static_cast<uint8_t>(2 + extra)});
  for (int shift = 24; shift >= 0; shift -= 8) p.push_back(static_cast<uint8_t>(ssrc >> shift));
  for (size_t i = 0; i < 4 + 4 * extra; ++i) p.push_back(static_cast<uint8_t>(i * 3));
  return p;
}

class SrtpCrossCheck : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(SrtpCrossCheck, RtpMatchesLibsrtpAcrossTheSequenceWrap) {
  const SrtpProfile profile = GetParam();
  SrtpSession our_out = make(profile, SrtpDirection::outbound, 3);
  SrtpSession our_in = make(profile, SrtpDirection::inbound, 3);
  LibSrtp ref_out(profile, SrtpDirection::outbound, 3);
  LibSrtp ref_in(profile, SrtpDirection::inbound, 3);
  // Two SSRCs, 65500 .. 65535, 0 .. 63: ROC 0 -> 1 on both.
  int checked = 0;
  for (uint32_t step = 0; step < 100; ++step) {
    const auto seq = static_cast<uint16_t>(65500 + step);
    for (uint32_t ssrc : {0x11111111u, 0xfedcba98u}) {
      const Bytes plain = (step % 3 == 0) ? rtp_packet(seq, ssrc, 20 + step)
                                          : rich_rtp_packet(seq, ssrc, 1 + step * 7);
      auto a = ours(our_out, true, false, plain);
      auto b = ref_out.run(true, false, plain);
      ASSERT_TRUE(a && b) << "seq " << seq;
      ASSERT_EQ(*a, *b) << "seq " << seq << " ssrc " << ssrc;
      // Each side opens the other's packet.
      auto opened_by_ref = ref_in.run(false, false, *a);
      ASSERT_TRUE(opened_by_ref) << "seq " << seq;
      EXPECT_EQ(*opened_by_ref, plain);
      auto opened_by_us = ours(our_in, false, false, *b);
      ASSERT_TRUE(opened_by_us) << "seq " << seq;
      EXPECT_EQ(*opened_by_us, plain);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 200);
}

TEST_P(SrtpCrossCheck, LatePacketsFromBeforeTheWrapOpen) {
  const SrtpProfile profile = GetParam();
  LibSrtp ref_out(profile, SrtpDirection::outbound, 4);
  SrtpSession our_in = make(profile, SrtpDirection::inbound, 4);
  std::vector<Bytes> wire;
  for (uint16_t seq :
       {uint16_t{65533}, uint16_t{65534}, uint16_t{65535}, uint16_t{0}, uint16_t{1}, uint16_t{2}}) {
    auto p = ref_out.run(true, false, rich_rtp_packet(seq, 77, 30));
    ASSERT_TRUE(p);
    wire.push_back(*p);
  }
  // Delivered as 65533, 0, 1, 65535, 2, 65534: the ROC is guessed per packet.
  for (size_t i : {0u, 3u, 4u, 2u, 5u, 1u}) {
    auto opened = ours(our_in, false, false, wire[i]);
    ASSERT_TRUE(opened) << "packet " << i;
    EXPECT_EQ(*opened, rich_rtp_packet(static_cast<uint16_t>(65533 + i), 77, 30));
  }
  // All of them now replays.
  for (const Bytes& p : wire) {
    Bytes b = p;
    EXPECT_TRUE(our_in.unprotect_rtp(b, b.size()).error().is(SrtpErrc::replay));
  }
}

TEST_P(SrtpCrossCheck, RtcpMatchesLibsrtp) {
  const SrtpProfile profile = GetParam();
  SrtpSession our_out = make(profile, SrtpDirection::outbound, 6);
  SrtpSession our_in = make(profile, SrtpDirection::inbound, 6);
  LibSrtp ref_out(profile, SrtpDirection::outbound, 6);
  LibSrtp ref_in(profile, SrtpDirection::inbound, 6);
  for (size_t i = 0; i < 20; ++i) {
    for (uint32_t ssrc : {0x0a0a0a0au, 0x12345678u}) {
      const Bytes plain = rtcp_compound(ssrc, i);
      auto a = ours(our_out, true, true, plain);
      auto b = ref_out.run(true, true, plain);
      ASSERT_TRUE(a && b) << i;
      ASSERT_EQ(*a, *b) << i;  // same SRTCP index sequence (1, 2, ...) per SSRC
      auto opened_by_ref = ref_in.run(false, true, *a);
      ASSERT_TRUE(opened_by_ref) << i;
      EXPECT_EQ(*opened_by_ref, plain);
      auto opened_by_us = ours(our_in, false, true, *b);
      ASSERT_TRUE(opened_by_us) << i;
      EXPECT_EQ(*opened_by_us, plain);
    }
  }
}

TEST_P(SrtpCrossCheck, UnencryptedSrtcpFromLibsrtpOpens) {
  const SrtpProfile profile = GetParam();
  LibSrtp ref_out(profile, SrtpDirection::outbound, 8, /*rtcp_auth_only=*/true);
  SrtpSession our_in = make(profile, SrtpDirection::inbound, 8);
  const Bytes plain = rtcp_compound(0x99, 3);
  auto wire = ref_out.run(true, true, plain);
  ASSERT_TRUE(wire);
  ASSERT_TRUE(equal(BytesView(*wire).first(plain.size()), plain));  // in the clear
  auto opened = ours(our_in, false, true, *wire);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, plain);
  // The E flag and index are authenticated: setting E fails.
  auto again = ref_out.run(true, true, plain);
  ASSERT_TRUE(again);
  const size_t e_at = profile == SrtpProfile::aead_aes_128_gcm
                          ? again->size() - 4
                          : again->size() - 4 - srtp_tag_length(profile);
  (*again)[e_at] |= 0x80;
  Bytes bad = *again;
  EXPECT_TRUE(our_in.unprotect_rtcp(bad, bad.size()).error().is(SrtpErrc::auth_failed));
}

TEST_P(SrtpCrossCheck, ReplayedAndTamperedLibsrtpPacketsAreRefused) {
  const SrtpProfile profile = GetParam();
  LibSrtp ref_out(profile, SrtpDirection::outbound, 5);
  SrtpSession our_in = make(profile, SrtpDirection::inbound, 5);
  auto rtp = ref_out.run(true, false, rich_rtp_packet(4242, 0xabcdef01, 100));
  auto rtcp = ref_out.run(true, true, rtcp_compound(0xabcdef01, 2));
  ASSERT_TRUE(rtp && rtcp);
  for (size_t i :
       {size_t{0}, size_t{1}, size_t{9}, size_t{13}, size_t{30}, size_t{50}, rtp->size() - 1}) {
    Bytes bad = *rtp;
    bad[i] ^= 0x04;
    auto r = our_in.unprotect_rtp(bad, bad.size());
    ASSERT_FALSE(r.ok()) << "byte " << i;
    // Byte 0 bit 2 changes the CSRC count: then the header parse or the tag
    // fails; otherwise the tag.
    if (i != 0) {
      EXPECT_TRUE(r.error().is(SrtpErrc::auth_failed)) << "byte " << i;
    }
  }
  for (size_t i : {size_t{1}, size_t{4}, size_t{12}, rtcp->size() - 1}) {
    Bytes bad = *rtcp;
    bad[i] ^= 0x40;
    auto r = our_in.unprotect_rtcp(bad, bad.size());
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_TRUE(r.error().is(SrtpErrc::auth_failed)) << "byte " << i;
  }
  // The failures changed nothing: the originals open once, then are replays.
  for (int round = 0; round < 2; ++round) {
    Bytes a = *rtp;
    Bytes b = *rtcp;
    auto ra = our_in.unprotect_rtp(a, a.size());
    auto rb = our_in.unprotect_rtcp(b, b.size());
    EXPECT_EQ(ra.ok(), round == 0);
    EXPECT_EQ(rb.ok(), round == 0);
    if (round == 1) {
      EXPECT_TRUE(ra.error().is(SrtpErrc::replay));
      EXPECT_TRUE(rb.error().is(SrtpErrc::replay));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpCrossCheck, ::testing::ValuesIn(kProfiles),
                         [](const ::testing::TestParamInfo<SrtpProfile>& param_info) {
                           return param_info.param == SrtpProfile::aead_aes_128_gcm ? "gcm" : "cm";
                         });

}  // namespace
}  // namespace conclave::net
