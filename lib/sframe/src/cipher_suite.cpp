#include "conclave/sframe/cipher_suite.h"

namespace conclave::sframe {
namespace {

using crypto::HashId;
using Id = CipherSuiteId;

constexpr std::array<CipherSuite, 8> kSuites = {{
    {Id::aes_128_ctr_hmac_sha256_80, "AES_128_CTR_HMAC_SHA256_80", HashId::sha256, 32, 16, 48, 12, 10},
    {Id::aes_128_ctr_hmac_sha256_64, "AES_128_CTR_HMAC_SHA256_64", HashId::sha256, 32, 16, 48, 12, 8},
    {Id::aes_128_ctr_hmac_sha256_32, "AES_128_CTR_HMAC_SHA256_32", HashId::sha256, 32, 16, 48, 12, 4},
    {Id::aes_128_gcm_sha256_128, "AES_128_GCM_SHA256_128", HashId::sha256, 32, 0, 16, 12, 16},
    {Id::aes_256_gcm_sha512_128, "AES_256_GCM_SHA512_128", HashId::sha512, 64, 0, 32, 12, 16},
    {Id::aes_256_ctr_hmac_sha512_80, "AES_256_CTR_HMAC_SHA512_80", HashId::sha512, 64, 32, 96, 12, 10},
    {Id::aes_256_ctr_hmac_sha512_64, "AES_256_CTR_HMAC_SHA512_64", HashId::sha512, 64, 32, 96, 12, 8},
    {Id::aes_256_ctr_hmac_sha512_32, "AES_256_CTR_HMAC_SHA512_32", HashId::sha512, 64, 32, 96, 12, 4},
}};

// The table is indexed by code point - 1, and every row is consistent.
constexpr bool table_is_consistent() {
  for (size_t i = 0; i < kSuites.size(); ++i) {
    const CipherSuite& s = kSuites[i];
    if (static_cast<size_t>(s.id) != i + 1) return false;
    if (s.nn != CipherSuite::kNonceSize || s.nt > CipherSuite::kMaxTagSize) return false;
    if (s.nka != 0 && s.nk != s.nka + s.nh) return false;
  }
  return true;
}
static_assert(table_is_consistent());

}  // namespace

const std::array<CipherSuite, 8>& CipherSuite::all() { return kSuites; }

const CipherSuite& CipherSuite::get(CipherSuiteId id) {
  const auto index = static_cast<size_t>(id) - 1;
  CV_CHECK(index < kSuites.size());
  return kSuites[index];
}

Result<CipherSuite> CipherSuite::from_code_point(uint16_t code_point) {
  if (code_point == 0 || code_point > kSuites.size()) return Errc::invalid_cipher_suite;
  return kSuites[code_point - 1U];
}

}  // namespace conclave::sframe
