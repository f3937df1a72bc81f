// Why the SFU dropped a datagram or a packet. Every drop on the media path
// has one of these reasons and bumps its counter (SfuStats); the metrics
// endpoint exports them as conclave_sfu_dropped_total{reason="..."}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace conclave::sfu {

enum class DropReason : uint8_t {
  unknown_protocol,      // first byte is none of STUN, DTLS, RTP/RTCP (RFC 7983)
  unknown_source,        // DTLS/RTP/RTCP from an address no transport selected
  stun_rejected,         // STUN that the ICE-lite responder did not accept
  dtls_rejected,         // a DTLS record the handshake refused
  srtp_not_ready,        // RTP/RTCP before the DTLS handshake gave SRTP keys
  srtp_auth_failed,      // SRTP/SRTCP authentication failed
  srtp_replay,           // SRTP/SRTCP replay protection
  srtp_other,            // any other SRTP error (malformed, too short)
  rtp_malformed,         // RTP header did not parse after SRTP
  rtcp_malformed,        // RTCP compound did not parse after SRTCP
  unknown_ssrc,          // RTP from a publisher for an SSRC it did not signal
  wrong_direction,       // RTP on a subscribe transport (subscribers do not send)
  consent_expired,       // the destination's ICE consent has expired
  send_failed,           // the socket refused the datagram
  no_keys_downstream,    // a subscriber's SRTP is not ready yet
  test_loss,             // TEST ONLY: dropped on purpose (--test-media-loss)
};
inline constexpr size_t kDropReasonCount = 16;

std::string_view to_string(DropReason reason);

}  // namespace conclave::sfu
