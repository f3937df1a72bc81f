// MeetingId: the unguessable name of a meeting. 120 random bits from the
// crypto DRBG, written as 24 characters of lowercase RFC 4648 base32
// ("a"-"z", "2"-"7"), which survives URLs, copy-paste and reading aloud.
// parse() accepts upper or lower case and rejects everything else, so a
// peer-supplied ID is validated before it reaches the database.
#pragma once

#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/store/errc.h"

namespace conclave::store {

class MeetingId {
 public:
  static constexpr size_t kRandomBytes = 15;  // 120 bits
  static constexpr size_t kTextLength = 24;   // 15 bytes in base32, no padding

  static MeetingId generate();
  static Result<MeetingId> parse(std::string_view text);

  const std::string& str() const { return text_; }
  friend bool operator==(const MeetingId&, const MeetingId&) = default;
  friend auto operator<=>(const MeetingId&, const MeetingId&) = default;

 private:
  explicit MeetingId(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace conclave::store
