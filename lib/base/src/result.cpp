#include "conclave/base/result.h"

namespace conclave {

std::string Error::to_string() const {
  std::string out;
  out.reserve(domain_.size() + message_.size() + detail_.size() + 6);
  out.append(domain_).append(": ").append(message_);
  if (!detail_.empty()) out.append(" (").append(detail_).append(")");
  return out;
}

}  // namespace conclave
