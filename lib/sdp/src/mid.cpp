#include "conclave/sdp/mid.h"

#include "syntax.h"

namespace conclave::sdp {

Status validate_mid(std::string_view mid) {
  if (mid.size() > kMaxMidSize || !detail::is_token(mid)) return Error(Errc::invalid_mid, "token");
  return ok_status();
}

}  // namespace conclave::sdp
