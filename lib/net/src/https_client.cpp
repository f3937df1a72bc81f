#include "conclave/net/https_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>

#include "pinned_tls.h"

namespace conclave::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr size_t kMaxResponseBody = 1024 * 1024;

bool is_ip_literal(const std::string& host) {
  error_code ec;
  (void)asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

Result<HttpsUrl> HttpsUrl::parse(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme)) return Error(Errc::invalid_argument, "URL must start https://");
  url.remove_prefix(kScheme.size());
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  HttpsUrl out;
  out.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return Error(Errc::invalid_argument, "URL host");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {  // [::1]:8443
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Error(Errc::invalid_argument, "URL host");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Error(Errc::invalid_argument, "URL port");
      port = rest.substr(1);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return Error(Errc::invalid_argument, "URL port");
  }
  if (host.empty()) return Error(Errc::invalid_argument, "URL host");
  out.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return Error(Errc::invalid_argument, "URL port");
    }
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

Result<HttpResponse> HttpsClient::request(const HttpRequest& request) const {
  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  auto pin = std::make_shared<detail::PinState>(detail::PinState{endpoint_.pinned, false});
  if (detail::make_pinned_context(ctx, pin)) return Errc::tls_setup_failed;
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!is_ip_literal(endpoint_.host)) {
    // SSL_set_tlsext_host_name() is a macro with a C cast; this is its body.
    SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(endpoint_.host.c_str()));
  }
  auto deadline = std::chrono::steady_clock::now() + endpoint_.timeout;
  beast::get_lowest_layer(stream).expires_at(deadline);

  bool done = false;
  error_code ec;
  auto step = [&](auto start) -> Status {
    done = false;
    start();
    if (!detail::run_until(ioc, done, deadline + std::chrono::seconds(1))) return Errc::timeout;
    if (ec == beast::error::timeout) return Errc::timeout;
    return {};
  };

  tcp::resolver resolver(ioc);
  tcp::resolver::results_type endpoints;
  CV_TRY_STATUS(step([&] {
    resolver.async_resolve(endpoint_.host, std::to_string(endpoint_.port),
                           [&](error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                             done = true;
                           });
  }));
  if (ec) return Error(Errc::connect_failed, "resolve");
  CV_TRY_STATUS(step([&] {
    beast::get_lowest_layer(stream).async_connect(endpoints, [&](error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
  }));
  if (ec) return Error(Errc::connect_failed, "connect");
  CV_TRY_STATUS(step([&] {
    stream.async_handshake(asio::ssl::stream_base::client, [&](error_code e) {
      ec = e;
      done = true;
    });
  }));
  if (pin->mismatch) return Errc::fingerprint_mismatch;
  if (ec) return Error(Errc::handshake_failed, "TLS");

  http::request<http::string_body> req(http::string_to_verb(request.method), request.target, 11);
  if (req.method() == http::verb::unknown) return Error(Errc::invalid_argument, "method");
  req.set(http::field::host, endpoint_.host + ":" + std::to_string(endpoint_.port));
  req.set(http::field::user_agent, "conclave");
  for (const auto& [k, v] : request.headers) req.set(k, v);
  if (!request.body.empty() && request.header("content-type").empty()) {
    req.set(http::field::content_type, "application/json");
  }
  req.body() = request.body;
  req.keep_alive(false);
  req.prepare_payload();
  CV_TRY_STATUS(step([&] {
    http::async_write(stream, req, [&](error_code e, size_t) {
      ec = e;
      done = true;
    });
  }));
  if (ec) return Error(Errc::io_error, "write");

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  CV_TRY_STATUS(step([&] {
    http::async_read(stream, buffer, parser, [&](error_code e, size_t) {
      ec = e;
      done = true;
    });
  }));
  if (ec == http::error::body_limit) return Errc::message_too_large;
  if (ec) return Error(Errc::io_error, "read");
  auto res = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[http::field::content_type]);
  for (const auto& field : res) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(res.body());
  // Best-effort TLS close; the answer is already complete.
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
  done = false;
  stream.async_shutdown([&](error_code) { done = true; });
  (void)detail::run_until(ioc, done, std::chrono::steady_clock::now() + std::chrono::seconds(2));
  return out;
}

}  // namespace conclave::net
