#include "conclave/crypto/hash.h"

#include <algorithm>
#include <string>

#include "conclave/base/check.h"
#include "openssl_util.h"

namespace conclave::crypto {
namespace {

const char* md_name(HashId id) {
  switch (id) {
    case HashId::sha256:
      return "SHA256";
    case HashId::sha384:
      return "SHA384";
    case HashId::sha512:
      return "SHA512";
    case HashId::sha1:
      return "SHA1";
  }
  CV_CHECK(false);
}

// The digests, fetched once per process.
const EVP_MD* md_for(HashId id) {
  static EVP_MD* const kSha256 = ossl::fetch_md("SHA256");
  static EVP_MD* const kSha384 = ossl::fetch_md("SHA384");
  static EVP_MD* const kSha512 = ossl::fetch_md("SHA512");
  static EVP_MD* const kSha1 = ossl::fetch_md("SHA1");
  switch (id) {
    case HashId::sha256:
      return kSha256;
    case HashId::sha384:
      return kSha384;
    case HashId::sha512:
      return kSha512;
    case HashId::sha1:
      return kSha1;
  }
  CV_CHECK(false);
}

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const kHmac = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    CV_CHECK(mac != nullptr);
    return mac;
  }();
  return kHmac;
}

// OpenSSL reads no key when the pointer is null, so an empty key (a valid
// HMAC key) is passed as a non-null pointer with length zero.
const uint8_t kEmptyKey[1] = {0};

}  // namespace

size_t hash_size(HashId id) {
  switch (id) {
    case HashId::sha256:
      return 32;
    case HashId::sha384:
      return 48;
    case HashId::sha512:
      return 64;
    case HashId::sha1:
      return 20;
  }
  CV_CHECK(false);
}

Bytes hash(HashId id, BytesView data) {
  Bytes out(hash_size(id));
  unsigned int len = 0;
  CV_CHECK(EVP_Digest(data.data(), data.size(), out.data(), &len, md_for(id), nullptr) == 1);
  CV_CHECK(len == out.size());
  return out;
}

// The MAC context is keyed once in create(); compute() re-initialises it
// with EVP_MAC_init(ctx, NULL, 0, NULL), which restarts HMAC with the same
// key without allocating. The context is mutable state behind a const API,
// so one Hmac must not be used from two threads at once.
struct Hmac::Impl {
  HashId id;
  ossl::MacCtxPtr ctx;
};

Hmac::Hmac(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Hmac::Hmac(Hmac&&) noexcept = default;
Hmac& Hmac::operator=(Hmac&&) noexcept = default;
Hmac::~Hmac() = default;

Result<Hmac> Hmac::create(HashId id, BytesView key) {
  if (id != HashId::sha256 && id != HashId::sha384 && id != HashId::sha512 &&
      id != HashId::sha1) {
    return Errc::unsupported;
  }
  ossl::MacCtxPtr ctx(EVP_MAC_CTX_new(hmac_algorithm()));
  if (!ctx) return Errc::backend_failure;
  // The provider copies the name; OSSL_PARAM just wants a non-const pointer.
  char digest[16] = {};
  const char* name = md_name(id);
  std::copy(name, name + std::char_traits<char>::length(name), digest);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  const uint8_t* key_ptr = key.empty() ? kEmptyKey : key.data();
  if (EVP_MAC_init(ctx.get(), key_ptr, key.size(), params) != 1) {
    return Errc::backend_failure;
  }
  return Hmac(std::make_unique<Impl>(Impl{id, std::move(ctx)}));
}

size_t Hmac::size() const { return hash_size(impl_->id); }

Status Hmac::compute(std::initializer_list<BytesView> parts, MutableBytesView out) const {
  size_t n = size();
  if (out.size() < n) return Error(Errc::invalid_length, "hmac output");
  EVP_MAC_CTX* ctx = impl_->ctx.get();
  if (EVP_MAC_init(ctx, nullptr, 0, nullptr) != 1) return Errc::backend_failure;
  for (BytesView p : parts) {
    if (p.empty()) continue;
    if (EVP_MAC_update(ctx, p.data(), p.size()) != 1) return Errc::backend_failure;
  }
  size_t len = 0;
  if (EVP_MAC_final(ctx, out.data(), &len, n) != 1 || len != n) return Errc::backend_failure;
  return ok_status();
}

Bytes hmac(HashId id, BytesView key, BytesView data) {
  auto mac = Hmac::create(id, key);
  CV_CHECK(mac.ok());
  Bytes out(mac->size());
  CV_CHECK(mac->compute({data}, out).ok());
  return out;
}

SecretBytes hkdf_extract(HashId id, BytesView salt, BytesView ikm) {
  Bytes zeros;
  if (salt.empty()) {
    zeros.assign(hash_size(id), 0);
    salt = zeros;
  }
  auto mac = Hmac::create(id, salt);
  CV_CHECK(mac.ok());
  SecretBytes prk(mac->size());
  CV_CHECK(mac->compute({ikm}, prk.mutable_view()).ok());
  return prk;
}

Result<SecretBytes> hkdf_expand(HashId id, BytesView prk, BytesView info, size_t length) {
  const size_t nh = hash_size(id);
  if (length > 255 * nh) return Error(Errc::invalid_length, "hkdf_expand length > 255*Nh");
  CV_TRY(Hmac mac, Hmac::create(id, prk));
  SecretBytes out(length);
  SecretBytes t(nh);
  size_t done = 0;
  for (uint8_t i = 1; done < length; ++i) {
    const uint8_t counter[1] = {i};
    // T(i) = HMAC(PRK, T(i-1) | info | i), with T(0) empty.
    BytesView prev = i == 1 ? BytesView() : t.view();
    CV_TRY_STATUS(mac.compute({prev, info, counter}, t.mutable_view()));
    size_t take = std::min(nh, length - done);
    std::copy_n(t.data(), take, out.data() + done);
    done += take;
  }
  return out;
}

}  // namespace conclave::crypto
