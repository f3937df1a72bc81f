// HTTPS + WSS listener over Boost.Beast. Everything runs on one io_context
// thread; sessions are reference-counted by their pending operations.
#include "conclave/net/https_server.h"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <unordered_map>
#include <vector>

namespace conclave::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr uint32_t kMaxHeaderBytes = 16 * 1024;
constexpr std::string_view kServerName = "conclave";

}  // namespace

class HttpSession;
class WsSession;

// Handlers queued in `ioc` refer to Impl by plain pointer: Impl owns ioc, so
// it outlives every handler that can run, and no handler keeps Impl alive
// (a server destroyed without ever running leaks nothing).
struct HttpsServer::Impl {
  Impl(const HttpsServerOptions& o, HttpHandler h, WebSocketHandler& w)
      : options(o), http_handler(std::move(h)), ws_handler(w) {}

  void do_accept();
  void begin_stop();
  void session_ended();
  size_t open_sessions() const { return http_sessions.size() + ws_sessions.size(); }

  asio::io_context ioc{1};
  ssl::context tls{ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  asio::steady_timer shutdown_timer{ioc};
  HttpsServerOptions options;
  HttpHandler http_handler;
  WebSocketHandler& ws_handler;
  uint16_t bound_port = 0;
  uint64_t next_id = 1;
  bool stopping = false;
  std::unordered_map<uint64_t, std::weak_ptr<HttpSession>> http_sessions;
  std::unordered_map<uint64_t, std::weak_ptr<WsSession>> ws_sessions;
  // every(): periodic tasks, cancelled by begin_stop().
  struct Periodic {
    asio::steady_timer timer;
    std::chrono::milliseconds period;
    std::function<void()> task;
  };
  std::vector<std::unique_ptr<Periodic>> periodic;
  void arm(Periodic& p);
};

void HttpsServer::Impl::arm(Periodic& p) {
  p.timer.expires_after(p.period);
  p.timer.async_wait([self = this, &p](error_code ec) {
    if (ec || self->stopping) return;
    p.task();
    self->arm(p);
  });
}

namespace {

std::string peer_address(const tcp::socket& socket) {
  error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6()).to_string();
  }
  return addr.to_string();
}

}  // namespace

// A WebSocket connection after the upgrade.
class WsSession final : public WebSocketConnection, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(TlsStream&& stream, HttpsServer::Impl& server, uint64_t id, std::string address)
      : ws_(std::move(stream)), server_(server), id_(id), address_(std::move(address)) {}

  uint64_t id() const override { return id_; }
  const std::string& remote_address() const override { return address_; }

  void send(std::string text) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), t = std::move(text)]() mutable {
      self->enqueue(std::move(t));
    });
  }

  void close(CloseCode code) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), code] { self->request_close(code); });
  }

  void start(http::request<http::string_body> req) {
    req_ = std::move(req);
    beast::get_lowest_layer(ws_).expires_never();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.handshake_timeout =
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(server_.options.handshake_timeout);
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(http::field::server, kServerName);
    }));
    ws_.read_message_max(server_.options.max_websocket_message_bytes);
    ws_.async_accept(req_, [self = shared_from_this()](error_code ec) { self->on_accept(ec); });
  }

  // Called by the server on shutdown.
  void shutdown() { request_close(CloseCode::going_away); }

 private:
  void on_accept(error_code ec) {
    if (ec) {
      spdlog::debug("websocket handshake from {} failed: {}", address_, ec.message());
      finish();
      return;
    }
    opened_ = true;
    server_.ws_sessions[id_] = weak_from_this();
    server_.ws_handler.on_websocket_open(shared_from_this());
    if (server_.stopping) request_close(CloseCode::going_away);
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, size_t) {
      self->on_read(ec);
    });
  }

  void on_read(error_code ec) {
    if (ec) {
      if (ec == websocket::error::message_too_big) {
        spdlog::info("websocket {} from {}: message over {} bytes, closing", id_, address_,
                     server_.options.max_websocket_message_bytes);
      } else if (ec != websocket::error::closed) {
        spdlog::debug("websocket {} read ended: {}", id_, ec.message());
      }
      finish();
      return;
    }
    std::string data = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!closed_) {
      server_.ws_handler.on_websocket_message(*this, WebSocketMessage{data, ws_.got_binary()});
    }
    do_read();
  }

  void enqueue(std::string text) {
    if (closed_ || close_requested_) return;
    if (queue_.size() >= server_.options.max_send_queue_messages) {
      spdlog::warn("websocket {} from {}: send queue full, disconnecting", id_, address_);
      abort();
      return;
    }
    queue_.push_back(std::move(text));
    if (!writing_) do_write();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = shared_from_this()](error_code ec, size_t) { self->on_write(ec); });
  }

  void on_write(error_code ec) {
    writing_ = false;
    if (closed_) {
      queue_.clear();
      return;
    }
    if (ec) {
      spdlog::debug("websocket {} write failed: {}", id_, ec.message());
      abort();
      return;
    }
    queue_.pop_front();
    if (!queue_.empty() && !closed_) {
      do_write();
    } else if (close_requested_ && !close_sent_) {
      send_close();
    }
  }

  void request_close(CloseCode code) {
    if (closed_ || close_requested_) return;
    close_requested_ = true;
    close_code_ = code;
    if (!opened_) return;
    if (!writing_) send_close();
  }

  void send_close() {
    close_sent_ = true;
    ws_.async_close(websocket::close_reason(static_cast<uint16_t>(close_code_)),
                    [self = shared_from_this()](error_code) {
                      // The pending read completes with `closed`; finish() there.
                    });
  }

  // Drops the connection without a close handshake.
  void abort() {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    finish();
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    // An in-flight write still refers to the front buffer.
    if (!writing_) queue_.clear();
    if (opened_) {
      server_.ws_sessions.erase(id_);
      server_.ws_handler.on_websocket_close(*this);
    }
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    server_.session_ended();
  }

  websocket::stream<TlsStream> ws_;
  HttpsServer::Impl& server_;
  uint64_t id_;
  std::string address_;
  http::request<http::string_body> req_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool opened_ = false;
  bool writing_ = false;
  bool close_requested_ = false;
  bool close_sent_ = false;
  bool closed_ = false;
  CloseCode close_code_ = CloseCode::normal;
};

// A TLS connection speaking HTTP/1.1 until it upgrades or closes.
class HttpSession final : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, HttpsServer::Impl& server, uint64_t id)
      : address_(peer_address(socket)),
        stream_(std::move(socket), server.tls),
        server_(server),
        id_(id) {}

  void start() {
    server_.http_sessions[id_] = weak_from_this();
    beast::get_lowest_layer(stream_).expires_after(server_.options.handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](error_code ec) { self->on_handshake(ec); });
  }

  void shutdown() {
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

 private:
  void on_handshake(error_code ec) {
    if (ec) {
      spdlog::debug("TLS handshake from {} failed: {}", address_, ec.message());
      finish();
      return;
    }
    do_read();
  }

  void do_read() {
    if (server_.stopping) {
      finish();
      return;
    }
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(server_.options.max_request_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(server_.options.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (ec == http::error::body_limit) {
      HttpResponse r{413, "application/json",
                     R"({"error":{"code":"too_large","message":"request body too large"}})", {}};
      write_response(r, 11, false);
      return;
    }
    if (ec) {
      finish();
      return;
    }
    http::request<http::string_body> req = parser_->release();
    if (websocket::is_upgrade(req)) {
      if (req.target() != server_.options.websocket_path) {
        HttpResponse r{404, "application/json",
                       R"({"error":{"code":"not_found","message":"no WebSocket here"}})", {}};
        write_response(r, req.version(), false);
        return;
      }
      upgrade(std::move(req));
      return;
    }
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(req.body());
    request.remote_address = address_;
    HttpResponse response;
    try {
      response = server_.http_handler(request);
    } catch (const std::exception& e) {
      spdlog::error("HTTP handler failed: {}", e.what());
      response = HttpResponse{500, "application/json",
                              R"({"error":{"code":"internal","message":"internal error"}})", {}};
    }
    write_response(response, req.version(), req.keep_alive() && !server_.stopping);
  }

  void write_response(const HttpResponse& r, unsigned version, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), version);
    res->set(http::field::server, kServerName);
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, "no-store");
    res->set("X-Content-Type-Options", "nosniff");
    for (const auto& [k, v] : r.headers) res->set(k, v);
    res->body() = r.body;
    res->keep_alive(keep_alive);
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(server_.options.request_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, keep_alive](error_code ec, size_t) {
                        if (ec || !keep_alive) {
                          self->close_tls();
                        } else {
                          self->do_read();
                        }
                      });
  }

  void upgrade(http::request<http::string_body> req) {
    server_.http_sessions.erase(id_);
    auto ws = std::make_shared<WsSession>(std::move(stream_), server_, id_, address_);
    upgraded_ = true;
    ws->start(std::move(req));
  }

  void close_tls() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](error_code) { self->finish(); });
  }

  void finish() {
    if (finished_ || upgraded_) return;
    finished_ = true;
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    server_.http_sessions.erase(id_);
    server_.session_ended();
  }

  std::string address_;
  TlsStream stream_;
  HttpsServer::Impl& server_;
  uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool finished_ = false;
  bool upgraded_ = false;
};

void HttpsServer::Impl::do_accept() {
  acceptor.async_accept([self = this](error_code ec, tcp::socket socket) {
    if (ec) {
      if (!self->stopping) {
        spdlog::warn("accept failed: {}", ec.message());
        // Out of descriptors and similar: try again rather than stop serving.
        self->do_accept();
      }
      return;
    }
    if (self->stopping) return;
    if (self->open_sessions() >= self->options.max_connections) {
      spdlog::warn("connection limit {} reached, refusing {}", self->options.max_connections,
                   peer_address(socket));
      error_code ignored;
      socket.close(ignored);
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<HttpSession>(std::move(socket), *self, self->next_id++)->start();
    }
    self->do_accept();
  });
}

void HttpsServer::Impl::begin_stop() {
  if (stopping) return;
  stopping = true;
  for (auto& p : periodic) p->timer.cancel();
  error_code ignored;
  acceptor.close(ignored);
  // Copy first: shutting a session down may erase it from the map.
  std::vector<std::shared_ptr<HttpSession>> https;
  for (auto& [id, weak] : http_sessions) {
    if (auto s = weak.lock()) https.push_back(std::move(s));
  }
  std::vector<std::shared_ptr<WsSession>> wss;
  for (auto& [id, weak] : ws_sessions) {
    if (auto s = weak.lock()) wss.push_back(std::move(s));
  }
  for (auto& s : https) s->shutdown();
  for (auto& s : wss) s->shutdown();
  if (open_sessions() == 0) return;
  shutdown_timer.expires_after(options.shutdown_grace);
  shutdown_timer.async_wait([self = this](error_code ec) {
    if (!ec) {
      spdlog::warn("shutdown grace period over with {} connections open", self->open_sessions());
      self->ioc.stop();
    }
  });
}

void HttpsServer::Impl::session_ended() {
  if (stopping && open_sessions() == 0) shutdown_timer.cancel();
}

HttpsServer::HttpsServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpsServer::~HttpsServer() {
  // Pending handlers own sessions that refer to Impl; destroy them while
  // Impl is alive.
  if (impl_) {
    impl_->ioc.stop();
    impl_->http_sessions.clear();
    impl_->ws_sessions.clear();
  }
}

Result<std::unique_ptr<HttpsServer>> HttpsServer::create(const HttpsServerOptions& options,
                                                         const Certificate& certificate,
                                                         HttpHandler http_handler,
                                                         WebSocketHandler& websocket_handler) {
  if (!options.websocket_path.starts_with('/') || options.max_connections == 0 ||
      options.max_send_queue_messages == 0 || options.max_websocket_message_bytes == 0) {
    return Error(Errc::invalid_argument, "options");
  }
  auto impl = std::make_shared<Impl>(options, std::move(http_handler), websocket_handler);

  error_code ec;
  impl->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                        ec);
  if (ec) return Error(Errc::tls_setup_failed, "options");
  SSL_CTX_set_min_proto_version(impl->tls.native_handle(), TLS1_2_VERSION);
  impl->tls.use_certificate_chain(asio::buffer(certificate.certificate_pem()), ec);
  if (ec) return Error(Errc::tls_setup_failed, "certificate");
  const SecretBytes& key = certificate.private_key_pem();
  impl->tls.use_private_key(asio::buffer(key.data(), key.size()), ssl::context::pem, ec);
  if (ec) return Error(Errc::tls_setup_failed, "private key");

  auto address = asio::ip::make_address(options.address, ec);
  if (ec) return Error(Errc::invalid_argument, "listen address");
  tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(Errc::bind_failed, "listen");
  impl->bound_port = impl->acceptor.local_endpoint(ec).port();
  if (ec) return Error(Errc::bind_failed, "local endpoint");
  impl->do_accept();
  return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

uint16_t HttpsServer::port() const { return impl_->bound_port; }
const std::string& HttpsServer::address() const { return impl_->options.address; }

void HttpsServer::run() {
  try {
    impl_->ioc.run();
  } catch (const std::exception& e) {
    // Handlers do not throw by contract; log and end the loop rather than
    // leave the process in an unknown state.
    spdlog::critical("event loop stopped by an exception: {}", e.what());
  }
}

void HttpsServer::stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->begin_stop(); });
}

void HttpsServer::post(std::function<void()> task) { asio::post(impl_->ioc, std::move(task)); }

void HttpsServer::every(std::chrono::milliseconds period, std::function<void()> task) {
  impl_->periodic.push_back(
      std::make_unique<Impl::Periodic>(Impl::Periodic{asio::steady_timer(impl_->ioc), period,
                                                      std::move(task)}));
  impl_->arm(*impl_->periodic.back());
}

}  // namespace conclave::net
