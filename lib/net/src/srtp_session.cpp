#include "conclave/net/srtp_session.h"

#include <srtp2/srtp.h>

#include <climits>
#include <mutex>
#include <utility>

namespace conclave::net {

static_assert(SrtpSession::kMaxTrailer == SRTP_MAX_TRAILER_LEN);
static_assert(SrtpSession::kMaxPacketSize + SrtpSession::kMaxTrailer <= INT_MAX);
static_assert(srtp_profile_id(SrtpProfile::aes128_cm_sha1_80) == srtp_profile_aes128_cm_sha1_80);
static_assert(srtp_profile_id(SrtpProfile::aead_aes_128_gcm) == srtp_profile_aead_aes_128_gcm);

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

// libsrtp's global state (its crypto kernel) is set up once per process.
Status init_libsrtp() {
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_ok;
  std::call_once(once, [] { status = srtp_init(); });
  if (status != srtp_err_status_ok) return Error(SrtpErrc::setup_failed, "srtp_init");
  return {};
}

uint16_t be16(std::span<const uint8_t> p, size_t offset) {
  return static_cast<uint16_t>(p[offset] << 8 | p[offset + 1]);
}

// The size of the RTP header (fixed part, CSRCs, RFC 8285 extension), or
// nullopt when the packet is not RTP version 2 or the header overruns it.
std::optional<size_t> rtp_header_size(std::span<const uint8_t> packet) {
  if (packet.size() < kRtpHeaderSize || (packet[0] >> 6) != 2) return std::nullopt;
  size_t size = kRtpHeaderSize + 4 * size_t{packet[0] & 0x0fu};
  if ((packet[0] & 0x10u) != 0) {
    if (size + 4 > packet.size()) return std::nullopt;
    size += 4 + 4 * size_t{be16(packet, size + 2)};
  }
  if (size > packet.size()) return std::nullopt;
  return size;
}

Error map_status(srtp_err_status_t status, std::string_view what) {
  switch (status) {
    case srtp_err_status_auth_fail:
      return Error(SrtpErrc::auth_failed, what);
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return Error(SrtpErrc::replay, what);
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return Error(SrtpErrc::malformed, what);
    default:
      return Error(SrtpErrc::failed, what);
  }
}

}  // namespace

void SrtpSession::Deleter::operator()(srtp_ctx_t_* session) const {
  if (session != nullptr) (void)srtp_dealloc(session);
}

SrtpSession::SrtpSession(SrtpProfile profile, SrtpDirection direction, srtp_ctx_t_* session)
    : session_(session), profile_(profile), direction_(direction) {}

SrtpSession::SrtpSession(SrtpSession&&) noexcept = default;
SrtpSession& SrtpSession::operator=(SrtpSession&&) noexcept = default;
SrtpSession::~SrtpSession() = default;

Result<SrtpSession> SrtpSession::create(SrtpProfile profile, SrtpDirection direction,
                                        const SecretBytes& master) {
  if (profile != SrtpProfile::aes128_cm_sha1_80 && profile != SrtpProfile::aead_aes_128_gcm) {
    return Error(SrtpErrc::setup_failed, "profile");
  }
  if (master.size() != srtp_master_length(profile)) return SrtpErrc::invalid_key;
  CV_TRY_STATUS(init_libsrtp());

  const auto libsrtp_profile = static_cast<srtp_profile_t>(srtp_profile_id(profile));
  srtp_policy_t policy{};
  if (srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, libsrtp_profile) !=
          srtp_err_status_ok ||
      srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, libsrtp_profile) !=
          srtp_err_status_ok) {
    return Error(SrtpErrc::setup_failed, "profile");
  }
  policy.ssrc.type =
      direction == SrtpDirection::outbound ? ssrc_any_outbound : ssrc_any_inbound;
  policy.ssrc.value = 0;
  // libsrtp takes a non-const pointer but only reads the master, deriving
  // its session keys in srtp_create(); the copy is wiped on return.
  SecretBytes key = master;
  policy.key = key.data();
  policy.window_size = kReplayWindow;
  policy.allow_repeat_tx = direction == SrtpDirection::outbound ? 1 : 0;
  policy.next = nullptr;

  srtp_t session = nullptr;
  const srtp_err_status_t status = srtp_create(&session, &policy);
  if (status != srtp_err_status_ok) {
    if (session != nullptr) (void)srtp_dealloc(session);
    return Error(SrtpErrc::setup_failed, "srtp_create");
  }
  return SrtpSession(profile, direction, session);
}

Result<size_t> SrtpSession::protect_rtp(std::span<uint8_t> buffer, size_t length) {
  return run(Kind::rtp, SrtpDirection::outbound, buffer, length);
}

Result<size_t> SrtpSession::protect_rtcp(std::span<uint8_t> buffer, size_t length) {
  return run(Kind::rtcp, SrtpDirection::outbound, buffer, length);
}

Result<size_t> SrtpSession::unprotect_rtp(std::span<uint8_t> buffer, size_t length) {
  return run(Kind::rtp, SrtpDirection::inbound, buffer, length);
}

Result<size_t> SrtpSession::unprotect_rtcp(std::span<uint8_t> buffer, size_t length) {
  return run(Kind::rtcp, SrtpDirection::inbound, buffer, length);
}

Result<size_t> SrtpSession::run(Kind kind, SrtpDirection direction, std::span<uint8_t> buffer,
                                size_t length) {
  if (!session_) return Error(SrtpErrc::setup_failed, "moved-from session");
  if (direction != direction_) return SrtpErrc::wrong_direction;
  if (length > buffer.size()) return Error(SrtpErrc::no_room, "length exceeds the buffer");
  if (length > kMaxPacketSize) return SrtpErrc::too_large;
  const std::span<const uint8_t> packet = buffer.first(length);
  const size_t tag = srtp_tag_length(profile_);

  if (kind == Kind::rtp) {
    auto header = rtp_header_size(packet);
    if (!header) return Error(SrtpErrc::malformed, "RTP header");
    if (direction == SrtpDirection::inbound && *header + tag > length) {
      return Error(SrtpErrc::malformed, "SRTP shorter than its tag");
    }
  } else {
    if (length < kRtcpHeaderSize || (packet[0] >> 6) != 2) {
      return Error(SrtpErrc::malformed, "RTCP header");
    }
    if (direction == SrtpDirection::inbound && kRtcpHeaderSize + kSrtcpIndexSize + tag > length) {
      return Error(SrtpErrc::malformed, "SRTCP shorter than its trailer");
    }
  }
  if (direction == SrtpDirection::outbound) {
    const size_t overhead = kind == Kind::rtp ? rtp_overhead() : rtcp_overhead();
    if (buffer.size() - length < overhead) return SrtpErrc::no_room;
  }

  int len = static_cast<int>(length);
  srtp_err_status_t status = srtp_err_status_ok;
  if (direction == SrtpDirection::outbound) {
    status = kind == Kind::rtp ? srtp_protect(session_.get(), buffer.data(), &len)
                               : srtp_protect_rtcp(session_.get(), buffer.data(), &len);
  } else {
    status = kind == Kind::rtp ? srtp_unprotect(session_.get(), buffer.data(), &len)
                               : srtp_unprotect_rtcp(session_.get(), buffer.data(), &len);
  }
  if (status != srtp_err_status_ok) {
    return map_status(status, kind == Kind::rtp ? "RTP" : "RTCP");
  }
  // libsrtp never grows a packet past the trailer it documents; a length
  // outside the buffer would be a libsrtp bug, not the peer's doing.
  CV_CHECK(len >= 0 && static_cast<size_t>(len) <= buffer.size());
  return static_cast<size_t>(len);
}

}  // namespace conclave::net
