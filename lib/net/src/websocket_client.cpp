#include "conclave/net/websocket_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <optional>

#include "pinned_tls.h"

namespace conclave::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

}  // namespace

struct WebSocketClient::Impl {
  Impl() : ctx(asio::ssl::context::tls_client) {}
  ~Impl() {
    // Let pending operations finish (aborted) before the stream goes away.
    if (ws_holder) {
      error_code ignored;
      beast::get_lowest_layer(*ws_holder).socket().close(ignored);
      ioc.restart();
      ioc.run_for(std::chrono::milliseconds(500));
    }
  }

  asio::io_context ioc;
  asio::ssl::context ctx;
  // Created only once ctx is fully configured: OpenSSL copies the verify
  // mode and callback into each connection when it is created.
  std::optional<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws_holder;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>>* ws_ptr = nullptr;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>>& ws_ref() { return *ws_ptr; }
  std::chrono::milliseconds timeout{10000};
  beast::flat_buffer buffer;
  bool read_pending = false;
  bool read_done = false;
  error_code read_ec;
  bool closed = false;
  uint16_t close_code = 0;

  // Runs one operation started by `start(done, ec)` with a deadline.
  template <class Start>
  Result<error_code> step(Start start, Clock::duration timeout_for) {
    bool done = false;
    error_code ec;
    start(done, ec);
    if (!detail::run_until(ioc, done, Clock::now() + timeout_for)) {
      // Abandon the connection: close the socket and let the handler run.
      error_code ignored;
      beast::get_lowest_layer(ws_ref()).socket().close(ignored);
      (void)detail::run_until(ioc, done, Clock::now() + std::chrono::seconds(2));
      closed = true;
      return Errc::timeout;
    }
    return ec;
  }
};

WebSocketClient::WebSocketClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebSocketClient::~WebSocketClient() = default;

Result<std::unique_ptr<WebSocketClient>> WebSocketClient::connect(const ServerEndpoint& endpoint,
                                                                  std::string_view path) {
  auto impl = std::make_unique<Impl>();
  impl->timeout = endpoint.timeout;
  auto pin = std::make_shared<detail::PinState>(detail::PinState{endpoint.pinned, false});
  if (detail::make_pinned_context(impl->ctx, pin)) return Errc::tls_setup_failed;
  impl->ws_holder.emplace(impl->ioc, impl->ctx);
  impl->ws_ptr = &*impl->ws_holder;
  auto& ws = impl->ws_ref();

  tcp::resolver resolver(impl->ioc);
  tcp::resolver::results_type endpoints;
  CV_TRY(error_code ec, impl->step(
                            [&](bool& done, error_code& e) {
                              resolver.async_resolve(
                                  endpoint.host, std::to_string(endpoint.port),
                                  [&](error_code r, tcp::resolver::results_type res) {
                                    e = r;
                                    endpoints = std::move(res);
                                    done = true;
                                  });
                            },
                            endpoint.timeout));
  if (ec) return Error(Errc::connect_failed, "resolve");
  CV_TRY(ec, impl->step(
                 [&](bool& done, error_code& e) {
                   beast::get_lowest_layer(ws).async_connect(
                       endpoints, [&](error_code r, const tcp::endpoint&) {
                         e = r;
                         done = true;
                       });
                 },
                 endpoint.timeout));
  if (ec) return Error(Errc::connect_failed, "connect");
  CV_TRY(ec, impl->step(
                 [&](bool& done, error_code& e) {
                   ws.next_layer().async_handshake(asio::ssl::stream_base::client,
                                                   [&](error_code r) {
                                                     e = r;
                                                     done = true;
                                                   });
                 },
                 endpoint.timeout));
  if (pin->mismatch) return Errc::fingerprint_mismatch;
  if (ec) return Error(Errc::handshake_failed, "TLS");
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  ws.read_message_max(16 * 1024 * 1024);
  std::string host = endpoint.host + ":" + std::to_string(endpoint.port);
  std::string target(path);
  CV_TRY(ec, impl->step(
                 [&](bool& done, error_code& e) {
                   ws.async_handshake(host, target, [&](error_code r) {
                     e = r;
                     done = true;
                   });
                 },
                 endpoint.timeout));
  if (ec) return Error(Errc::handshake_failed, "WebSocket");
  return std::unique_ptr<WebSocketClient>(new WebSocketClient(std::move(impl)));
}

Status WebSocketClient::send(std::string_view text) {
  if (impl_->closed) return Errc::closed;
  impl_->ws_ref().text(true);
  CV_TRY(error_code ec, impl_->step(
                            [&](bool& done, error_code& e) {
                              impl_->ws_ref().async_write(asio::buffer(text.data(), text.size()),
                                                    [&](error_code r, size_t) {
                                                      e = r;
                                                      done = true;
                                                    });
                            },
                            impl_->timeout));
  if (ec) return Error(Errc::io_error, "write");
  return {};
}

Status WebSocketClient::send_binary(BytesView data) {
  if (impl_->closed) return Errc::closed;
  impl_->ws_ref().binary(true);
  CV_TRY(error_code ec, impl_->step(
                            [&](bool& done, error_code& e) {
                              impl_->ws_ref().async_write(asio::buffer(data.data(), data.size()),
                                                    [&](error_code r, size_t) {
                                                      e = r;
                                                      done = true;
                                                    });
                            },
                            impl_->timeout));
  impl_->ws_ref().text(true);
  if (ec) return Error(Errc::io_error, "write");
  return {};
}

Result<std::string> WebSocketClient::receive(std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  if (s.closed && !s.read_done) return Errc::closed;
  if (!s.read_pending && !s.read_done) {
    s.read_pending = true;
    s.ws_ref().async_read(s.buffer, [&s](error_code ec, size_t) {
      s.read_ec = ec;
      s.read_done = true;
      s.read_pending = false;
    });
  }
  if (!detail::run_until(s.ioc, s.read_done, Clock::now() + timeout)) return Errc::timeout;
  s.read_done = false;
  if (s.read_ec) {
    s.closed = true;
    if (s.read_ec == websocket::error::closed) {
      s.close_code = static_cast<uint16_t>(s.ws_ref().reason().code);
      return Errc::closed;
    }
    return Error(Errc::closed, "connection lost");
  }
  std::string out = beast::buffers_to_string(s.buffer.data());
  s.buffer.consume(s.buffer.size());
  return out;
}

uint16_t WebSocketClient::close_code() const { return impl_->close_code; }

void WebSocketClient::close() {
  Impl& s = *impl_;
  if (s.closed) return;
  s.closed = true;
  bool done = false;
  s.ws_ref().async_close(websocket::close_code::normal, [&done](error_code) { done = true; });
  // A pending read completes with `closed` once the server answers.
  (void)detail::run_until(s.ioc, done, Clock::now() + std::chrono::seconds(2));
  error_code ignored;
  beast::get_lowest_layer(s.ws_ref()).socket().close(ignored);
}

}  // namespace conclave::net
