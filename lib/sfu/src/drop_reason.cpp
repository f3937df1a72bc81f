#include "conclave/sfu/drop_reason.h"

namespace conclave::sfu {

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::unknown_protocol: return "unknown_protocol";
    case DropReason::unknown_source: return "unknown_source";
    case DropReason::stun_rejected: return "stun_rejected";
    case DropReason::dtls_rejected: return "dtls_rejected";
    case DropReason::srtp_not_ready: return "srtp_not_ready";
    case DropReason::srtp_auth_failed: return "srtp_auth_failed";
    case DropReason::srtp_replay: return "srtp_replay";
    case DropReason::srtp_other: return "srtp_other";
    case DropReason::rtp_malformed: return "rtp_malformed";
    case DropReason::rtcp_malformed: return "rtcp_malformed";
    case DropReason::unknown_ssrc: return "unknown_ssrc";
    case DropReason::wrong_direction: return "wrong_direction";
    case DropReason::consent_expired: return "consent_expired";
    case DropReason::send_failed: return "send_failed";
    case DropReason::no_keys_downstream: return "no_keys_downstream";
    case DropReason::test_loss: return "test_loss";
  }
  return "unknown";
}

}  // namespace conclave::sfu
