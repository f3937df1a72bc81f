// WebSocketClient: a blocking WSS client with a pinned server certificate,
// for the CLI, tests and probes. receive() waits at most the given time; a
// timeout leaves the connection usable (the read stays pending and the next
// receive() continues it).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/net/errc.h"
#include "conclave/net/https_client.h"

namespace conclave::net {

class WebSocketClient {
 public:
  static Result<std::unique_ptr<WebSocketClient>> connect(const ServerEndpoint& endpoint,
                                                          std::string_view path);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  Status send(std::string_view text);
  Status send_binary(BytesView data);
  // The next text or binary message; Errc::timeout when none came in time,
  // Errc::closed once the server closed the connection.
  Result<std::string> receive(std::chrono::milliseconds timeout);
  // The close code the server sent, once receive() returned Errc::closed.
  uint16_t close_code() const;
  // Sends a close frame and waits (bounded) for the server's.
  void close();

 private:
  struct Impl;
  explicit WebSocketClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::net
