#include "conclave/crypto/signature.h"

#include <openssl/err.h>

#include <algorithm>
#include <optional>

#include "conclave/crypto/random.h"
#include "ec_key.h"
#include "openssl_util.h"

namespace conclave::crypto {

struct SignaturePublicKey::Impl {
  ossl::PkeyPtr pkey;
};

// raw is the serialized private key: the EdDSA seed or the ECDSA scalar
// padded to the field size.
struct SignaturePrivateKey::Impl {
  ossl::PkeyPtr pkey;
  SecretBytes raw;
};

namespace {

struct SchemeInfo {
  const char* key_type;  // EdDSA key type name, or nullptr for ECDSA
  const char* digest;    // ECDSA digest name, or nullptr for EdDSA
  ossl::EcCurve curve;   // ECDSA only
  size_t private_size;
  size_t public_size;
};

std::optional<SchemeInfo> scheme_info(SignatureScheme s) {
  switch (s) {
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return SchemeInfo{nullptr, "SHA256", ossl::EcCurve::p256, 32, 65};
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return SchemeInfo{nullptr, "SHA384", ossl::EcCurve::p384, 48, 97};
    case SignatureScheme::ecdsa_secp521r1_sha512:
      return SchemeInfo{nullptr, "SHA512", ossl::EcCurve::p521, 66, 133};
    case SignatureScheme::ed25519:
      return SchemeInfo{"ED25519", nullptr, ossl::EcCurve::p256, 32, 32};
    case SignatureScheme::ed448:
      return SchemeInfo{"ED448", nullptr, ossl::EcCurve::p256, 57, 57};
  }
  return std::nullopt;
}

std::shared_ptr<const SignaturePublicKey::Impl> public_impl(ossl::PkeyPtr pkey) {
  return std::make_shared<const SignaturePublicKey::Impl>(
      SignaturePublicKey::Impl{std::move(pkey)});
}

ossl::PkeyPtr share(const ossl::PkeyPtr& pkey) {
  CV_CHECK(EVP_PKEY_up_ref(pkey.get()) == 1);
  return ossl::PkeyPtr(pkey.get());
}

// OpenSSL is handed a non-null pointer even for an empty message.
const uint8_t kEmpty[1] = {0};
const uint8_t* data_or_empty(BytesView v) { return v.empty() ? kEmpty : v.data(); }

Result<SignaturePrivateKey> ecdsa_private_key(SignatureScheme s, const SchemeInfo& info,
                                              BytesView data) {
  // Some encoders drop leading zero bytes of the scalar (MLS vectors carry
  // 65-byte P-521 keys): left-pad to the field size.
  if (data.size() > info.private_size) return Error(Errc::invalid_key, "ecdsa scalar too long");
  SecretBytes scalar(info.private_size);
  std::copy(data.begin(), data.end(), scalar.data() + (info.private_size - data.size()));
  CV_TRY(ossl::EcKeyPair pair, ossl::ec_private_key(info.curve, scalar.view()));
  SignaturePublicKey pub(s, std::move(pair.public_key), public_impl(share(pair.pkey)));
  auto impl = std::make_shared<const SignaturePrivateKey::Impl>(
      SignaturePrivateKey::Impl{std::move(pair.pkey), std::move(scalar)});
  return SignaturePrivateKey(s, std::move(pub), std::move(impl));
}

Result<SignaturePrivateKey> eddsa_private_key(SignatureScheme s, const SchemeInfo& info,
                                              BytesView data) {
  if (data.size() != info.private_size) return Error(Errc::invalid_key, "eddsa seed size");
  ossl::PkeyPtr pkey(
      EVP_PKEY_new_raw_private_key_ex(nullptr, info.key_type, nullptr, data.data(), data.size()));
  if (!pkey) {
    ERR_clear_error();
    return Error(Errc::invalid_key, "eddsa private key import");
  }
  Bytes pub_bytes(info.public_size);
  size_t len = pub_bytes.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), pub_bytes.data(), &len) != 1 ||
      len != pub_bytes.size()) {
    return Errc::backend_failure;
  }
  SignaturePublicKey pub(s, std::move(pub_bytes), public_impl(share(pkey)));
  auto impl = std::make_shared<const SignaturePrivateKey::Impl>(
      SignaturePrivateKey::Impl{std::move(pkey), SecretBytes(data)});
  return SignaturePrivateKey(s, std::move(pub), std::move(impl));
}

}  // namespace

Result<SignaturePrivateKey> signature_private_key_from_bytes(SignatureScheme s, BytesView data) {
  auto info = scheme_info(s);
  if (!info) return Errc::unsupported;
  if (info->key_type == nullptr) return ecdsa_private_key(s, *info, data);
  return eddsa_private_key(s, *info, data);
}

Result<SignaturePrivateKey> signature_generate(SignatureScheme s) {
  auto info = scheme_info(s);
  if (!info) return Errc::unsupported;
  if (info->key_type == nullptr) {
    SecretBytes scalar = ossl::ec_random_scalar(info->curve);
    return ecdsa_private_key(s, *info, scalar.view());
  }
  SecretBytes seed(info->private_size);
  random_bytes(seed.mutable_view());
  return eddsa_private_key(s, *info, seed.view());
}

SecretBytes signature_private_key_to_bytes(const SignaturePrivateKey& key) {
  return key.impl().raw;
}

Result<SignaturePublicKey> signature_public_key_from_bytes(SignatureScheme s, BytesView data) {
  auto info = scheme_info(s);
  if (!info) return Errc::unsupported;
  if (data.size() != info->public_size) {
    return Error(Errc::invalid_public_key, "signature public key size");
  }
  if (info->key_type == nullptr) {
    CV_TRY(ossl::PkeyPtr pkey, ossl::ec_public_key(info->curve, data));
    return SignaturePublicKey(s, Bytes(data.begin(), data.end()), public_impl(std::move(pkey)));
  }
  // EdDSA points are decoded (and invalid ones rejected) by verify().
  ossl::PkeyPtr pkey(
      EVP_PKEY_new_raw_public_key_ex(nullptr, info->key_type, nullptr, data.data(), data.size()));
  if (!pkey) {
    ERR_clear_error();
    return Error(Errc::invalid_public_key, "eddsa public key import");
  }
  return SignaturePublicKey(s, Bytes(data.begin(), data.end()), public_impl(std::move(pkey)));
}

Result<Bytes> sign(const SignaturePrivateKey& key, BytesView message) {
  auto info = scheme_info(key.scheme());
  if (!info) return Errc::unsupported;
  EVP_PKEY* pkey = key.impl().pkey.get();
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  // EdDSA signs the message itself (no digest name); ECDSA hashes with the
  // scheme's digest and emits a DER-encoded ECDSA-Sig-Value.
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, info->digest, nullptr, nullptr, pkey,
                                    nullptr) != 1) {
    ERR_clear_error();
    return Errc::backend_failure;
  }
  const int max_size = EVP_PKEY_get_size(pkey);
  if (max_size <= 0) return Errc::backend_failure;
  Bytes sig(static_cast<size_t>(max_size));
  size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data_or_empty(message), message.size()) != 1) {
    ERR_clear_error();
    return Errc::backend_failure;
  }
  sig.resize(len);
  return sig;
}

Status verify(const SignaturePublicKey& key, BytesView message, BytesView signature) {
  auto info = scheme_info(key.scheme());
  if (!info) return Errc::unsupported;
  if (signature.empty()) return Error(Errc::verify_failed, "empty signature");
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, info->digest, nullptr, nullptr,
                                      key.impl().pkey.get(), nullptr) != 1) {
    ERR_clear_error();
    return Errc::backend_failure;
  }
  // 1 is a valid signature; 0 a wrong one; negative values a malformed one
  // (bad DER, wrong length, invalid point). All but 1 are a failed check.
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                  data_or_empty(message), message.size());
  if (rc != 1) {
    ERR_clear_error();
    return Errc::verify_failed;
  }
  return ok_status();
}

}  // namespace conclave::crypto
