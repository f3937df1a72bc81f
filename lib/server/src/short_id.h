// The first characters of a meeting ID, enough to correlate log lines
// without writing whole meeting IDs (they admit entry) into logs.
#pragma once

#include <string>
#include <string_view>

namespace conclave::server {

inline std::string short_id(std::string_view id) { return std::string(id.substr(0, 6)) + "…"; }

}  // namespace conclave::server
