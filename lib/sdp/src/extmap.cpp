#include "conclave/sdp/extmap.h"

#include "syntax.h"

namespace conclave::sdp {

namespace {
constexpr size_t kMaxFields = 16;
}  // namespace

Result<Extmap> Extmap::parse(std::string_view value) {
  auto fields = detail::split_fields(value, kMaxFields);
  if (!fields || fields->size() < 2) return Error(Errc::invalid_extmap, "fields");
  Extmap out;
  std::string_view id = (*fields)[0];
  const size_t slash = id.find('/');
  if (slash != std::string_view::npos) {
    auto dir = direction_from_name(id.substr(slash + 1));
    if (!dir) return Error(Errc::invalid_extmap, "direction");
    out.direction = *dir;
    id = id.substr(0, slash);
  }
  auto n = detail::parse_uint<uint8_t>(id);
  if (!n || *n == 0) return Error(Errc::invalid_extmap, "id");
  out.id = *n;
  if (!detail::is_non_ws((*fields)[1])) return Error(Errc::invalid_extmap, "uri");
  out.uri = std::string((*fields)[1]);
  for (size_t i = 2; i < fields->size(); ++i) {
    if (!out.attributes.empty()) out.attributes += ' ';
    out.attributes += (*fields)[i];
  }
  return out;
}

std::string Extmap::serialize() const {
  std::string out = std::to_string(id);
  if (direction) {
    out += '/';
    out += to_string(*direction);
  }
  out += ' ';
  out += uri;
  if (!attributes.empty()) {
    out += ' ';
    out += attributes;
  }
  return out;
}

}  // namespace conclave::sdp
