#include "conclave/sframe/key_derivation.h"

#include <string_view>

#include "conclave/base/check.h"
#include "conclave/crypto/hash.h"

namespace conclave::sframe {
namespace {

constexpr std::string_view kKeyLabel = "SFrame 1.0 Secret key ";
constexpr std::string_view kSaltLabel = "SFrame 1.0 Secret salt ";
constexpr std::string_view kRatchetLabel = "SFrame 1.0 Ratchet";

// prefix || KID (8 bytes BE) || cipher_suite (2 bytes BE)
Bytes label(std::string_view prefix, const CipherSuite& suite, uint64_t kid) {
  Bytes out = to_bytes(prefix);
  const size_t n = out.size();
  out.resize(n + 10);
  put_be(MutableBytesView(out).subspan(n, 8), kid);
  put_be(MutableBytesView(out).subspan(n + 8, 2), suite.code_point());
  return out;
}

// HKDF-Expand with lengths we chose (Nk, Nn, Nh <= 255 * Nh) cannot fail
// for input reasons; a failure is the provider's.
Result<SecretBytes> expand(crypto::HashId hash, BytesView prk, BytesView info, size_t length) {
  auto r = crypto::hkdf_expand(hash, prk, info, length);
  if (!r.ok()) return Error(Errc::crypto_failure, r.error().message());
  return std::move(r).value();
}

}  // namespace

Bytes KeyDerivation::key_label(const CipherSuite& suite, uint64_t kid) {
  return label(kKeyLabel, suite, kid);
}

Bytes KeyDerivation::salt_label(const CipherSuite& suite, uint64_t kid) {
  return label(kSaltLabel, suite, kid);
}

Result<KeyDerivation> KeyDerivation::derive(const CipherSuite& suite, uint64_t kid,
                                            BytesView base_key) {
  if (base_key.empty()) return Error(Errc::invalid_key, "empty base_key");
  KeyDerivation d;
  d.sframe_secret = crypto::hkdf_extract(suite.hash, {}, base_key);
  CV_TRY(d.sframe_key, expand(suite.hash, d.sframe_secret.view(), key_label(suite, kid), suite.nk));
  CV_TRY(d.sframe_salt,
         expand(suite.hash, d.sframe_secret.view(), salt_label(suite, kid), suite.nn));
  return d;
}

Result<SecretBytes> ratchet_base_key(const CipherSuite& suite, BytesView base_key) {
  if (base_key.empty()) return Error(Errc::invalid_key, "empty base_key");
  SecretBytes prk = crypto::hkdf_extract(suite.hash, {}, base_key);
  return expand(suite.hash, prk.view(), as_bytes(kRatchetLabel), suite.nh);
}

}  // namespace conclave::sframe
