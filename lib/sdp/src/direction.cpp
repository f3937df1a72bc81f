#include "conclave/sdp/direction.h"

namespace conclave::sdp {

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::sendrecv:
      return "sendrecv";
    case Direction::sendonly:
      return "sendonly";
    case Direction::recvonly:
      return "recvonly";
    case Direction::inactive:
      return "inactive";
  }
  return "inactive";
}

std::optional<Direction> direction_from_name(std::string_view name) {
  if (name == "sendrecv") return Direction::sendrecv;
  if (name == "sendonly") return Direction::sendonly;
  if (name == "recvonly") return Direction::recvonly;
  if (name == "inactive") return Direction::inactive;
  return std::nullopt;
}

Direction reverse(Direction d) {
  switch (d) {
    case Direction::sendonly:
      return Direction::recvonly;
    case Direction::recvonly:
      return Direction::sendonly;
    case Direction::sendrecv:
    case Direction::inactive:
      return d;
  }
  return d;
}

bool sends(Direction d) {
  return d == Direction::sendrecv || d == Direction::sendonly;
}
bool receives(Direction d) {
  return d == Direction::sendrecv || d == Direction::recvonly;
}

}  // namespace conclave::sdp
