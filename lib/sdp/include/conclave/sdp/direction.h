// The media direction attributes (RFC 8866 section 6.7): a=sendrecv,
// a=sendonly, a=recvonly, a=inactive. A section without one is sendrecv.
#pragma once

#include <optional>
#include <string_view>

namespace conclave::sdp {

enum class Direction { sendrecv, sendonly, recvonly, inactive };

// "sendrecv", ... ; the attribute name of d.
std::string_view to_string(Direction d);
// The direction an attribute name stands for, or nullopt.
std::optional<Direction> direction_from_name(std::string_view name);
// The direction seen from the other side: sendonly <-> recvonly.
Direction reverse(Direction d);
bool sends(Direction d);
bool receives(Direction d);

}  // namespace conclave::sdp
