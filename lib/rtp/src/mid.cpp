#include "conclave/rtp/mid.h"

#include <algorithm>

namespace conclave::rtp {
namespace {

bool token_char(uint8_t c) { return c >= 0x21 && c <= 0x7e; }

}  // namespace

Result<std::string_view> Mid::parse(BytesView data) {
  if (data.empty()) return Error(Errc::invalid_length, "empty MID");
  if (!std::all_of(data.begin(), data.end(), token_char)) return Error(Errc::invalid_value, "MID");
  return std::string_view(reinterpret_cast<const char*>(data.data()), data.size());  // NOLINT
}

Result<Bytes> Mid::serialize(std::string_view mid) {
  const BytesView b = as_bytes(mid);
  if (b.empty() || b.size() > kMaxSize || !std::all_of(b.begin(), b.end(), token_char)) {
    return Error(Errc::invalid_argument, "MID");
  }
  return Bytes(b.begin(), b.end());
}

}  // namespace conclave::rtp
