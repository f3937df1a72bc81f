// A recording net::WebSocketConnection for tests of the signaling logic
// without sockets.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conclave/net/websocket_connection.h"

namespace conclave::server::testing {

class FakeConnection final : public net::WebSocketConnection {
 public:
  FakeConnection(uint64_t id, std::string address) : id_(id), address_(std::move(address)) {}
  uint64_t id() const override { return id_; }
  const std::string& remote_address() const override { return address_; }
  void send(std::string text) override {
    if (!closed) sent.push_back(nlohmann::json::parse(text));
  }
  void close(net::CloseCode code) override {
    closed = true;
    close_code = code;
  }

  // Removes and returns everything sent so far.
  std::vector<nlohmann::json> take() { return std::exchange(sent, {}); }

  std::vector<nlohmann::json> sent;
  bool closed = false;
  net::CloseCode close_code = net::CloseCode::normal;

 private:
  uint64_t id_;
  std::string address_;
};

}  // namespace conclave::server::testing
