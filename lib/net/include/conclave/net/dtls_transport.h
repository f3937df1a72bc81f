// DtlsTransport: one DTLS 1.2 endpoint of a WebRTC transport (RFC 5763,
// RFC 5764, RFC 6347) over OpenSSL, pure: no sockets, no threads, no clock
// of its own. The caller passes each DTLS datagram (RFC 7983: first byte
// 20..63) and the time, sends what take_outgoing() returns, and calls
// on_timeout() at next_timeout().
//
//   start(now) --> client: ClientHello in take_outgoing()
//   handle(datagram, now) --> OpenSSL --> flights in take_outgoing()
//   state(): idle -> connecting -> connected -> closed
//                          \            \-> failed (failure() names why)
//   connected: srtp_profile(), keying_material() (RFC 5764 section 4.2),
//              local_master() / remote_master() for the two SrtpSessions
//
// Identity is the certificate fingerprint from SDP (RFC 5763 section 5):
// both sides present a certificate, self-signed is fine, and the handshake
// fails with DtlsErrc::fingerprint_mismatch unless the SHA-256 of the peer's
// leaf certificate equals the pinned one. Both sides offer or accept the
// configured SRTP profiles (server preference order, GCM before CM by
// default); a handshake without a common profile fails with no_srtp_profile.
//
// Retransmission is ours, driven by the caller's time: OpenSSL's own DTLS
// timer reads the wall clock, so it is set out of reach and this class
// resends the last flight at initial_timeout, doubling up to max_timeout,
// at most max_retransmissions times before the handshake fails with
// DtlsErrc::timeout. Resent records keep their bytes except that every
// epoch 0 record (no MAC) gets a fresh sequence number, as a retransmission
// by OpenSSL would: the peer's replay window then drops only true copies,
// and a ChangeCipherSpec it discarded for arriving early is accepted the
// second time. The server's last flight has no timer (RFC 6347 section
// 4.2.4): handshake records arriving once it is connected mean the client
// missed that flight, and it is sent again (rate-limited).
//
// Hostile datagrams go to OpenSSL, which discards records that do not fit
// (RFC 6347 section 4.1.2.7) and aborts a handshake only on messages that
// are well-formed records but bad handshake content, as TLS must. Nothing
// is thrown or aborted on input; application data is read and dropped
// (Conclave sends media over SRTP only). Renegotiation, tickets and
// session resumption are disabled.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/net/certificate.h"
#include "conclave/net/fingerprint.h"
#include "conclave/net/srtp_profile.h"

namespace conclave::net {

enum class DtlsErrc {
  setup_failed = 1,      // certificate, key or option rejected by OpenSSL
  invalid_argument,      // bad option (MTU, profile list, timeouts)
  bad_state,             // not valid in the current state (keys before connected...)
  not_dtls,              // empty, too large, or the first byte is not 20..63
  handshake_failed,      // OpenSSL aborted the handshake (detail: its reason)
  fingerprint_mismatch,  // the peer's certificate is not the one in its SDP
  no_srtp_profile,       // the handshake finished without a common SRTP profile
  timeout,               // the last flight was retransmitted too often
  protocol_error,        // a fatal error after the handshake (detail: OpenSSL's reason)
  closed,                // close_notify received, or close() called
  export_failed,         // keying material export failed
};

std::string_view error_domain(DtlsErrc);
std::string_view error_message(DtlsErrc e);

// RFC 5763: the a=setup:active side is the DTLS client.
enum class DtlsRole : uint8_t { client, server };

// idle: before start(). W3C RTCDtlsTransportState calls it "new".
enum class DtlsState : uint8_t { idle, connecting, connected, failed, closed };

std::string_view to_string(DtlsState state);

struct DtlsOptions {
  // Offered (client) or accepted (server), in order of preference; the
  // server's order decides.
  std::vector<SrtpProfile> srtp_profiles = {SrtpProfile::aead_aes_128_gcm,
                                            SrtpProfile::aes128_cm_sha1_80};
  // The largest datagram sent (UDP payload), 256..16384.
  size_t mtu = 1200;
  Clock::Duration initial_timeout = std::chrono::milliseconds(400);
  Clock::Duration max_timeout = std::chrono::seconds(4);
  // Retransmissions of one flight before the handshake fails; with the
  // defaults the last one goes out 0.4+0.8+1.6+3.2+4+4 = 14 s after the
  // flight and the handshake fails 4 s later.
  int max_retransmissions = 6;
};

// RFC 5764 section 4.2: the exporter output split into the four values.
struct SrtpKeys {
  SrtpProfile profile = SrtpProfile::aes128_cm_sha1_80;
  SecretBytes client_write_key;
  SecretBytes server_write_key;
  SecretBytes client_write_salt;
  SecretBytes server_write_salt;

  // key || salt, the input of SrtpSession.
  SecretBytes client_master() const;
  SecretBytes server_master() const;
};

class DtlsTransport {
 public:
  using TimePoint = Clock::TimePoint;
  // "EXTRACTOR-dtls_srtp", RFC 5764 section 4.2.
  static constexpr std::string_view kExporterLabel = "EXTRACTOR-dtls_srtp";
  // Datagrams larger than this are not DTLS we accept.
  static constexpr size_t kMaxDatagramSize = 16384 + 2048;

  // `certificate` is ours (the server's TLS certificate, or a client's
  // Certificate::generate_self_signed()); `remote_fingerprint` the one in
  // the peer's a=fingerprint.
  static Result<DtlsTransport> create(DtlsRole role, const Certificate& certificate,
                                      Fingerprint remote_fingerprint, DtlsOptions options = {});

  DtlsTransport(DtlsTransport&&) noexcept;
  DtlsTransport& operator=(DtlsTransport&&) noexcept;
  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;
  ~DtlsTransport();

  // idle -> connecting; the client sends its ClientHello. Error bad_state
  // when not idle.
  Status start(TimePoint now);
  // One datagram from the peer. Errors: bad_state (idle, failed or closed:
  // the datagram is ignored), not_dtls (ignored), or the failure this
  // datagram caused (state() is then failed or closed). Records OpenSSL
  // discards are not errors.
  Status handle(BytesView datagram, TimePoint now);
  // The datagrams to send, in order; empties the queue.
  std::vector<Bytes> take_outgoing();
  // When on_timeout() wants to run; nullopt when no flight waits for an answer.
  std::optional<TimePoint> next_timeout() const;
  void on_timeout(TimePoint now);
  // Sends close_notify when connected; the state becomes closed (a failed
  // transport stays failed).
  void close();

  DtlsRole role() const;
  DtlsState state() const;
  // Why the state is failed (or closed by the peer); nullopt otherwise.
  std::optional<Error> failure() const;

  // Connected only (else bad_state).
  Result<SrtpProfile> srtp_profile() const;
  Result<SrtpKeys> keying_material() const;
  // Our write master (client_master() for the client) and the peer's.
  Result<SecretBytes> local_master() const;
  Result<SecretBytes> remote_master() const;

  // Datagrams given to OpenSSL and flights sent again by the timer.
  uint64_t datagrams_received() const;
  uint64_t retransmissions() const;

 private:
  struct Impl;
  explicit DtlsTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::net
