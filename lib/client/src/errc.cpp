#include "conclave/client/errc.h"

namespace conclave::client {

std::string_view error_domain(Errc) { return "client"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::invalid_message: return "malformed server message";
    case Errc::wrong_kind: return "MLS message of the wrong kind";
    case Errc::old_epoch: return "message of an epoch that has ended";
    case Errc::future_epoch: return "message of an epoch not reached yet";
    case Errc::not_member: return "not a member of the group";
    case Errc::already_member: return "already a member of the group";
    case Errc::not_host: return "only a host may do that";
    case Errc::bad_application: return "application data is not a known message";
    case Errc::own_commit: return "a commit in our name that we did not send";
    case Errc::name_mismatch: return "the KeyPackage identity is not the participant's name";
    case Errc::ended: return "the session has ended";
  }
  return "unknown client error";
}

}  // namespace conclave::client
