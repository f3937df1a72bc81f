// a=group (RFC 5888 section 5): media sections that belong together;
// "BUNDLE" (RFC 8843) puts them on one transport. The first mid of a
// BUNDLE group is its tagged m= section.
//   a=group:BUNDLE 0 1 2
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Group {
  static constexpr std::string_view kName = "group";
  static constexpr std::string_view kBundle = "BUNDLE";

  std::string semantics;          // a token; "BUNDLE" compared case-insensitively
  std::vector<std::string> mids;  // tokens, possibly none

  // Errors: invalid_group (syntax or a mid listed twice).
  static Result<Group> parse(std::string_view value);
  std::string serialize() const;
  bool is_bundle() const;
  bool contains(std::string_view mid) const;

  bool operator==(const Group&) const = default;
};

}  // namespace conclave::sdp
