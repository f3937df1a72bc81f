// HostKey: the bearer secret that makes a participant a host of a meeting.
// 256 random bits, shown to the creator once as 43 base64url characters and
// stored only as its SHA-256 hash (a slow hash adds nothing for a key with
// this much entropy). Checking compares hashes in constant time.
#pragma once

#include <string>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/secret_bytes.h"

namespace conclave::store {

class HostKey {
 public:
  static constexpr size_t kRandomBytes = 32;

  static HostKey generate();

  // The text to hand to the creator (never logged, never stored).
  const std::string& text() const { return text_; }
  Bytes hash() const { return hash_of(text_); }

  // SHA-256 of the key text as presented by a client.
  static Bytes hash_of(std::string_view text);
  // Constant-time check of a presented key against a stored hash.
  static bool matches(BytesView stored_hash, std::string_view presented);

  HostKey(const HostKey&) = delete;
  HostKey& operator=(const HostKey&) = delete;
  HostKey(HostKey&&) noexcept = default;
  HostKey& operator=(HostKey&&) noexcept = default;
  ~HostKey();

 private:
  explicit HostKey(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace conclave::store
