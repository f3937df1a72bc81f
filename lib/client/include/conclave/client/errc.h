// Errors of the meeting client: why a server message or a local action was
// refused. MLS and policy failures keep their own domains (mls, meeting);
// these cover what lies around them.
#pragma once

#include <string_view>

namespace conclave::client {

enum class Errc {
  invalid_message = 1,  // a field is missing, of the wrong type, or not base64url
  wrong_kind,           // an MLS message of the wrong wire format or content type
  old_epoch,            // a handshake message for an epoch that has ended (a replay)
  future_epoch,         // a handshake message for an epoch we have not reached
  not_member,           // the action needs group membership
  already_member,       // a Welcome while already in the group
  not_host,             // the action needs a host
  bad_application,      // application data that is not a chat message we know
  own_commit,           // a commit signed by our own leaf that we did not send
  name_mismatch,        // a KeyPackage whose identity is not the announced name
  ended,                // the session has ended
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::client
