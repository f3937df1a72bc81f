#include "conclave/net/srtp_key_derivation.h"

#include <array>

#include "conclave/crypto/aead.h"
#include "conclave/net/srtp_session.h"

namespace conclave::net {
namespace {

constexpr size_t kPrfSaltSize = 14;
constexpr size_t kLabelByte = 7;  // the label's byte in the 112-bit salt
constexpr size_t kMaxKeyLength = 32;

}  // namespace

Result<SecretBytes> SrtpKeyDerivation::derive_key(BytesView master_key, BytesView master_salt,
                                                  uint8_t label, size_t length) {
  if (master_key.size() != 16 || (master_salt.size() != 14 && master_salt.size() != 12)) {
    return SrtpErrc::invalid_key;
  }
  if (length > kMaxKeyLength) return Error(SrtpErrc::setup_failed, "session key length");
  auto prf = crypto::AesCtr::create(master_key);
  if (!prf.ok()) return Error(SrtpErrc::setup_failed, "AES-CM PRF");
  std::array<uint8_t, 16> iv{};
  std::copy(master_salt.begin(), master_salt.end(), iv.begin());
  static_assert(kLabelByte < kPrfSaltSize);
  iv[kLabelByte] ^= label;
  const std::array<uint8_t, kMaxKeyLength> zeros{};
  SecretBytes key(length);
  if (!prf->apply(iv, BytesView(zeros).first(length), key.mutable_view()).ok()) {
    return Error(SrtpErrc::setup_failed, "AES-CM PRF");
  }
  return key;
}

Result<SrtpSessionKeys> SrtpKeyDerivation::derive(SrtpProfile profile, const SecretBytes& master) {
  if (profile != SrtpProfile::aes128_cm_sha1_80 && profile != SrtpProfile::aead_aes_128_gcm) {
    return Error(SrtpErrc::setup_failed, "profile");
  }
  if (master.size() != srtp_master_length(profile)) return SrtpErrc::invalid_key;
  const BytesView key = master.view().first(srtp_master_key_length(profile));
  const BytesView salt = master.view().subspan(srtp_master_key_length(profile));
  const bool gcm = profile == SrtpProfile::aead_aes_128_gcm;
  const size_t salt_length = gcm ? 12 : 14;
  constexpr size_t kEncryptionLength = 16;
  constexpr size_t kAuthLength = 20;  // HMAC-SHA1 key (RFC 3711 section 8.2)

  SrtpSessionKeys keys;
  CV_TRY(keys.rtp_encryption, derive_key(key, salt, 0, kEncryptionLength));
  CV_TRY(keys.rtp_salt, derive_key(key, salt, 2, salt_length));
  CV_TRY(keys.rtcp_encryption, derive_key(key, salt, 3, kEncryptionLength));
  CV_TRY(keys.rtcp_salt, derive_key(key, salt, 5, salt_length));
  if (!gcm) {
    CV_TRY(keys.rtp_auth, derive_key(key, salt, 1, kAuthLength));
    CV_TRY(keys.rtcp_auth, derive_key(key, salt, 4, kAuthLength));
  }
  return keys;
}

}  // namespace conclave::net
