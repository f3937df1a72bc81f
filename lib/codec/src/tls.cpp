#include "conclave/codec/tls.h"

namespace conclave::codec::detail {

std::string_view field_name(std::string_view names, size_t index) {
  // `names` is the stringized CV_TLS_FIELDS list: identifiers separated by
  // commas and single spaces.
  for (size_t i = 0; i < index; ++i) {
    const size_t comma = names.find(',');
    if (comma == std::string_view::npos) return {};
    names.remove_prefix(comma + 1);
  }
  names = names.substr(0, names.find(','));
  while (!names.empty() && names.front() == ' ') names.remove_prefix(1);
  while (!names.empty() && names.back() == ' ') names.remove_suffix(1);
  return names;
}

Error name_field(const Error& error, std::string_view names, size_t index) {
  if (!error.detail().empty() || error.domain() != error_domain(Errc{})) return error;
  return Error(static_cast<Errc>(error.code()), field_name(names, index));
}

}  // namespace conclave::codec::detail
