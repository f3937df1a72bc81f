#include "conclave/net/srtp_session.h"

#include <algorithm>
#include <array>
#include <climits>
#include <optional>
#include <utility>
#include <vector>

#include "conclave/crypto/aead.h"
#include "conclave/crypto/hash.h"
#include "conclave/net/srtp_key_derivation.h"
#include "conclave/net/srtp_replay_window.h"

namespace conclave::net {

static_assert(SrtpSession::kMaxPacketSize + SrtpSession::kMaxTrailer <= INT_MAX);
static_assert(SrtpSession::kReplayWindow == SrtpReplayWindow::kSize);

std::string_view error_domain(SrtpErrc) { return "srtp"; }

std::string_view error_message(SrtpErrc e) {
  switch (e) {
    case SrtpErrc::invalid_key: return "master key or salt has the wrong length";
    case SrtpErrc::setup_failed: return "SRTP session setup failed";
    case SrtpErrc::wrong_direction: return "operation not valid for the session's direction";
    case SrtpErrc::malformed: return "malformed RTP/RTCP packet";
    case SrtpErrc::no_room: return "buffer too small for the SRTP trailer";
    case SrtpErrc::too_large: return "packet too large";
    case SrtpErrc::auth_failed: return "SRTP authentication failed";
    case SrtpErrc::replay: return "SRTP replay";
    case SrtpErrc::failed: return "SRTP operation failed";
  }
  return "unknown SRTP error";
}

namespace {

constexpr size_t kRtpHeaderSize = 12;
constexpr size_t kRtcpHeaderSize = 8;
constexpr size_t kSrtcpIndexSize = 4;
constexpr size_t kCmTagSize = 10;  // HMAC-SHA1 truncated to 80 bits
constexpr size_t kHmacSha1Size = 20;
constexpr size_t kGcmIvSize = 12;
constexpr size_t kCmIvSize = 16;
constexpr uint32_t kSrtcpEncrypted = 0x80000000u;  // the E flag
constexpr uint32_t kMaxSrtcpIndex = 0x7fffffffu;
constexpr uint64_t kMaxRtpIndex = (uint64_t{1} << 48) - 1;

uint16_t load_be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

uint32_t load_be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// XORs the big-endian `width`-byte value into p.
void xor_be(uint8_t* p, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) {
    p[width - 1 - i] ^= static_cast<uint8_t>(value >> (8 * i));
  }
}

// The size of the RTP header (fixed part, CSRCs, RFC 8285 extension), or
// nullopt when the packet is not RTP version 2 or the header overruns it.
std::optional<size_t> rtp_header_size(std::span<const uint8_t> packet) {
  if (packet.size() < kRtpHeaderSize || (packet[0] >> 6) != 2) return std::nullopt;
  size_t size = kRtpHeaderSize + 4 * size_t{packet[0] & 0x0fu};
  if ((packet[0] & 0x10u) != 0) {
    if (size + 4 > packet.size()) return std::nullopt;
    size += 4 + 4 * size_t{load_be16(packet.data() + size + 2)};
  }
  if (size > packet.size()) return std::nullopt;
  return size;
}

// Per-SSRC state: the SRTP replay list (its highest index also gives the
// ROC), and for SRTCP the replay list (inbound) or the last index sent
// (outbound).
struct StreamState {
  SrtpReplayWindow rtp;
  SrtpReplayWindow rtcp;
  uint32_t rtcp_sent = 0;
};

// The state of a stream not seen yet, for checks before one is made.
const StreamState kNewStream{};

Error crypto_error(const Error& e, std::string_view what) {
  return e.is(crypto::Errc::decrypt_failed) ? Error(SrtpErrc::auth_failed, what)
                                            : Error(SrtpErrc::failed, what);
}

// The keyed contexts of one kind (SRTP or SRTCP).
struct Transform {
  std::optional<crypto::Aead> gcm;    // AEAD_AES_128_GCM
  std::optional<crypto::AesCtr> ctr;  // AES_CM_128_HMAC_SHA1_80
  std::optional<crypto::Hmac> hmac;
  SecretBytes salt;  // 12 (GCM) or 14 (CM) bytes
};

}  // namespace

// Both transforms and the per-SSRC table.
struct SrtpSession::Impl {
  Transform rtp;
  Transform rtcp;
  // A flat table: the SSRCs in one array, scanned linearly (a session
  // carries a handful to a few hundred), their states at the same position.
  std::vector<uint32_t> ssrcs;
  std::vector<StreamState> states;
  size_t last = 0;  // the position of the last lookup, tried first

  StreamState* find(uint32_t ssrc) {
    if (last < ssrcs.size() && ssrcs[last] == ssrc) return &states[last];
    auto it = std::find(ssrcs.begin(), ssrcs.end(), ssrc);
    if (it == ssrcs.end()) return nullptr;
    last = static_cast<size_t>(it - ssrcs.begin());
    return &states[last];
  }
  StreamState& find_or_add(uint32_t ssrc) {
    if (StreamState* s = find(ssrc)) return *s;
    ssrcs.push_back(ssrc);
    states.emplace_back();
    last = ssrcs.size() - 1;
    return states.back();
  }
};

namespace {

Result<Transform> make_transform(bool gcm, const SecretBytes& encryption, const SecretBytes& auth,
                                 const SecretBytes& salt) {
  Transform t;
  if (gcm) {
    auto aead = crypto::Aead::create(crypto::AeadId::aes_128_gcm, encryption.view());
    if (!aead.ok()) return Error(SrtpErrc::setup_failed, "AES-GCM");
    t.gcm.emplace(std::move(aead).value());
  } else {
    auto ctr = crypto::AesCtr::create(encryption.view());
    auto hmac = crypto::Hmac::create(crypto::HashId::sha1, auth.view());
    if (!ctr.ok() || !hmac.ok()) return Error(SrtpErrc::setup_failed, "AES-CM/HMAC-SHA1");
    t.ctr.emplace(std::move(ctr).value());
    t.hmac.emplace(std::move(hmac).value());
  }
  t.salt = salt;
  return t;
}

// The AES-CM IV (RFC 3711 section 4.1.1): (salt || 00 00) XOR (SSRC << 64)
// XOR (index << 16), with the 48-bit SRTP index or the 31-bit SRTCP index.
std::array<uint8_t, kCmIvSize> cm_iv(BytesView salt, uint32_t ssrc, uint64_t index) {
  std::array<uint8_t, kCmIvSize> iv{};
  std::copy(salt.begin(), salt.end(), iv.begin());
  xor_be(iv.data() + 4, ssrc, 4);
  xor_be(iv.data() + 8, index, 6);
  return iv;
}

// The GCM IV (RFC 7714 sections 8.1 and 9.1): (00 00 || SSRC || ROC || SEQ)
// XOR salt for SRTP, (00 00 || SSRC || 00 00 || index) XOR salt for SRTCP;
// both are the 48-bit index in the last six bytes.
std::array<uint8_t, kGcmIvSize> gcm_iv(BytesView salt, uint32_t ssrc, uint64_t index) {
  std::array<uint8_t, kGcmIvSize> iv{};
  std::copy(salt.begin(), salt.end(), iv.begin());
  xor_be(iv.data() + 2, ssrc, 4);
  xor_be(iv.data() + 6, index, 6);
  return iv;
}

// HMAC-SHA1 over the parts, truncated to the 80-bit tag.
Status cm_tag(const crypto::Hmac& hmac, BytesView first, BytesView second,
              std::array<uint8_t, kHmacSha1Size>& out) {
  if (!hmac.compute({first, second}, out).ok()) return Error(SrtpErrc::failed, "HMAC-SHA1");
  return ok_status();
}

}  // namespace

SrtpSession::SrtpSession(SrtpProfile profile, SrtpDirection direction, std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)), profile_(profile), direction_(direction) {}

SrtpSession::SrtpSession(SrtpSession&&) noexcept = default;
SrtpSession& SrtpSession::operator=(SrtpSession&&) noexcept = default;
SrtpSession::~SrtpSession() = default;

Result<SrtpSession> SrtpSession::create(SrtpProfile profile, SrtpDirection direction,
                                        const SecretBytes& master) {
  CV_TRY(const SrtpSessionKeys keys, SrtpKeyDerivation::derive(profile, master));
  const bool gcm = profile == SrtpProfile::aead_aes_128_gcm;
  auto impl = std::make_unique<Impl>();
  CV_TRY(impl->rtp, make_transform(gcm, keys.rtp_encryption, keys.rtp_auth, keys.rtp_salt));
  CV_TRY(impl->rtcp, make_transform(gcm, keys.rtcp_encryption, keys.rtcp_auth, keys.rtcp_salt));
  return SrtpSession(profile, direction, std::move(impl));
}

// The checks every call makes before reading the packet; returns the size
// of the part that stays in the clear at the front (RTP header, or the
// first 8 bytes of RTCP).
Result<size_t> SrtpSession::check_packet(Kind kind, SrtpDirection direction,
                                         std::span<uint8_t> buffer, size_t length) const {
  if (!impl_) return Error(SrtpErrc::setup_failed, "moved-from session");
  if (direction != direction_) return SrtpErrc::wrong_direction;
  if (length > buffer.size()) return Error(SrtpErrc::no_room, "length exceeds the buffer");
  if (length > kMaxPacketSize) return SrtpErrc::too_large;
  const std::span<const uint8_t> packet = buffer.first(length);
  const size_t tag = srtp_tag_length(profile_);
  size_t clear = 0;
  if (kind == Kind::rtp) {
    auto header = rtp_header_size(packet);
    if (!header) return Error(SrtpErrc::malformed, "RTP header");
    if (direction == SrtpDirection::inbound && *header + tag > length) {
      return Error(SrtpErrc::malformed, "SRTP shorter than its tag");
    }
    clear = *header;
  } else {
    if (length < kRtcpHeaderSize || (packet[0] >> 6) != 2) {
      return Error(SrtpErrc::malformed, "RTCP header");
    }
    if (direction == SrtpDirection::inbound && kRtcpHeaderSize + kSrtcpIndexSize + tag > length) {
      return Error(SrtpErrc::malformed, "SRTCP shorter than its trailer");
    }
    clear = kRtcpHeaderSize;
  }
  if (direction == SrtpDirection::outbound) {
    const size_t overhead = kind == Kind::rtp ? rtp_overhead() : rtcp_overhead();
    if (buffer.size() - length < overhead) return SrtpErrc::no_room;
  }
  return clear;
}

Result<size_t> SrtpSession::protect_rtp(std::span<uint8_t> buffer, size_t length) {
  CV_TRY(const size_t header, check_packet(Kind::rtp, SrtpDirection::outbound, buffer, length));
  uint8_t* p = buffer.data();
  const uint32_t ssrc = load_be32(p + 8);
  StreamState& state = impl_->find_or_add(ssrc);
  const uint64_t index = srtp_estimate_index(state.rtp.highest(), load_be16(p + 2));
  if (index > kMaxRtpIndex) return Error(SrtpErrc::failed, "SRTP index exhausted");
  // Protecting a packet again (a NACK retransmission) is allowed; one older
  // than the window is not.
  if (state.rtp.check(index) == SrtpReplayVerdict::too_old) {
    return Error(SrtpErrc::replay, "RTP older than the replay window");
  }
  const Transform& t = impl_->rtp;
  const MutableBytesView payload(p + header, length - header);
  size_t tag_size = 0;
  if (t.gcm) {
    const auto iv = gcm_iv(t.salt.view(), ssrc, index);
    auto sealed = t.gcm->seal(iv, BytesView(p, header), payload,
                              MutableBytesView(p + header, buffer.size() - header));
    if (!sealed.ok()) return crypto_error(sealed.error(), "SRTP seal");
    tag_size = *sealed - payload.size();
  } else {
    const auto iv = cm_iv(t.salt.view(), ssrc, index);
    if (!t.ctr->apply(iv, payload, payload).ok()) return Error(SrtpErrc::failed, "AES-CM");
    std::array<uint8_t, 4> roc{};
    store_be32(roc.data(), static_cast<uint32_t>(index >> 16));
    std::array<uint8_t, kHmacSha1Size> mac{};
    CV_TRY_STATUS(cm_tag(*t.hmac, BytesView(p, length), roc, mac));
    std::copy_n(mac.begin(), kCmTagSize, p + length);
    tag_size = kCmTagSize;
  }
  state.rtp.add(index);
  return length + tag_size;
}

Result<size_t> SrtpSession::unprotect_rtp(std::span<uint8_t> buffer, size_t length) {
  CV_TRY(const size_t header, check_packet(Kind::rtp, SrtpDirection::inbound, buffer, length));
  uint8_t* p = buffer.data();
  const uint32_t ssrc = load_be32(p + 8);
  StreamState* state = impl_->find(ssrc);
  const StreamState& current = state != nullptr ? *state : kNewStream;
  const uint64_t index = srtp_estimate_index(current.rtp.highest(), load_be16(p + 2));
  if (index > kMaxRtpIndex) return Error(SrtpErrc::replay, "SRTP index beyond 2^48");
  if (current.rtp.check(index) != SrtpReplayVerdict::fresh) {
    return Error(SrtpErrc::replay, "RTP");
  }
  const Transform& t = impl_->rtp;
  const size_t tag_size = srtp_tag_length(profile_);
  const size_t plain_length = length - tag_size;
  if (t.gcm) {
    const auto iv = gcm_iv(t.salt.view(), ssrc, index);
    auto opened = t.gcm->open(iv, BytesView(p, header), BytesView(p + header, length - header),
                              MutableBytesView(p + header, plain_length - header));
    if (!opened.ok()) return crypto_error(opened.error(), "SRTP open");
  } else {
    std::array<uint8_t, 4> roc{};
    store_be32(roc.data(), static_cast<uint32_t>(index >> 16));
    std::array<uint8_t, kHmacSha1Size> mac{};
    CV_TRY_STATUS(cm_tag(*t.hmac, BytesView(p, plain_length), roc, mac));
    if (!constant_time_equal(BytesView(mac).first(kCmTagSize),
                             BytesView(p + plain_length, kCmTagSize))) {
      return Error(SrtpErrc::auth_failed, "SRTP tag");
    }
    const auto iv = cm_iv(t.salt.view(), ssrc, index);
    const MutableBytesView payload(p + header, plain_length - header);
    if (!t.ctr->apply(iv, payload, payload).ok()) return Error(SrtpErrc::failed, "AES-CM");
  }
  (state != nullptr ? *state : impl_->find_or_add(ssrc)).rtp.add(index);
  return plain_length;
}

Result<size_t> SrtpSession::protect_rtcp(std::span<uint8_t> buffer, size_t length) {
  CV_TRY(const size_t clear, check_packet(Kind::rtcp, SrtpDirection::outbound, buffer, length));
  uint8_t* p = buffer.data();
  const uint32_t ssrc = load_be32(p + 4);
  StreamState& state = impl_->find_or_add(ssrc);
  if (state.rtcp_sent >= kMaxSrtcpIndex) return Error(SrtpErrc::failed, "SRTCP index exhausted");
  const uint32_t index = state.rtcp_sent + 1;
  std::array<uint8_t, kSrtcpIndexSize> e_index{};
  store_be32(e_index.data(), kSrtcpEncrypted | index);
  const Transform& t = impl_->rtcp;
  const MutableBytesView payload(p + clear, length - clear);
  size_t written = 0;
  if (t.gcm) {
    // header 8 | ciphertext | tag 16 | E+index, the AAD header 8 || E+index.
    const auto iv = gcm_iv(t.salt.view(), ssrc, index);
    auto sealed = t.gcm->seal(iv, crypto::Aad(BytesView(p, clear), e_index), payload,
                              MutableBytesView(p + clear, buffer.size() - clear));
    if (!sealed.ok()) return crypto_error(sealed.error(), "SRTCP seal");
    written = clear + *sealed;
    std::copy(e_index.begin(), e_index.end(), p + written);
    written += kSrtcpIndexSize;
  } else {
    // header 8 | ciphertext | E+index | tag 10, the tag over all before it.
    const auto iv = cm_iv(t.salt.view(), ssrc, index);
    if (!t.ctr->apply(iv, payload, payload).ok()) return Error(SrtpErrc::failed, "AES-CM");
    std::copy(e_index.begin(), e_index.end(), p + length);
    std::array<uint8_t, kHmacSha1Size> mac{};
    CV_TRY_STATUS(cm_tag(*t.hmac, BytesView(p, length + kSrtcpIndexSize), {}, mac));
    std::copy_n(mac.begin(), kCmTagSize, p + length + kSrtcpIndexSize);
    written = length + kSrtcpIndexSize + kCmTagSize;
  }
  state.rtcp_sent = index;
  return written;
}

Result<size_t> SrtpSession::unprotect_rtcp(std::span<uint8_t> buffer, size_t length) {
  CV_TRY(const size_t clear, check_packet(Kind::rtcp, SrtpDirection::inbound, buffer, length));
  uint8_t* p = buffer.data();
  const uint32_t ssrc = load_be32(p + 4);
  const size_t tag_size = srtp_tag_length(profile_);
  const Transform& t = impl_->rtcp;
  // GCM: ... | tag | E+index; CM: ... | E+index | tag.
  const size_t e_index_at = t.gcm ? length - kSrtcpIndexSize : length - tag_size - kSrtcpIndexSize;
  const uint32_t e_index_value = load_be32(p + e_index_at);
  const bool encrypted = (e_index_value & kSrtcpEncrypted) != 0;
  const uint32_t index = e_index_value & kMaxSrtcpIndex;
  StreamState* state = impl_->find(ssrc);
  const StreamState& current = state != nullptr ? *state : kNewStream;
  if (current.rtcp.check(index) != SrtpReplayVerdict::fresh) {
    return Error(SrtpErrc::replay, "RTCP");
  }
  const size_t plain_length = length - tag_size - kSrtcpIndexSize;
  if (t.gcm) {
    std::array<uint8_t, kSrtcpIndexSize> e_index{};
    std::copy_n(p + e_index_at, kSrtcpIndexSize, e_index.begin());
    const auto iv = gcm_iv(t.salt.view(), ssrc, index);
    if (encrypted) {
      auto opened = t.gcm->open(iv, crypto::Aad(BytesView(p, clear), e_index),
                                BytesView(p + clear, e_index_at - clear),
                                MutableBytesView(p + clear, plain_length - clear));
      if (!opened.ok()) return crypto_error(opened.error(), "SRTCP open");
    } else {
      // Unencrypted SRTCP (RFC 7714 section 9.3): the whole packet is
      // additional data and only the tag is "ciphertext".
      auto opened = t.gcm->open(iv, crypto::Aad(BytesView(p, plain_length), e_index),
                                BytesView(p + plain_length, tag_size), MutableBytesView());
      if (!opened.ok()) return crypto_error(opened.error(), "SRTCP open");
    }
  } else {
    std::array<uint8_t, kHmacSha1Size> mac{};
    CV_TRY_STATUS(cm_tag(*t.hmac, BytesView(p, e_index_at + kSrtcpIndexSize), {}, mac));
    if (!constant_time_equal(BytesView(mac).first(kCmTagSize),
                             BytesView(p + e_index_at + kSrtcpIndexSize, kCmTagSize))) {
      return Error(SrtpErrc::auth_failed, "SRTCP tag");
    }
    if (encrypted) {
      const auto iv = cm_iv(t.salt.view(), ssrc, index);
      const MutableBytesView payload(p + clear, plain_length - clear);
      if (!t.ctr->apply(iv, payload, payload).ok()) return Error(SrtpErrc::failed, "AES-CM");
    }
  }
  (state != nullptr ? *state : impl_->find_or_add(ssrc)).rtcp.add(index);
  return plain_length;
}

}  // namespace conclave::net
