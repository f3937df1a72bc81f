#include "conclave/client/client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <vector>

namespace conclave::client {
namespace {

// A local port nobody listens on: bound, then closed.
uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

net::ServerEndpoint endpoint_for(uint16_t port) {
  return {"127.0.0.1", port, net::Fingerprint::of_der(to_bytes("not a certificate")),
          std::chrono::milliseconds(2000)};
}

ClientOptions options_for() {
  ClientOptions options;
  options.session.meeting_id = "m1";
  options.session.display_name = "alice";
  options.reconnect_delay = std::chrono::milliseconds(5);
  return options;
}

TEST(Client, UnreachableServerFailsAfterBoundedRetries) {
  SteadyClock clock;
  ClientOptions options = options_for();
  options.max_reconnects = 2;
  Client client(endpoint_for(closed_port()), options, clock);
  std::vector<Json> events;
  client.on_client_event = [&](const Json& e) { events.push_back(e); };
  auto outcome = client.run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->reason, EndReason::failed);
  EXPECT_FALSE(outcome->clean());
  EXPECT_FALSE(outcome->detail.empty());
  ASSERT_EQ(events.size(), 2u);  // two retries, then it gives up
  EXPECT_EQ(events[0]["event"], "reconnecting");
  EXPECT_EQ(events[1]["attempt"], 2);
  EXPECT_TRUE(events[1].contains("time"));
}

TEST(Client, StopBeforeConnectingDoesNotRetry) {
  SteadyClock clock;
  std::atomic<bool> stop{true};
  ClientOptions options = options_for();
  options.max_reconnects = 5;
  options.stop = &stop;
  Client client(endpoint_for(closed_port()), options, clock);
  std::vector<Json> events;
  client.on_client_event = [&](const Json& e) { events.push_back(e); };
  auto outcome = client.run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->reason, EndReason::failed);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace conclave::client
