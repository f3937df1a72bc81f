// ProtocolError: the `code` of a signaling error reply and of a REST error
// body. The names are part of the wire protocol (docs/protocol.md): never
// rename one, only add.
#pragma once

#include <string_view>

namespace conclave::server {

enum class ProtocolError {
  malformed,            // not a JSON object, binary frame, nested too deep
  unsupported_version,  // "v" is not 1
  too_large,            // message over the size limit
  unknown_type,         // "type" names no message
  invalid_field,        // a field is missing or has the wrong type or size
  out_of_order,         // the message is not allowed in this state
  not_found,            // no such meeting
  passcode_required,    // the meeting has a passcode and none was given
  bad_passcode,         // the passcode is wrong
  bad_host_key,         // the host key is wrong
  rate_limited,         // too many failed attempts; retry later
  forbidden,            // only a host may do that
  meeting_locked,       // the meeting is locked: nobody new gets in
  meeting_full,         // the participant limit is reached
  unknown_participant,  // no such participant in this meeting's lobby
  not_implemented,      // a reserved message type (none today)
  internal,             // the server failed; nothing changed
  // The MLS delivery service.
  not_member,           // a member-only message from a non-member
  stale_commit,         // the commit's epoch has ended
  invalid_commit,       // the public group view refused the commit, or no Welcome
  invalid_proposal,     // the public group view refused the proposal
  invalid_message,      // an MLS payload that does not decode or is of the wrong kind
  policy_violation,     // the commit or proposal breaks the meeting policy
  no_group,             // the meeting has no group yet
  bad_resume_token,     // the resume token is unknown, expired or of another meeting
  // Media (the SFU).
  invalid_sdp,          // the SDP offer or answer was refused (message says why)
  media_unavailable,    // the server runs without a media port
};

std::string_view code_name(ProtocolError e);
std::string_view default_message(ProtocolError e);

}  // namespace conclave::server
