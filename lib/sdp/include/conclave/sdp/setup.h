// a=setup (RFC 4145, RFC 8842): the DTLS role. An offer says actpass; the
// answer picks active (DTLS client) or passive (DTLS server). Conclave's
// SFU is always the DTLS server: it answers passive and, in its own offers,
// expects the participant to answer active.
#pragma once

#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

enum class Setup { actpass, active, passive, holdconn };

// Errors: invalid_setup.
Result<Setup> parse_setup(std::string_view value);
std::string_view to_string(Setup s);

}  // namespace conclave::sdp
