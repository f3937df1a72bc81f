#include "conclave/net/https_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "conclave/net/https_client.h"
#include "conclave/net/websocket_client.h"

namespace conclave::net {
namespace {

using namespace std::chrono_literals;

// Echoes text, answers a few commands; runs on the server's loop thread.
class EchoHandler final : public WebSocketHandler {
 public:
  void on_websocket_open(const std::shared_ptr<WebSocketConnection>& c) override {
    ++opened;
    c->send("hello " + std::to_string(c->id()) + " " + c->remote_address());
  }
  void on_websocket_message(WebSocketConnection& c, const WebSocketMessage& m) override {
    if (m.binary) {
      c.send("binary:" + std::to_string(m.data.size()));
    } else if (m.data == "bye") {
      c.send("queued-1");
      c.send("queued-2");
      c.close(CloseCode::normal);
    } else if (m.data == "flood") {
      for (int i = 0; i < 100; ++i) c.send("flood " + std::to_string(i));
    } else {
      c.send("echo:" + std::string(m.data));
    }
  }
  void on_websocket_close(WebSocketConnection&) override { ++closed; }

  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
};

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cert = Certificate::generate_self_signed();
    ASSERT_TRUE(cert.ok());
    cert_ = std::make_unique<Certificate>(std::move(*cert));
  }

  void start(HttpsServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    auto server = HttpsServer::create(
        options, *cert_,
        [this](const HttpRequest& r) {
          ++http_calls_;
          HttpResponse res;
          res.status = r.path() == "/missing" ? 404 : 201;
          res.body = r.method + " " + r.target + " " + r.body + " " + r.remote_address + " " +
                     std::string(r.header("x-test"));
          return res;
        },
        handler_);
    ASSERT_TRUE(server.ok()) << server.error().to_string();
    server_ = std::move(*server);
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    if (server_) {
      server_->stop();
      thread_.join();
    }
  }

  ServerEndpoint endpoint() const {
    return ServerEndpoint{"127.0.0.1", server_->port(), cert_->fingerprint(), 5000ms};
  }

  std::unique_ptr<Certificate> cert_;
  EchoHandler handler_;
  std::atomic<int> http_calls_{0};
  std::unique_ptr<HttpsServer> server_;
  std::thread thread_;
};

TEST_F(HttpsServerTest, HttpRequestOverPinnedTls) {
  start();
  HttpsClient client(endpoint());
  HttpRequest req{"POST", "/api/x?y=1", {{"X-Test", "t"}}, "{\"a\":1}", {}};
  auto res = client.request(req);
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, "POST /api/x?y=1 {\"a\":1} 127.0.0.1 t");
  EXPECT_EQ(res->header("cache-control"), "no-store");
  auto missing = client.request({"GET", "/missing", {}, "", {}});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
}

TEST_F(HttpsServerTest, WrongPinIsRefusedBeforeAnyRequest) {
  start();
  auto other = Certificate::generate_self_signed();
  ASSERT_TRUE(other.ok());
  ServerEndpoint e = endpoint();
  e.pinned = other->fingerprint();
  auto res = HttpsClient(e).request({"GET", "/", {}, "", {}});
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().is(Errc::fingerprint_mismatch)) << res.error().to_string();
  auto ws = WebSocketClient::connect(e, "/api/v1/signal");
  ASSERT_FALSE(ws.ok());
  EXPECT_TRUE(ws.error().is(Errc::fingerprint_mismatch));
  EXPECT_EQ(http_calls_, 0);
  EXPECT_EQ(handler_.opened, 0);
}

TEST_F(HttpsServerTest, OversizedBodyGets413) {
  HttpsServerOptions o;
  o.max_request_body_bytes = 100;
  start(o);
  auto res = HttpsClient(endpoint()).request({"POST", "/", {}, std::string(1000, 'x'), {}});
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(http_calls_, 0);
}

TEST_F(HttpsServerTest, WebSocketEchoTextAndBinary) {
  start();
  auto ws = WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(ws.ok()) << ws.error().to_string();
  auto hello = (*ws)->receive(2000ms);
  ASSERT_TRUE(hello.ok());
  EXPECT_TRUE(hello->starts_with("hello ")) << *hello;
  EXPECT_TRUE(hello->ends_with(" 127.0.0.1")) << *hello;
  ASSERT_TRUE((*ws)->send("hi").ok());
  EXPECT_EQ(*(*ws)->receive(2000ms), "echo:hi");
  ASSERT_TRUE((*ws)->send_binary(Bytes(7)).ok());
  EXPECT_EQ(*(*ws)->receive(2000ms), "binary:7");
}

TEST_F(HttpsServerTest, ReceiveTimeoutLeavesTheConnectionUsable) {
  start();
  auto ws = WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(ws.ok());
  ASSERT_TRUE((*ws)->receive(2000ms).ok());  // hello
  auto nothing = (*ws)->receive(50ms);
  ASSERT_FALSE(nothing.ok());
  EXPECT_TRUE(nothing.error().is(Errc::timeout));
  ASSERT_TRUE((*ws)->send("again").ok());
  EXPECT_EQ(*(*ws)->receive(2000ms), "echo:again");
}

// The server sends close 1009 and drops the connection; the unread rest of
// the oversized message makes the kernel reset the connection, which may
// discard the close frame before the client reads it, so only the end of
// the connection is certain.
TEST_F(HttpsServerTest, OversizedWebSocketMessageEndsTheConnection) {
  HttpsServerOptions o;
  o.max_websocket_message_bytes = 1000;
  start(o);
  auto ws = WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(ws.ok());
  ASSERT_TRUE((*ws)->receive(2000ms).ok());
  ASSERT_TRUE((*ws)->send(std::string(5000, 'x')).ok());
  auto r = (*ws)->receive(2000ms);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::closed)) << r.error().to_string();
  EXPECT_TRUE((*ws)->close_code() == 1009 || (*ws)->close_code() == 0) << (*ws)->close_code();
  for (int i = 0; i < 100 && handler_.closed == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(handler_.closed, 1);
}

TEST_F(HttpsServerTest, UpgradeOnlyOnTheSignalingPath) {
  start();
  auto ws = WebSocketClient::connect(endpoint(), "/elsewhere");
  ASSERT_FALSE(ws.ok());
  EXPECT_TRUE(ws.error().is(Errc::handshake_failed));
  EXPECT_EQ(handler_.opened, 0);
}

TEST_F(HttpsServerTest, CloseAfterQueuedMessages) {
  start();
  auto ws = WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(ws.ok());
  ASSERT_TRUE((*ws)->receive(2000ms).ok());
  ASSERT_TRUE((*ws)->send("bye").ok());
  EXPECT_EQ(*(*ws)->receive(2000ms), "queued-1");
  EXPECT_EQ(*(*ws)->receive(2000ms), "queued-2");
  auto end = (*ws)->receive(2000ms);
  ASSERT_FALSE(end.ok());
  EXPECT_EQ((*ws)->close_code(), 1000);
  for (int i = 0; i < 100 && handler_.closed == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(handler_.closed, 1);
}

TEST_F(HttpsServerTest, SlowConsumerIsDisconnectedWhenItsQueueOverflows) {
  HttpsServerOptions o;
  o.max_send_queue_messages = 8;
  start(o);
  auto ws = WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(ws.ok());
  ASSERT_TRUE((*ws)->receive(2000ms).ok());
  ASSERT_TRUE((*ws)->send("flood").ok());
  int received = 0;
  for (int i = 0; i < 200; ++i) {
    auto r = (*ws)->receive(2000ms);
    if (!r.ok()) {
      EXPECT_TRUE(r.error().is(Errc::closed)) << r.error().to_string();
      break;
    }
    ++received;
  }
  EXPECT_LE(received, 8);
  for (int i = 0; i < 100 && handler_.closed == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(handler_.closed, 1);
}

TEST_F(HttpsServerTest, StopClosesWebSocketsWithGoingAwayAndReturns) {
  start();
  auto a = WebSocketClient::connect(endpoint(), "/api/v1/signal");
  auto b = WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->receive(2000ms).ok());
  ASSERT_TRUE((*b)->receive(2000ms).ok());
  auto begun = std::chrono::steady_clock::now();
  server_->stop();
  for (auto* c : {a->get(), b->get()}) {
    auto r = c->receive(3000ms);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(c->close_code(), 1001);
  }
  thread_.join();
  server_.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - begun, 2500ms);
  EXPECT_EQ(handler_.opened, 2);
  EXPECT_EQ(handler_.closed, 2);
}

TEST(HttpsServer, RejectsBadListenAddress) {
  auto cert = Certificate::generate_self_signed();
  ASSERT_TRUE(cert.ok());
  EchoHandler h;
  HttpsServerOptions o;
  o.address = "not-an-ip";
  auto s = HttpsServer::create(o, *cert, [](const HttpRequest&) { return HttpResponse{}; }, h);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::invalid_argument));
}

TEST(HttpsServer, PortInUseIsABindError) {
  auto cert = Certificate::generate_self_signed();
  ASSERT_TRUE(cert.ok());
  EchoHandler h;
  auto handler = [](const HttpRequest&) { return HttpResponse{}; };
  auto first = HttpsServer::create({}, *cert, handler, h);
  ASSERT_TRUE(first.ok());
  HttpsServerOptions o;
  o.port = (*first)->port();
  auto second = HttpsServer::create(o, *cert, handler, h);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.error().is(Errc::bind_failed));
}

}  // namespace
}  // namespace conclave::net
