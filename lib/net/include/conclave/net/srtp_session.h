// SrtpSession: SRTP and SRTCP (RFC 3711; AES-GCM per RFC 7714) for one
// direction of one DTLS-SRTP association, on OpenSSL's EVP ciphers through
// lib/crypto. The outbound session protects what we send with our write
// master (key || salt); the inbound one unprotects what the peer sends with
// its write master (DtlsTransport::local_master() / remote_master()).
//
//   outbound: RTP/RTCP in buffer[0, length) --protect_*()--> SRTP/SRTCP in
//             buffer[0, length + overhead); the buffer needs that room
//   inbound:  SRTP/SRTCP --unprotect_*()--> RTP/RTCP, shorter, in place
//
//   AES_CM_128_HMAC_SHA1_80   SRTP  header | AES-CM(payload) | tag 10
//                             SRTCP header 8 | AES-CM(rest) | E+index 4 | tag 10
//                             tag = HMAC-SHA1(auth key, packet [|| ROC])[..10]
//   AEAD_AES_128_GCM          SRTP  header | GCM(payload) | tag 16   (AAD header)
//                             SRTCP header 8 | GCM(rest) | tag 16 | E+index 4
//                                   (AAD header 8 || E+index)
//
// The session keys are derived once (SrtpKeyDerivation) and the cipher and
// MAC contexts keyed once; each packet only sets its IV. The RTP header
// (CSRCs and the RFC 8285 extension included) is authenticated, never
// encrypted. Every SSRC shares the one master: the rollover counter, replay
// list (SrtpReplayWindow, 1024 packets) and SRTCP index live per SSRC in a
// small flat table, made on first use (inbound: only once a packet
// authenticates). The ROC is estimated from the highest index seen (RFC
// 3711 section 3.3.1). The outbound session allows repeated protection of
// the same packet, because the SFU retransmits cached packets for NACKs:
// the same RTP packet protects to the same bytes again. A packet older than
// the window (against the newest protected for its SSRC) is refused with
// SrtpErrc::replay on the outbound side too. SRTCP indices are 31 bits and
// start at 1 per SSRC.
//
// Packets come from the network or from the SFU's rewriting, so nothing
// here aborts or throws: each failure is an SrtpErrc the media path counts,
// and a failed unprotect changes no state. The RTP/RTCP header is checked
// for size and version before anything else reads it. A session is
// move-only and used by one thread at a time. (libsrtp2, which this
// replaced because it costs 3-4 times more per packet as Debian builds it,
// stays as the reference the tests check against.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/net/srtp_profile.h"

namespace conclave::net {

enum class SrtpErrc {
  invalid_key = 1,  // the master is not key || salt of the profile's sizes
  setup_failed,     // the session keys or cipher contexts could not be set up
  wrong_direction,  // protect on an inbound session, unprotect on an outbound one
  malformed,        // too short, not version 2, or the header overruns the packet
  no_room,          // the buffer cannot take the trailer, or length > buffer
  too_large,        // the packet exceeds kMaxPacketSize
  auth_failed,      // the authentication tag does not verify
  replay,           // already received, or older than the replay window
  failed,           // any other failure (the crypto backend, an exhausted index)
};

std::string_view error_domain(SrtpErrc);
std::string_view error_message(SrtpErrc e);

enum class SrtpDirection : uint8_t { outbound, inbound };

class SrtpSession {
 public:
  // Enough room after any packet for any profile (libsrtp's
  // SRTP_MAX_TRAILER_LEN, kept so that buffers sized by it stay valid).
  // rtp_overhead()/rtcp_overhead() are exact.
  static constexpr size_t kMaxTrailer = 144;
  // Larger packets are refused (a UDP payload is at most 65507 bytes).
  static constexpr size_t kMaxPacketSize = 65535;
  static constexpr unsigned long kReplayWindow = 1024;

  static Result<SrtpSession> create(SrtpProfile profile, SrtpDirection direction,
                                    const SecretBytes& master);
  static Result<SrtpSession> outbound(SrtpProfile profile, const SecretBytes& master) {
    return create(profile, SrtpDirection::outbound, master);
  }
  static Result<SrtpSession> inbound(SrtpProfile profile, const SecretBytes& master) {
    return create(profile, SrtpDirection::inbound, master);
  }

  SrtpSession(SrtpSession&&) noexcept;
  SrtpSession& operator=(SrtpSession&&) noexcept;
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;
  ~SrtpSession();

  SrtpProfile profile() const { return profile_; }
  SrtpDirection direction() const { return direction_; }
  // Bytes protect_rtp()/protect_rtcp() add: the tag (and for SRTCP the
  // E flag and index word).
  size_t rtp_overhead() const { return srtp_tag_length(profile_); }
  size_t rtcp_overhead() const { return srtp_tag_length(profile_) + 4; }

  // Outbound. The packet is buffer[0, length); on success the protected
  // packet is buffer[0, returned length). buffer.size() must be at least
  // length + rtp_overhead() (rtcp_overhead()).
  Result<size_t> protect_rtp(std::span<uint8_t> buffer, size_t length);
  Result<size_t> protect_rtcp(std::span<uint8_t> buffer, size_t length);
  // Inbound. On success the plain packet is buffer[0, returned length); on
  // failure the bytes of buffer[0, length) are unspecified.
  Result<size_t> unprotect_rtp(std::span<uint8_t> buffer, size_t length);
  Result<size_t> unprotect_rtcp(std::span<uint8_t> buffer, size_t length);

 private:
  struct Impl;
  enum class Kind : uint8_t { rtp, rtcp };

  SrtpSession(SrtpProfile profile, SrtpDirection direction, std::unique_ptr<Impl> impl);
  Result<size_t> check_packet(Kind kind, SrtpDirection direction, std::span<uint8_t> buffer,
                              size_t length) const;

  std::unique_ptr<Impl> impl_;
  SrtpProfile profile_;
  SrtpDirection direction_;
};

}  // namespace conclave::net
