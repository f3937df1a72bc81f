// Internal helpers of the OpenSSL 3 backend: owning pointers for OpenSSL
// objects, algorithm fetching once per process, and size conversions.
// Nothing outside src/openssl/ includes this header.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <climits>
#include <cstddef>
#include <memory>

#include "conclave/base/check.h"

namespace conclave::crypto::ossl {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using CipherCtxPtr =
    std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX, EVP_MAC_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX, BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

// Sizes handed to OpenSSL's int-typed length parameters. Callers check
// fits_int() on attacker-influenced sizes first; to_int() is for sizes we
// have already bounded.
inline bool fits_int(size_t n) { return n <= static_cast<size_t>(INT_MAX); }
inline int to_int(size_t n) {
  CV_CHECK(fits_int(n));
  return static_cast<int>(n);
}

// Algorithm fetches, done once per process and kept for its lifetime (the
// function-local statics in the .cpp files hold them). A failed fetch means
// the OpenSSL installation lacks a default-provider algorithm: that is an
// environment bug, not bad input, so it aborts.
inline EVP_CIPHER* fetch_cipher(const char* name) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  CV_CHECK(c != nullptr);
  return c;
}
inline EVP_MD* fetch_md(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  CV_CHECK(md != nullptr);
  return md;
}

}  // namespace conclave::crypto::ossl
