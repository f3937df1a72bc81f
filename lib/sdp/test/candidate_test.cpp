#include "conclave/sdp/candidate.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave::sdp {
namespace {

TEST(Candidate, ParsesChromiumHostCandidate) {
  auto c = Candidate::parse(
      "3879134487 1 udp 2122260223 192.168.1.20 53421 typ host generation 0 network-id 1 "
      "network-cost 10");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->foundation, "3879134487");
  EXPECT_EQ(c->component, 1);
  EXPECT_TRUE(c->is_udp());
  EXPECT_EQ(c->priority, 2122260223u);
  EXPECT_EQ(c->address, "192.168.1.20");
  EXPECT_EQ(c->port, 53421);
  EXPECT_EQ(c->type, "host");
  ASSERT_EQ(c->extensions.size(), 3u);
  EXPECT_EQ(c->extensions[2].first, "network-cost");
  EXPECT_EQ(c->extensions[2].second, "10");
  EXPECT_EQ(Candidate::parse(c->serialize()).value(), *c);
}

TEST(Candidate, ParsesRelatedAddressIpv6AndMdns) {
  auto srflx = Candidate::parse(
      "842163049 1 UDP 1677729535 203.0.113.7 50000 typ srflx raddr 192.168.1.2 rport 50001");
  ASSERT_TRUE(srflx.ok());
  EXPECT_TRUE(srflx->is_udp());
  EXPECT_EQ(srflx->related_address, "192.168.1.2");
  EXPECT_EQ(srflx->related_port, 50001);
  EXPECT_EQ(srflx->serialize(),
            "842163049 1 UDP 1677729535 203.0.113.7 50000 typ srflx raddr 192.168.1.2 rport 50001");
  EXPECT_TRUE(Candidate::parse("1 1 udp 1 fe80::1%eth0 9 typ host").ok());
  EXPECT_TRUE(Candidate::parse("1 1 udp 1 4c7f2a1e-8b3d.local 9 typ host").ok());
  auto tcp = Candidate::parse("1 2 tcp 1518280447 10.0.0.1 9 typ host tcptype active");
  ASSERT_TRUE(tcp.ok());
  EXPECT_FALSE(tcp->is_udp());
  EXPECT_EQ(tcp->component, 2);
}

TEST(Candidate, HostUdpIsWhatTheSfuAnnounces) {
  EXPECT_EQ(Candidate::host_udp("127.0.0.1", 40000).serialize(),
            "1 1 udp 2130706431 127.0.0.1 40000 typ host");
}

TEST(Candidate, RejectsMalformed) {
  for (const char* bad : {
           "",
           "1 1 udp 1 10.0.0.1 9 host",               // no "typ"
           "1 1 udp 1 10.0.0.1 9 type host",          // not "typ"
           "1 0 udp 1 10.0.0.1 9 typ host",           // component 0
           "1 257 udp 1 10.0.0.1 9 typ host",         // component > 256
           "1 0001 udp 1 10.0.0.1 9 typ host",        // component of 4 digits
           "1 1 udp 4294967296 10.0.0.1 9 typ host",  // priority
           "1 1 udp 1 10.0.0.1 65536 typ host",       // port
           "1 1 udp 1 10.0.0.1 -1 typ host",
           "1-2 1 udp 1 10.0.0.1 9 typ host",                         // foundation is ice-chars
           "123456789012345678901234567890123 1 udp 1 a 9 typ host",  // foundation > 32
           "1 1 u/dp 1 10.0.0.1 9 typ host",
           "1 1 udp 1 10.0.0.1 9 typ host generation",  // extension without value
           "1 1 udp 1 10.0.0.1 9 typ srflx raddr 1.2.3.4 rport x",
           "1 1 udp 1 10.0.0.1 9 typ srflx raddr 1.2.3.4 raddr 1.2.3.5",
       }) {
    auto r = Candidate::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_candidate)) << bad;
  }
  std::string many = "1 1 udp 1 10.0.0.1 9 typ host";
  for (size_t i = 0; i <= Candidate::kMaxExtensions; ++i) many += " k" + std::to_string(i) + " v";
  EXPECT_TRUE(Candidate::parse(many).error().is(Errc::invalid_candidate));
}

}  // namespace
}  // namespace conclave::sdp
