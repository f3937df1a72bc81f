// Private to lib/net: the client side of TLS with a pinned certificate and
// a helper that runs one asynchronous operation to completion with a
// deadline. Included only by the Beast translation units.
#pragma once

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <memory>

#include "conclave/net/errc.h"
#include "conclave/net/fingerprint.h"

namespace conclave::net::detail {

struct PinState {
  Fingerprint pinned;
  bool mismatch = false;
};

// A TLS 1.2+ client context that accepts exactly the certificate whose
// SHA-256 fingerprint is pinned (the leaf; chain elements above it are not
// trusted for anything, only the leaf key is).
inline boost::system::error_code make_pinned_context(boost::asio::ssl::context& ctx,
                                                     const std::shared_ptr<PinState>& pin) {
  boost::system::error_code ec;
  ctx.set_options(boost::asio::ssl::context::default_workarounds |
                      boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                      boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1,
                  ec);
  if (ec) return ec;
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.set_verify_mode(boost::asio::ssl::verify_peer, ec);
  if (ec) return ec;
  ctx.set_verify_callback(
      [pin](bool, boost::asio::ssl::verify_context& vc) {
        X509_STORE_CTX* store = vc.native_handle();
        if (X509_STORE_CTX_get_error_depth(store) > 0) return true;
        X509* cert = X509_STORE_CTX_get_current_cert(store);
        if (cert == nullptr) return false;
        unsigned char* der = nullptr;
        int n = i2d_X509(cert, &der);
        if (n <= 0) return false;
        Fingerprint got = Fingerprint::of_der({der, static_cast<size_t>(n)});
        OPENSSL_free(der);
        if (got == pin->pinned) return true;
        pin->mismatch = true;
        return false;
      },
      ec);
  return ec;
}

// Runs the io_context until `done` or the deadline; returns false on timeout.
inline bool run_until(boost::asio::io_context& ioc, const bool& done,
                      std::chrono::steady_clock::time_point deadline) {
  while (!done) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(deadline - now);
  }
  return true;
}

}  // namespace conclave::net::detail
