#include "conclave/sframe/frame_cipher.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "conclave/base/secret_bytes.h"

namespace conclave::sframe {
namespace {

constexpr size_t kCounterBlockSize = 16;
constexpr size_t kMaxHashSize = 64;

// Provider errors that are not about the input become crypto_failure; the
// provider's message is kept as the detail.
Error from_crypto(const Error& e) { return Error(Errc::crypto_failure, e.message()); }

}  // namespace

FrameCipher::FrameCipher(const CipherSuite& suite, std::optional<crypto::Aead> gcm,
                         std::optional<crypto::AesCtr> ctr, std::optional<crypto::Hmac> hmac)
    : suite_(&suite), gcm_(std::move(gcm)), ctr_(std::move(ctr)), hmac_(std::move(hmac)) {}

Result<FrameCipher> FrameCipher::create(const CipherSuite& suite, BytesView key) {
  // Keep a pointer into the static suite table, never to a caller's copy.
  const CipherSuite& s = CipherSuite::get(suite.id);
  if (key.size() != s.nk) return Error(Errc::invalid_key, "AEAD key size is not Nk");
  if (!s.is_ctr_hmac()) {
    const auto id = s.nk == 16 ? crypto::AeadId::aes_128_gcm : crypto::AeadId::aes_256_gcm;
    auto aead = crypto::Aead::create(id, key);
    if (!aead.ok()) return from_crypto(aead.error());
    return FrameCipher(s, std::move(aead).value(), std::nullopt, std::nullopt);
  }
  // derive_subkeys: enc_key = key[..Nka], auth_key = key[Nka..].
  auto ctr = crypto::AesCtr::create(key.first(s.nka));
  if (!ctr.ok()) return from_crypto(ctr.error());
  auto hmac = crypto::Hmac::create(s.hash, key.subspan(s.nka));
  if (!hmac.ok()) return from_crypto(hmac.error());
  return FrameCipher(s, std::nullopt, std::move(ctr).value(), std::move(hmac).value());
}

Status FrameCipher::ctr_hmac_tag(BytesView nonce, crypto::Aad aad, BytesView ct,
                                 MutableBytesView tag) const {
  // aad_len || ct_len || tag_len, each an 8-byte big-endian integer.
  std::array<uint8_t, 24> lengths;
  put_be(MutableBytesView(lengths).subspan(0, 8), aad.first.size() + aad.second.size());
  put_be(MutableBytesView(lengths).subspan(8, 8), ct.size());
  put_be(MutableBytesView(lengths).subspan(16, 8), suite_->nt);
  std::array<uint8_t, kMaxHashSize> mac;
  if (auto s = hmac_->compute({lengths, nonce, aad.first, aad.second, ct}, mac); !s.ok()) {
    return from_crypto(s.error());
  }
  std::copy_n(mac.begin(), suite_->nt, tag.begin());
  secure_wipe(mac);
  return ok_status();
}

Result<size_t> FrameCipher::seal(BytesView nonce, crypto::Aad aad, BytesView pt,
                                 MutableBytesView out) const {
  // Errors in the caller's sizes are reported before the provider runs.
  const size_t nt = suite_->nt;
  if (nonce.size() != suite_->nn) return Error(Errc::invalid_parameter, "nonce size");
  if (out.size() < pt.size() + nt) return Errc::buffer_too_small;
  if (gcm_) {
    auto n = gcm_->seal(nonce, aad, pt, out);
    if (!n.ok()) return from_crypto(n.error());
    return *n;
  }
  std::array<uint8_t, kCounterBlockSize> counter{};
  std::copy(nonce.begin(), nonce.end(), counter.begin());
  MutableBytesView ct = out.first(pt.size());
  if (auto s = ctr_->apply(counter, pt, ct); !s.ok()) return from_crypto(s.error());
  CV_TRY_STATUS(ctr_hmac_tag(nonce, aad, ct, out.subspan(pt.size(), nt)));
  return pt.size() + nt;
}

Result<size_t> FrameCipher::open(BytesView nonce, crypto::Aad aad, BytesView ct,
                                 MutableBytesView out) const {
  const size_t nt = suite_->nt;
  if (ct.size() < nt) return Errc::ciphertext_too_short;
  const size_t n = ct.size() - nt;
  if (nonce.size() != suite_->nn) return Error(Errc::invalid_parameter, "nonce size");
  if (out.size() < n) return Errc::buffer_too_small;
  if (gcm_) {
    auto r = gcm_->open(nonce, aad, ct, out);
    if (r.ok()) return *r;
    if (r.error().is(crypto::Errc::decrypt_failed)) {
      // The provider may have written unauthenticated plaintext.
      secure_wipe(out.first(n));
      return Errc::authentication_failed;
    }
    return from_crypto(r.error());
  }
  // Encrypt-then-MAC: authenticate first, decrypt only a genuine frame.
  BytesView inner = ct.first(n);
  std::array<uint8_t, CipherSuite::kMaxTagSize> expected;
  CV_TRY_STATUS(ctr_hmac_tag(nonce, aad, inner, MutableBytesView(expected).first(nt)));
  if (!constant_time_equal(BytesView(expected).first(nt), ct.subspan(n))) {
    return Errc::authentication_failed;
  }
  std::array<uint8_t, kCounterBlockSize> counter{};
  std::copy(nonce.begin(), nonce.end(), counter.begin());
  if (auto s = ctr_->apply(counter, inner, out.first(n)); !s.ok()) return from_crypto(s.error());
  return n;
}

}  // namespace conclave::sframe
