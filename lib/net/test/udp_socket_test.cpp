#include "conclave/net/udp_socket.h"

#include <gtest/gtest.h>

namespace conclave::net {
namespace {

using namespace std::chrono_literals;

TEST(UdpSocketTest, BatchesTravelBothWays) {
  auto a = UdpSocket::bind("127.0.0.1", 0);
  auto b = UdpSocket::bind("127.0.0.1", 0);
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_NE(a->port(), 0);
  EXPECT_EQ(a->local_address().to_string(), "127.0.0.1:" + std::to_string(a->port()));

  SendBatch out(8);
  for (uint8_t i = 0; i < 5; ++i) ASSERT_TRUE(out.add(b->local_address(), Bytes(100 + i, i)));
  auto slot = out.reserve();
  ASSERT_EQ(slot.size(), SendBatch::kMaxDatagram);
  slot[0] = 0xee;
  out.commit(b->local_address(), 1);
  auto sent = a->send(out);
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 6u);
  EXPECT_EQ(out.size(), 0u);

  ASSERT_TRUE(b->wait(1000ms));
  ReceiveBatch in(4);
  size_t got = 0;
  std::vector<Bytes> datagrams;
  while (got < 6 && b->wait(1000ms)) {
    auto n = b->receive(in);
    ASSERT_TRUE(n);
    for (size_t i = 0; i < *n; ++i) {
      EXPECT_EQ(in.from(i), a->local_address());
      datagrams.emplace_back(in.data(i).begin(), in.data(i).end());
    }
    got += *n;
  }
  ASSERT_EQ(datagrams.size(), 6u);
  for (uint8_t i = 0; i < 5; ++i) EXPECT_EQ(datagrams[i], Bytes(100 + i, i));
  EXPECT_EQ(datagrams[5], Bytes{0xee});
  // Nothing more: receive returns 0 without blocking.
  auto none = b->receive(in);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0u);
  EXPECT_FALSE(b->wait(10ms));
}

TEST(UdpSocketTest, RefusesBadAddressesAndOversizedDatagrams) {
  EXPECT_FALSE(UdpSocket::bind("not an address", 0));
  EXPECT_FALSE(UdpSocket::bind("192.0.2.1", 0));  // not a local address
  SendBatch out(1);
  EXPECT_FALSE(out.add(TransportAddress::ipv4({127, 0, 0, 1}, 9), Bytes(SendBatch::kMaxDatagram + 1)));
  EXPECT_TRUE(out.add(TransportAddress::ipv4({127, 0, 0, 1}, 9), Bytes(10)));
  EXPECT_TRUE(out.full());
  EXPECT_FALSE(out.add(TransportAddress::ipv4({127, 0, 0, 1}, 9), Bytes(10)));
  EXPECT_TRUE(out.reserve().empty());
}

TEST(UdpSocketTest, Ipv6Loopback) {
  auto a = UdpSocket::bind("::1", 0);
  if (!a) GTEST_SKIP() << "no IPv6 loopback on this machine";
  auto b = UdpSocket::bind("::1", 0);
  ASSERT_TRUE(b);
  ASSERT_TRUE(a->send_to(b->local_address(), Bytes{1, 2, 3}));
  ASSERT_TRUE(b->wait(1000ms));
  ReceiveBatch in(2);
  ASSERT_EQ(*b->receive(in), 1u);
  EXPECT_EQ(in.from(0), a->local_address());
  EXPECT_EQ(in.data(0).size(), 3u);
}

}  // namespace
}  // namespace conclave::net
