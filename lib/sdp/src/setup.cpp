#include "conclave/sdp/setup.h"

namespace conclave::sdp {

Result<Setup> parse_setup(std::string_view value) {
  if (value == "actpass") return Setup::actpass;
  if (value == "active") return Setup::active;
  if (value == "passive") return Setup::passive;
  if (value == "holdconn") return Setup::holdconn;
  return Error(Errc::invalid_setup, "role");
}

std::string_view to_string(Setup s) {
  switch (s) {
    case Setup::actpass:
      return "actpass";
    case Setup::active:
      return "active";
    case Setup::passive:
      return "passive";
    case Setup::holdconn:
      return "holdconn";
  }
  return "holdconn";
}

}  // namespace conclave::sdp
