// The offer/answer engine behind negotiation.h. Both transports have the
// same shape: one side offers m= sections that send, the other answers
// recvonly. Publish and subscribe differ only in who is the SFU, which the
// Role says. Private to lib/sdp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/negotiation.h"

namespace conclave::sdp::detail {

// Who runs the function: the SFU (ICE-lite, DTLS server, no transport-cc
// downstream) or a participant's native client (full ICE, DTLS client).
enum class Role { sfu, client };

struct ReceiveAnswer {
  SessionDescription answer;
  TransportParams remote;
  std::vector<NegotiatedTrack> tracks;
  std::vector<std::string> rejected_mids;
  bool extmap_allow_mixed = false;
};

// Answers an offer whose m= sections send to the local side.
Result<ReceiveAnswer> answer_receive_offer(const SessionDescription& offer,
                                           const TransportParams& local, Role role);

// Builds an offer of sendonly (or inactive) m= sections.
SessionDescription build_send_offer(const TransportParams& local,
                                    std::span<const SubscribeTrack> tracks,
                                    uint64_t session_version, Role role);

struct SendAnswerInfo {
  TransportParams remote;
  std::vector<NegotiatedTrack> tracks;
  std::vector<std::string> rejected_mids;
  bool extmap_allow_mixed = false;
};

// Checks the answer to build_send_offer.
Result<SendAnswerInfo> parse_send_answer(const SessionDescription& offer,
                                         const SessionDescription& answer, Role role);

}  // namespace conclave::sdp::detail
