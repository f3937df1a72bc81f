#include "conclave/crypto/dh.h"

#include <openssl/err.h>

#include <optional>

#include "conclave/crypto/random.h"
#include "ec_key.h"
#include "openssl_util.h"

namespace conclave::crypto {

struct DhPublicKey::Impl {
  ossl::PkeyPtr pkey;
};

// raw is the serialized private key exactly as imported (unclamped for
// X25519/X448, as the HPKE test vectors carry it).
struct DhPrivateKey::Impl {
  ossl::PkeyPtr pkey;
  SecretBytes raw;
};

namespace {

std::optional<ossl::EcCurve> ec_curve(DhGroup g) {
  switch (g) {
    case DhGroup::p256:
      return ossl::EcCurve::p256;
    case DhGroup::p384:
      return ossl::EcCurve::p384;
    case DhGroup::p521:
      return ossl::EcCurve::p521;
    case DhGroup::x25519:
    case DhGroup::x448:
      return std::nullopt;
  }
  return std::nullopt;
}

bool known_group(DhGroup g) {
  switch (g) {
    case DhGroup::p256:
    case DhGroup::p384:
    case DhGroup::p521:
    case DhGroup::x25519:
    case DhGroup::x448:
      return true;
  }
  return false;
}

const char* x_name(DhGroup g) { return g == DhGroup::x25519 ? "X25519" : "X448"; }

std::shared_ptr<const DhPublicKey::Impl> public_impl(ossl::PkeyPtr pkey) {
  return std::make_shared<const DhPublicKey::Impl>(DhPublicKey::Impl{std::move(pkey)});
}

// A second reference to the same EVP_PKEY, for the public half of a pair.
ossl::PkeyPtr share(const ossl::PkeyPtr& pkey) {
  CV_CHECK(EVP_PKEY_up_ref(pkey.get()) == 1);
  return ossl::PkeyPtr(pkey.get());
}

}  // namespace

size_t dh_public_key_size(DhGroup g) {
  switch (g) {
    case DhGroup::p256:
      return 65;
    case DhGroup::p384:
      return 97;
    case DhGroup::p521:
      return 133;
    case DhGroup::x25519:
      return 32;
    case DhGroup::x448:
      return 56;
  }
  return 0;
}

size_t dh_private_key_size(DhGroup g) {
  switch (g) {
    case DhGroup::p256:
      return 32;
    case DhGroup::p384:
      return 48;
    case DhGroup::p521:
      return 66;
    case DhGroup::x25519:
      return 32;
    case DhGroup::x448:
      return 56;
  }
  return 0;
}

size_t dh_secret_size(DhGroup g) { return dh_private_key_size(g); }

Result<DhPrivateKey> dh_private_key_from_bytes(DhGroup g, BytesView data) {
  if (!known_group(g)) return Errc::unsupported;
  if (data.size() != dh_private_key_size(g)) return Error(Errc::invalid_key, "dh private key size");
  if (auto curve = ec_curve(g)) {
    CV_TRY(ossl::EcKeyPair pair, ossl::ec_private_key(*curve, data));
    DhPublicKey pub(g, std::move(pair.public_key), public_impl(share(pair.pkey)));
    auto impl = std::make_shared<const DhPrivateKey::Impl>(
        DhPrivateKey::Impl{std::move(pair.pkey), SecretBytes(data)});
    return DhPrivateKey(g, std::move(pub), std::move(impl));
  }
  ossl::PkeyPtr pkey(
      EVP_PKEY_new_raw_private_key_ex(nullptr, x_name(g), nullptr, data.data(), data.size()));
  if (!pkey) {
    ERR_clear_error();
    return Error(Errc::invalid_key, "dh private key import");
  }
  Bytes pub_bytes(dh_public_key_size(g));
  size_t len = pub_bytes.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), pub_bytes.data(), &len) != 1 ||
      len != pub_bytes.size()) {
    return Errc::backend_failure;
  }
  DhPublicKey pub(g, std::move(pub_bytes), public_impl(share(pkey)));
  auto impl = std::make_shared<const DhPrivateKey::Impl>(
      DhPrivateKey::Impl{std::move(pkey), SecretBytes(data)});
  return DhPrivateKey(g, std::move(pub), std::move(impl));
}

Result<DhPrivateKey> dh_generate(DhGroup g) {
  if (!known_group(g)) return Errc::unsupported;
  if (auto curve = ec_curve(g)) {
    SecretBytes scalar = ossl::ec_random_scalar(*curve);
    return dh_private_key_from_bytes(g, scalar.view());
  }
  // Every string is a valid X25519/X448 private key (RFC 7748 clamps it).
  SecretBytes raw(dh_private_key_size(g));
  random_bytes(raw.mutable_view());
  return dh_private_key_from_bytes(g, raw.view());
}

SecretBytes dh_private_key_to_bytes(const DhPrivateKey& key) { return key.impl().raw; }

Result<DhPublicKey> dh_public_key_from_bytes(DhGroup g, BytesView data) {
  if (!known_group(g)) return Errc::unsupported;
  if (data.size() != dh_public_key_size(g)) {
    return Error(Errc::invalid_public_key, "dh public key size");
  }
  if (auto curve = ec_curve(g)) {
    CV_TRY(ossl::PkeyPtr pkey, ossl::ec_public_key(*curve, data));
    return DhPublicKey(g, Bytes(data.begin(), data.end()), public_impl(std::move(pkey)));
  }
  // Any 32/56-byte string is an X25519/X448 public key; low-order points
  // show up as an all-zero shared secret in dh().
  ossl::PkeyPtr pkey(
      EVP_PKEY_new_raw_public_key_ex(nullptr, x_name(g), nullptr, data.data(), data.size()));
  if (!pkey) {
    ERR_clear_error();
    return Error(Errc::invalid_public_key, "dh public key import");
  }
  return DhPublicKey(g, Bytes(data.begin(), data.end()), public_impl(std::move(pkey)));
}

Result<SecretBytes> dh(const DhPrivateKey& sk, const DhPublicKey& pk) {
  if (sk.group() != pk.group()) return Error(Errc::invalid_public_key, "dh group mismatch");
  const size_t n = dh_secret_size(sk.group());
  ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, sk.impl().pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) {
    ERR_clear_error();
    return Errc::backend_failure;
  }
  // The peer was validated on import (on the curve, right size).
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), pk.impl().pkey.get(), 0) != 1) {
    ERR_clear_error();
    return Error(Errc::invalid_public_key, "dh peer");
  }
  SecretBytes secret(n);
  size_t len = n;
  // OpenSSL writes the x-coordinate left-padded to the field size (66 bytes
  // for P-521), and refuses an all-zero X25519/X448 result.
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1) {
    ERR_clear_error();
    return Error(Errc::derive_failed, "dh derive");
  }
  if (len != n) return Errc::backend_failure;
  if (!ec_curve(sk.group())) {
    // RFC 7748 section 6: the all-zero output of a low-order point.
    uint8_t acc = 0;
    for (uint8_t b : secret.view()) acc = static_cast<uint8_t>(acc | b);
    if (acc == 0) return Error(Errc::derive_failed, "dh all-zero result");
  }
  return secret;
}

}  // namespace conclave::crypto
