// Errors of lib/sfu's control operations (the data path drops with a
// DropReason instead).
#pragma once

#include <string_view>

namespace conclave::sfu {

enum class Errc {
  invalid_argument = 1,  // an argument out of range or inconsistent
  unknown_transport,     // no transport with this ID
  duplicate_transport,   // the ID or ICE ufrag is in use
  unknown_track,         // no such published track
  duplicate_ssrc,        // the SSRC is already used in the meeting
  transport_failed,      // DTLS or SRTP setup failed
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::sfu
