#include "conclave/store/meeting_id.h"

#include <array>

#include "conclave/crypto/random.h"

namespace conclave::store {
namespace {

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

std::string base32(BytesView data) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 31U]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31U]);
  return out;
}

bool is_base32_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

}  // namespace

MeetingId MeetingId::generate() {
  std::array<uint8_t, kRandomBytes> raw{};
  crypto::random_bytes(raw);
  return MeetingId(base32(raw));
}

Result<MeetingId> MeetingId::parse(std::string_view text) {
  if (text.size() != kTextLength) return Error(Errc::invalid_argument, "meeting_id length");
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!is_base32_char(c)) return Error(Errc::invalid_argument, "meeting_id character");
  }
  return MeetingId(std::move(lower));
}

}  // namespace conclave::store
