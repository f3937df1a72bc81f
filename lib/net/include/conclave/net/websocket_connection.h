// The two sides of a server WebSocket, without Beast in sight:
//
//   WebSocketConnection  what the server hands to the application for each
//                        accepted connection: send() queues a text message,
//                        close() closes after the queue drains.
//   WebSocketHandler     what the application implements: open, message,
//                        close. The server calls it on its event-loop thread.
//
// Each connection has a bounded send queue: a peer that does not read fast
// enough to keep it under the limit is disconnected rather than allowed to
// grow the server's memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace conclave::net {

// Close codes of RFC 6455 section 7.4.1 that Conclave uses.
enum class CloseCode : uint16_t {
  normal = 1000,
  going_away = 1001,
  policy_violation = 1008,
  too_big = 1009,
  internal_error = 1011,
};

class WebSocketConnection {
 public:
  virtual ~WebSocketConnection() = default;

  // Unique within one server run, never reused.
  virtual uint64_t id() const = 0;
  // The peer's IP address (no port).
  virtual const std::string& remote_address() const = 0;
  // Queues a text message; thread-safe. Ignored once the connection closes.
  virtual void send(std::string text) = 0;
  // Sends the queued messages, then closes; thread-safe.
  virtual void close(CloseCode code) = 0;
};

struct WebSocketMessage {
  std::string_view data;
  bool binary = false;
};

class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual void on_websocket_open(const std::shared_ptr<WebSocketConnection>& connection) = 0;
  virtual void on_websocket_message(WebSocketConnection& connection,
                                    const WebSocketMessage& message) = 0;
  // Called once per opened connection, whatever ended it.
  virtual void on_websocket_close(WebSocketConnection& connection) = 0;
};

}  // namespace conclave::net
