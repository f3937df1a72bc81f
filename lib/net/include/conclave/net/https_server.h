// HttpsServer: one TLS listener (TLS 1.2 or newer) that serves HTTP/1.1
// requests and upgrades requests on one path to WebSocket, on a single-
// threaded Boost.Asio event loop.
//
//   accept ─► TLS handshake ─► HTTP read ─┬─► HttpHandler ─► response (keep-alive)
//                                          └─► upgrade on websocket_path
//                                               ─► WebSocketHandler (open, message, close)
//
// Limits: request header and body sizes, WebSocket message size (larger
// messages close the connection with 1009), per-connection send queue,
// number of open connections, handshake and request timeouts; idle
// WebSockets are pinged and dropped when the peer stops answering.
//
// run() blocks on the calling thread until stop(); stop() and post() may be
// called from any thread. Handlers run on the loop thread. stop() closes the
// listener, closes every WebSocket with 1001 "going away" and every HTTP
// connection, and returns from run() once they are gone (or after
// shutdown_grace).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "conclave/base/result.h"
#include "conclave/net/certificate.h"
#include "conclave/net/errc.h"
#include "conclave/net/http_message.h"
#include "conclave/net/websocket_connection.h"

namespace conclave::net {

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpsServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port; see HttpsServer::port()
  std::string websocket_path = "/api/v1/signal";
  size_t max_request_body_bytes = 64 * 1024;
  size_t max_websocket_message_bytes = 1024 * 1024;
  size_t max_send_queue_messages = 1024;
  size_t max_connections = 10000;
  std::chrono::milliseconds handshake_timeout{15000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds shutdown_grace{3000};
};

class HttpsServer {
 public:
  // Binds and listens (so port() is known), but serves only inside run().
  // `websocket_handler` must outlive the server.
  static Result<std::unique_ptr<HttpsServer>> create(const HttpsServerOptions& options,
                                                     const Certificate& certificate,
                                                     HttpHandler http_handler,
                                                     WebSocketHandler& websocket_handler);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  uint16_t port() const;
  const std::string& address() const;

  void run();
  void stop();
  // Runs `task` on the loop thread.
  void post(std::function<void()> task);
  // Runs `task` on the loop thread every `period` while the server runs
  // (from run() until stop()). Call before run().
  void every(std::chrono::milliseconds period, std::function<void()> task);

  struct Impl;  // defined in https_server.cpp only

 private:
  explicit HttpsServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace conclave::net
