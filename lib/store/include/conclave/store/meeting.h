// Meeting: one row of the meetings table, as the server sees it. It holds
// no secret: the passcode and the host key are present only as hashes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "conclave/base/bytes.h"
#include "conclave/store/host_key.h"
#include "conclave/store/meeting_id.h"

namespace conclave::store {

struct Meeting {
  MeetingId id;
  int64_t created_at = 0;                    // Unix seconds
  std::optional<std::string> passcode_hash;  // PasscodeHash encoding, or none
  bool waiting_room = true;
  bool locked = false;
  Bytes host_key_hash;  // SHA-256 of the host key text

  bool passcode_required() const { return passcode_hash.has_value(); }
};

// What a creator asks for.
struct NewMeeting {
  std::optional<std::string> passcode;  // none or empty: no passcode
  bool waiting_room = true;
};

// What creation returns: the stored row and the host key, which exists in
// clear only here, to be shown once to the creator.
struct CreatedMeeting {
  Meeting meeting;
  HostKey host_key;
};

}  // namespace conclave::store
