#include "conclave/crypto/aead.h"

#include <algorithm>

#include "conclave/base/check.h"
#include "conclave/base/secret_bytes.h"
#include "openssl_util.h"

namespace conclave::crypto {
namespace {

constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

// The ciphers, fetched once per process.
const EVP_CIPHER* aead_cipher(AeadId id) {
  static EVP_CIPHER* const kAes128Gcm = ossl::fetch_cipher("AES-128-GCM");
  static EVP_CIPHER* const kAes256Gcm = ossl::fetch_cipher("AES-256-GCM");
  static EVP_CIPHER* const kChaCha = ossl::fetch_cipher("ChaCha20-Poly1305");
  switch (id) {
    case AeadId::aes_128_gcm:
      return kAes128Gcm;
    case AeadId::aes_256_gcm:
      return kAes256Gcm;
    case AeadId::chacha20_poly1305:
      return kChaCha;
  }
  CV_CHECK(false);
}

const EVP_CIPHER* ctr_cipher(size_t key_size) {
  static EVP_CIPHER* const kAes128Ctr = ossl::fetch_cipher("AES-128-CTR");
  static EVP_CIPHER* const kAes256Ctr = ossl::fetch_cipher("AES-256-CTR");
  return key_size == 16 ? kAes128Ctr : kAes256Ctr;
}

bool known_aead(AeadId id) {
  return id == AeadId::aes_128_gcm || id == AeadId::aes_256_gcm ||
         id == AeadId::chacha20_poly1305;
}

// Feeds the additional data pieces; empty pieces are skipped (OpenSSL treats
// a zero-length update differently across modes).
bool update_aad(EVP_CIPHER_CTX* ctx, const Aad& aad) {
  int len = 0;
  for (BytesView a : {aad.first, aad.second}) {
    if (a.empty()) continue;
    if (EVP_CipherUpdate(ctx, nullptr, &len, a.data(), static_cast<int>(a.size())) != 1) {
      return false;
    }
  }
  return true;
}

}  // namespace

size_t aead_key_size(AeadId id) {
  switch (id) {
    case AeadId::aes_128_gcm:
      return 16;
    case AeadId::aes_256_gcm:
    case AeadId::chacha20_poly1305:
      return 32;
  }
  return 0;  // not an AEAD we implement; create() reports Errc::unsupported
}

size_t aead_nonce_size(AeadId) { return kNonceSize; }
size_t aead_tag_size(AeadId) { return kTagSize; }

// Two contexts, because the direction is fixed when the key is set: each is
// keyed once in create(), and seal/open only install the nonce. The contexts
// are mutable state behind a const API: an Aead is not thread-safe (use one
// per thread or stream, as the single-threaded workers do).
struct Aead::Impl {
  ossl::CipherCtxPtr seal;
  ossl::CipherCtxPtr open;
};

Aead::Aead(AeadId id, std::unique_ptr<Impl> impl) : id_(id), impl_(std::move(impl)) {}
Aead::Aead(Aead&&) noexcept = default;
Aead& Aead::operator=(Aead&&) noexcept = default;
Aead::~Aead() = default;

Result<Aead> Aead::create(AeadId id, BytesView key) {
  if (!known_aead(id)) return Errc::unsupported;
  if (key.size() != aead_key_size(id)) return Error(Errc::invalid_key, "aead key size");
  const EVP_CIPHER* cipher = aead_cipher(id);
  auto impl = std::make_unique<Impl>();
  impl->seal.reset(EVP_CIPHER_CTX_new());
  impl->open.reset(EVP_CIPHER_CTX_new());
  if (!impl->seal || !impl->open) return Errc::backend_failure;
  if (EVP_EncryptInit_ex2(impl->seal.get(), cipher, key.data(), nullptr, nullptr) != 1 ||
      EVP_DecryptInit_ex2(impl->open.get(), cipher, key.data(), nullptr, nullptr) != 1) {
    return Errc::backend_failure;
  }
  return Aead(id, std::move(impl));
}

Result<size_t> Aead::seal(BytesView nonce, Aad aad, BytesView pt, MutableBytesView out) const {
  if (nonce.size() != kNonceSize) return Error(Errc::invalid_length, "aead nonce");
  if (pt.size() > static_cast<size_t>(INT_MAX) - kTagSize || !ossl::fits_int(aad.first.size()) ||
      !ossl::fits_int(aad.second.size())) {
    return Error(Errc::invalid_length, "aead input too long");
  }
  if (out.size() < pt.size() + kTagSize) return Error(Errc::invalid_length, "aead output");
  EVP_CIPHER_CTX* ctx = impl_->seal.get();
  if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) != 1) {
    return Errc::backend_failure;
  }
  if (!update_aad(ctx, aad)) return Errc::backend_failure;
  int len = 0;
  size_t written = 0;
  if (!pt.empty()) {
    if (EVP_EncryptUpdate(ctx, out.data(), &len, pt.data(), static_cast<int>(pt.size())) != 1) {
      return Errc::backend_failure;
    }
    written = static_cast<size_t>(len);
  }
  if (EVP_EncryptFinal_ex(ctx, out.data() + written, &len) != 1) return Errc::backend_failure;
  written += static_cast<size_t>(len);
  if (written != pt.size()) return Errc::backend_failure;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagSize),
                          out.data() + written) != 1) {
    return Errc::backend_failure;
  }
  return written + kTagSize;
}

Result<size_t> Aead::open(BytesView nonce, Aad aad, BytesView ct, MutableBytesView out) const {
  if (nonce.size() != kNonceSize) return Error(Errc::invalid_length, "aead nonce");
  if (ct.size() < kTagSize) return Error(Errc::invalid_length, "aead ciphertext shorter than tag");
  if (!ossl::fits_int(ct.size()) || !ossl::fits_int(aad.first.size()) ||
      !ossl::fits_int(aad.second.size())) {
    return Error(Errc::invalid_length, "aead input too long");
  }
  const size_t n = ct.size() - kTagSize;
  if (out.size() < n) return Error(Errc::invalid_length, "aead output");
  // Copy the tag first: with in-place use the plaintext overwrites ct.
  uint8_t tag[kTagSize];
  std::copy_n(ct.data() + n, kTagSize, tag);
  EVP_CIPHER_CTX* ctx = impl_->open.get();
  if (EVP_DecryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    return Errc::backend_failure;
  }
  if (!update_aad(ctx, aad)) return Errc::backend_failure;
  int len = 0;
  size_t written = 0;
  if (n > 0) {
    if (EVP_DecryptUpdate(ctx, out.data(), &len, ct.data(), static_cast<int>(n)) != 1) {
      return Errc::backend_failure;
    }
    written = static_cast<size_t>(len);
  }
  if (EVP_DecryptFinal_ex(ctx, out.data() + written, &len) != 1) {
    // Unauthenticated plaintext must not survive in the caller's buffer.
    secure_wipe(out.first(n));
    return Errc::decrypt_failed;
  }
  written += static_cast<size_t>(len);
  if (written != n) return Errc::backend_failure;
  return written;
}

Result<Bytes> Aead::seal(BytesView nonce, Aad aad, BytesView pt) const {
  Bytes out(pt.size() + kTagSize);
  CV_TRY(size_t n, seal(nonce, aad, pt, MutableBytesView(out)));
  out.resize(n);
  return out;
}

Result<Bytes> Aead::open(BytesView nonce, Aad aad, BytesView ct) const {
  Bytes out(ct.size() >= kTagSize ? ct.size() - kTagSize : 0);
  CV_TRY(size_t n, open(nonce, aad, ct, MutableBytesView(out)));
  out.resize(n);
  return out;
}

// AES-CTR: one encryption context keyed once; apply() installs the counter
// block as IV, which also resets the keystream position. Not thread-safe,
// like Aead.
struct AesCtr::Impl {
  ossl::CipherCtxPtr ctx;
};

AesCtr::AesCtr(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AesCtr::AesCtr(AesCtr&&) noexcept = default;
AesCtr& AesCtr::operator=(AesCtr&&) noexcept = default;
AesCtr::~AesCtr() = default;

Result<AesCtr> AesCtr::create(BytesView key) {
  if (key.size() != 16 && key.size() != 32) return Error(Errc::invalid_key, "aes-ctr key size");
  auto impl = std::make_unique<Impl>();
  impl->ctx.reset(EVP_CIPHER_CTX_new());
  if (!impl->ctx) return Errc::backend_failure;
  if (EVP_EncryptInit_ex2(impl->ctx.get(), ctr_cipher(key.size()), key.data(), nullptr,
                          nullptr) != 1) {
    return Errc::backend_failure;
  }
  return AesCtr(std::move(impl));
}

Status AesCtr::apply(BytesView counter_block, BytesView in, MutableBytesView out) const {
  if (counter_block.size() != 16) return Error(Errc::invalid_length, "aes-ctr counter block");
  if (out.size() < in.size()) return Error(Errc::invalid_length, "aes-ctr output");
  if (!ossl::fits_int(in.size())) return Error(Errc::invalid_length, "aes-ctr input too long");
  EVP_CIPHER_CTX* ctx = impl_->ctx.get();
  if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, counter_block.data(), nullptr) != 1) {
    return Errc::backend_failure;
  }
  if (in.empty()) return ok_status();
  int len = 0;
  if (EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
      static_cast<size_t>(len) != in.size()) {
    return Errc::backend_failure;
  }
  return ok_status();
}

}  // namespace conclave::crypto
