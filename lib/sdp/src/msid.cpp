#include "conclave/sdp/msid.h"

#include "syntax.h"

namespace conclave::sdp {

bool Msid::is_valid_id(std::string_view id) {
  return id.size() <= kMaxIdSize && detail::is_token(id);
}

Result<Msid> Msid::parse(std::string_view value) {
  auto fields = detail::split_fields(value, 2);
  if (!fields || fields->empty()) return Error(Errc::invalid_msid, "fields");
  if (!is_valid_id((*fields)[0])) return Error(Errc::invalid_msid, "msid-id");
  Msid out;
  out.stream_id = std::string((*fields)[0]);
  if (fields->size() == 2) {
    if (!is_valid_id((*fields)[1])) return Error(Errc::invalid_msid, "msid-appdata");
    out.track_id = std::string((*fields)[1]);
  }
  return out;
}

std::string Msid::serialize() const {
  return track_id.empty() ? stream_id : stream_id + " " + track_id;
}

}  // namespace conclave::sdp
