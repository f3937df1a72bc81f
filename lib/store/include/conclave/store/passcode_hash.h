// PasscodeHash: meeting passcodes are stored only as a salted scrypt hash
// (RFC 7914) in a self-describing text form:
//
//   $scrypt$ln=15,r=8,p=3$<salt, base64url>$<32-byte hash, base64url>
//
// The default cost (N = 2^15, r = 8, p = 3: 32 MiB, the OWASP-recommended
// work factor) is recorded in each hash, so raising it later leaves old
// hashes verifiable. verify() recomputes with the stored parameters (bounded,
// so a corrupt row cannot make it allocate without limit) and compares in
// constant time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/store/errc.h"

namespace conclave::store {

struct ScryptParams {
  uint8_t log2_n = 15;
  uint32_t r = 8;
  uint32_t p = 3;
};

class PasscodeHash {
 public:
  static constexpr size_t kSaltBytes = 16;
  static constexpr size_t kHashBytes = 32;
  static constexpr size_t kMaxPasscodeBytes = 128;
  // Upper bounds accepted when reading a stored hash.
  static constexpr uint8_t kMaxLog2N = 20;
  static constexpr uint32_t kMaxR = 32;
  static constexpr uint32_t kMaxP = 16;

  // Hashes `passcode` (1..kMaxPasscodeBytes bytes) with a fresh random salt.
  static Result<std::string> hash(std::string_view passcode, ScryptParams params = {});

  // True when `passcode` matches the encoded hash; false for a mismatch and
  // for an encoding that does not parse.
  static bool verify(std::string_view encoded, std::string_view passcode);
};

}  // namespace conclave::store
