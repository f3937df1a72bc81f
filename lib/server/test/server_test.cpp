// The whole server in-process on a random loopback port: real TLS, real
// SQLite, real WebSockets.
#include "conclave/server/server.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "conclave/net/https_client.h"
#include "conclave/net/websocket_client.h"
#include "test_env.h"

namespace conclave::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void start() {
    config_.data_dir = dir_.path() / "data";
    config_.listen_port = 0;
    config_.log_level = "off";
    auto s = Server::create(config_, clock_);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    server_ = std::move(*s);
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    if (server_) {
      server_->stop();
      thread_.join();
    }
  }
  net::ServerEndpoint endpoint() const {
    return {"127.0.0.1", server_->port(), server_->fingerprint(), 5000ms};
  }
  json receive(net::WebSocketClient& c) {
    auto r = c.receive(5000ms);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? json::parse(*r) : json{};
  }

  testing::TempDir dir_;
  Config config_;
  SteadyClock clock_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerTest, FirstStartCreatesTheCertificateAndKeepsIt) {
  start();
  EXPECT_TRUE(server_->created_certificate());
  EXPECT_EQ(server_->url(), "https://127.0.0.1:" + std::to_string(server_->port()));
  auto fp = server_->fingerprint();
  server_->stop();
  thread_.join();
  server_.reset();
  start();
  EXPECT_FALSE(server_->created_certificate());
  EXPECT_EQ(server_->fingerprint(), fp);
}

TEST_F(ServerTest, HalfAKeyPairIsRefused) {
  config_.data_dir = dir_.path() / "data";
  std::filesystem::create_directories(config_.data_dir / "tls");
  std::ofstream(config_.data_dir / "tls" / "cert.pem") << "x";
  config_.listen_port = 0;
  auto s = Server::create(config_, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::certificate));
}

TEST_F(ServerTest, RestAndSignalingOverTheNetwork) {
  start();
  net::HttpsClient http(endpoint());
  auto created = http.request({"POST", "/api/v1/meetings", {}, R"({"passcode":"pw"})", {}});
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  ASSERT_EQ(created->status, 201);
  json m = json::parse(created->body);
  std::string id = m["meeting_id"];

  auto host = net::WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(host.ok());
  ASSERT_TRUE((*host)
                  ->send(json{{"v", 1}, {"type", "hello"}, {"id", "1"}, {"meeting_id", id},
                              {"display_name", "H"}, {"host_key", m["host_key"]}}
                             .dump())
                  .ok());
  EXPECT_EQ(receive(**host)["type"], "joined");

  auto guest = net::WebSocketClient::connect(endpoint(), "/api/v1/signal");
  ASSERT_TRUE(guest.ok());
  // Over the protocol limit but under the transport cap: an error reply,
  // and the connection stays.
  ASSERT_TRUE((*guest)->send(std::string(config_.max_message_bytes + 10, ' ')).ok());
  json e = receive(**guest);
  EXPECT_EQ(e["code"], "too_large");
  ASSERT_TRUE((*guest)
                  ->send(json{{"v", 1}, {"type", "hello"}, {"id", "2"}, {"meeting_id", id},
                              {"display_name", "G"}, {"passcode", "pw"}}
                             .dump())
                  .ok());
  json lobby = receive(**guest);
  ASSERT_EQ(lobby["type"], "lobby");
  json waiting = receive(**host);
  EXPECT_EQ(waiting["type"], "participant_waiting");

  // Lock over REST: the waiting guest is told.
  auto locked = http.request({"PATCH", "/api/v1/meetings/" + id,
                              {{"Authorization", "Bearer " + m["host_key"].get<std::string>()}},
                              R"({"locked":true})", {}});
  ASSERT_TRUE(locked.ok());
  EXPECT_EQ(locked->status, 200);
  EXPECT_EQ(receive(**guest)["type"], "meeting_updated");
  EXPECT_EQ(receive(**host)["type"], "meeting_updated");

  // The guest's connection drops: the host sees it leave the lobby.
  (*guest)->close();
  json left = receive(**host);
  EXPECT_EQ(left["type"], "lobby_left");
  EXPECT_EQ(left["participant_id"], lobby["participant_id"]);
}

}  // namespace
}  // namespace conclave::server
