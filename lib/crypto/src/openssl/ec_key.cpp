#include "ec_key.h"

#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "conclave/crypto/random.h"

namespace conclave::crypto::ossl {
namespace {

struct CurveInfo {
  const char* group_name;
  size_t scalar_size;
  const EC_GROUP* group;
};

EC_GROUP* new_group(int nid) {
  EC_GROUP* g = EC_GROUP_new_by_curve_name(nid);
  CV_CHECK(g != nullptr);
  return g;
}

// The groups are built once per process and only read afterwards.
const CurveInfo& info(EcCurve c) {
  static const CurveInfo kP256{"P-256", 32, new_group(NID_X9_62_prime256v1)};
  static const CurveInfo kP384{"P-384", 48, new_group(NID_secp384r1)};
  static const CurveInfo kP521{"P-521", 66, new_group(NID_secp521r1)};
  switch (c) {
    case EcCurve::p256:
      return kP256;
    case EcCurve::p384:
      return kP384;
    case EcCurve::p521:
      return kP521;
  }
  CV_CHECK(false);
}

// EVP_PKEY_fromdata over a parameter list; selection is EVP_PKEY_KEYPAIR or
// EVP_PKEY_PUBLIC_KEY.
PkeyPtr pkey_from_params(OSSL_PARAM_BLD* bld, int selection) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  if (!params) return nullptr;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* pkey = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) != 1) return nullptr;
  return PkeyPtr(pkey);
}

}  // namespace

size_t ec_scalar_size(EcCurve c) { return info(c).scalar_size; }
size_t ec_point_size(EcCurve c) { return 1 + 2 * info(c).scalar_size; }

Result<EcKeyPair> ec_private_key(EcCurve c, BytesView scalar) {
  const CurveInfo& ci = info(c);
  if (scalar.size() != ci.scalar_size) return Error(Errc::invalid_key, "ec scalar size");
  BnPtr d(BN_secure_new());
  if (!d) return Errc::backend_failure;
  BN_set_flags(d.get(), BN_FLG_CONSTTIME);
  if (BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr) {
    return Errc::backend_failure;
  }
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(ci.group)) >= 0) {
    return Error(Errc::invalid_key, "ec scalar out of range");
  }
  BnCtxPtr bn_ctx(BN_CTX_secure_new());
  EcPointPtr q(EC_POINT_new(ci.group));
  if (!bn_ctx || !q ||
      EC_POINT_mul(ci.group, q.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1) {
    ERR_clear_error();
    return Errc::backend_failure;
  }
  Bytes pub(1 + 2 * ci.scalar_size);
  if (EC_POINT_point2oct(ci.group, q.get(), POINT_CONVERSION_UNCOMPRESSED, pub.data(), pub.size(),
                         bn_ctx.get()) != pub.size()) {
    return Errc::backend_failure;
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, ci.group_name, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                       pub.size()) != 1) {
    return Errc::backend_failure;
  }
  PkeyPtr pkey = pkey_from_params(bld.get(), EVP_PKEY_KEYPAIR);
  if (!pkey) {
    ERR_clear_error();
    return Errc::backend_failure;
  }
  return EcKeyPair{std::move(pkey), std::move(pub)};
}

Result<PkeyPtr> ec_public_key(EcCurve c, BytesView point) {
  const CurveInfo& ci = info(c);
  if (point.size() != 1 + 2 * ci.scalar_size || point[0] != 0x04) {
    return Error(Errc::invalid_public_key, "ec point encoding");
  }
  // oct2point rejects coordinates not below p and points off the curve; the
  // explicit check keeps that guarantee independent of OpenSSL internals.
  EcPointPtr q(EC_POINT_new(ci.group));
  if (!q) return Errc::backend_failure;
  if (EC_POINT_oct2point(ci.group, q.get(), point.data(), point.size(), nullptr) != 1 ||
      EC_POINT_is_at_infinity(ci.group, q.get()) == 1 ||
      EC_POINT_is_on_curve(ci.group, q.get(), nullptr) != 1) {
    ERR_clear_error();
    return Error(Errc::invalid_public_key, "ec point not on curve");
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, ci.group_name, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Errc::backend_failure;
  }
  PkeyPtr pkey = pkey_from_params(bld.get(), EVP_PKEY_PUBLIC_KEY);
  if (!pkey) {
    ERR_clear_error();
    return Error(Errc::invalid_public_key, "ec public key import");
  }
  return pkey;
}

SecretBytes ec_random_scalar(EcCurve c) {
  const CurveInfo& ci = info(c);
  const BIGNUM* order = EC_GROUP_get0_order(ci.group);
  // Keep only as many top bits as the order has, then reject out-of-range
  // draws: at most a few iterations on average for these curves.
  const int order_bits = BN_num_bits(order);
  const int excess_bits = static_cast<int>(ci.scalar_size * 8) - order_bits;
  const auto top_mask = static_cast<uint8_t>(0xff >> excess_bits);
  SecretBytes scalar(ci.scalar_size);
  BnPtr d(BN_secure_new());
  CV_CHECK(d != nullptr);
  for (;;) {
    random_bytes(scalar.mutable_view());
    scalar.data()[0] &= top_mask;
    CV_CHECK(BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) != nullptr);
    if (!BN_is_zero(d.get()) && BN_cmp(d.get(), order) < 0) return scalar;
  }
}

}  // namespace conclave::crypto::ossl
