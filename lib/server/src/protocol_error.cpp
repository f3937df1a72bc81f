#include "conclave/server/protocol_error.h"

namespace conclave::server {

std::string_view code_name(ProtocolError e) {
  switch (e) {
    case ProtocolError::malformed: return "malformed";
    case ProtocolError::unsupported_version: return "unsupported_version";
    case ProtocolError::too_large: return "too_large";
    case ProtocolError::unknown_type: return "unknown_type";
    case ProtocolError::invalid_field: return "invalid_field";
    case ProtocolError::out_of_order: return "out_of_order";
    case ProtocolError::not_found: return "not_found";
    case ProtocolError::passcode_required: return "passcode_required";
    case ProtocolError::bad_passcode: return "bad_passcode";
    case ProtocolError::bad_host_key: return "bad_host_key";
    case ProtocolError::rate_limited: return "rate_limited";
    case ProtocolError::forbidden: return "forbidden";
    case ProtocolError::meeting_locked: return "meeting_locked";
    case ProtocolError::meeting_full: return "meeting_full";
    case ProtocolError::unknown_participant: return "unknown_participant";
    case ProtocolError::not_implemented: return "not_implemented";
    case ProtocolError::internal: return "internal";
    case ProtocolError::not_member: return "not_member";
    case ProtocolError::stale_commit: return "stale_commit";
    case ProtocolError::invalid_commit: return "invalid_commit";
    case ProtocolError::invalid_proposal: return "invalid_proposal";
    case ProtocolError::invalid_message: return "invalid_message";
    case ProtocolError::policy_violation: return "policy_violation";
    case ProtocolError::no_group: return "no_group";
    case ProtocolError::bad_resume_token: return "bad_resume_token";
    case ProtocolError::invalid_sdp: return "invalid_sdp";
    case ProtocolError::media_unavailable: return "media_unavailable";
  }
  return "internal";
}

std::string_view default_message(ProtocolError e) {
  switch (e) {
    case ProtocolError::malformed: return "message is not a JSON object";
    case ProtocolError::unsupported_version: return "unsupported protocol version";
    case ProtocolError::too_large: return "message too large";
    case ProtocolError::unknown_type: return "unknown message type";
    case ProtocolError::invalid_field: return "missing or invalid field";
    case ProtocolError::out_of_order: return "message not allowed now";
    case ProtocolError::not_found: return "no such meeting";
    case ProtocolError::passcode_required: return "this meeting needs a passcode";
    case ProtocolError::bad_passcode: return "wrong passcode";
    case ProtocolError::bad_host_key: return "wrong host key";
    case ProtocolError::rate_limited: return "too many attempts; try again later";
    case ProtocolError::forbidden: return "only a host may do that";
    case ProtocolError::meeting_locked: return "the meeting is locked";
    case ProtocolError::meeting_full: return "the meeting is full";
    case ProtocolError::unknown_participant: return "no such participant in the lobby";
    case ProtocolError::not_implemented: return "reserved for a later protocol version";
    case ProtocolError::internal: return "internal server error";
    case ProtocolError::not_member: return "only members of the group may do that";
    case ProtocolError::stale_commit: return "the commit's epoch has ended";
    case ProtocolError::invalid_commit: return "the commit was refused";
    case ProtocolError::invalid_proposal: return "the proposal was refused";
    case ProtocolError::invalid_message: return "not an MLS message of the expected kind";
    case ProtocolError::policy_violation: return "the meeting policy forbids that";
    case ProtocolError::no_group: return "the meeting has no group yet";
    case ProtocolError::bad_resume_token: return "unknown or expired resume token";
    case ProtocolError::invalid_sdp: return "the SDP offer or answer was refused";
    case ProtocolError::media_unavailable: return "this server has no media port";
  }
  return "internal server error";
}

}  // namespace conclave::server
