#include "conclave/meeting/security_code.h"

#include <cstdio>

#include "conclave/crypto/hash.h"

namespace conclave::meeting {

std::string security_code(BytesView epoch_authenticator) {
  static constexpr std::string_view kLabel = "conclave security code v1";
  Bytes input(kLabel.begin(), kLabel.end());
  input.insert(input.end(), epoch_authenticator.begin(), epoch_authenticator.end());
  Bytes digest = crypto::hash(crypto::HashId::sha256, input);
  std::string code;
  for (size_t half = 0; half < 2; ++half) {
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i) value = (value << 8) | digest[half * 8 + i];
    value %= 10'000'000'000ULL;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%05llu %05llu",
                  static_cast<unsigned long long>(value / 100'000),
                  static_cast<unsigned long long>(value % 100'000));
    if (!code.empty()) code += ' ';
    code += buffer;
  }
  return code;
}

}  // namespace conclave::meeting
