#include "conclave/client/media_transport.h"

#include <gtest/gtest.h>

#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/sfu/memory_sink.h"
#include "conclave/sfu/sfu.h"

namespace conclave::client {
namespace {

using namespace std::chrono_literals;

const net::TransportAddress kServer = net::TransportAddress::ipv4({127, 0, 0, 1}, 8443);

struct Endpoint {
  net::TransportAddress address;
  net::Certificate certificate = *net::Certificate::generate_self_signed();
  std::optional<MediaTransport> transport = std::nullopt;
  std::vector<Bytes> rtp = {};
};

class MediaTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cert = net::Certificate::generate_self_signed();
    ASSERT_TRUE(cert);
    server_fingerprint_ = cert->fingerprint();
    sfu_ = std::make_unique<sfu::Sfu>(std::move(*cert));
  }

  void add(Endpoint& e, sfu::TransportId id, const std::string& name) {
    std::string ufrag = "srv" + name, pwd = "a-server-password-for-" + name;
    ASSERT_TRUE(sfu_->add_transport(id, "m", name,
                                    {ufrag, SecretBytes(as_bytes(pwd)), "cli" + name,
                                     e.certificate.fingerprint()}));
    auto t = MediaTransport::create(
        e.certificate, {"cli" + name, ufrag, SecretBytes(as_bytes(pwd)), kServer,
                        server_fingerprint_});
    ASSERT_TRUE(t);
    e.transport.emplace(std::move(*t));
    e.transport->start(now_);
  }

  // Moves datagrams both ways for a while, advancing time.
  void pump(std::vector<Endpoint*> endpoints, int rounds = 40) {
    for (int i = 0; i < rounds; ++i) {
      for (Endpoint* e : endpoints) {
        for (Bytes& d : e->transport->poll(now_)) sfu_->handle(d, e->address, now_, wire_);
      }
      sfu_->on_tick(now_, wire_);
      auto sent = std::move(wire_.sent);
      wire_.sent.clear();
      for (auto& [to, d] : sent) {
        for (Endpoint* e : endpoints) {
          if (!(e->address == to)) continue;
          auto r = e->transport->receive(d, kServer, now_);
          if (r.kind == Received::Kind::rtp) e->rtp.emplace_back(d.begin(), d.begin() + static_cast<long>(r.size));
        }
      }
      now_ += 10ms;
    }
  }

  Clock::TimePoint now_ = Clock::TimePoint{} + 100s;
  net::Fingerprint server_fingerprint_ = *net::Fingerprint::from_bytes(Bytes(32, 0));
  std::unique_ptr<sfu::Sfu> sfu_;
  sfu::MemorySink wire_;
};

TEST_F(MediaTransportTest, ConnectsToTheSfuAndCarriesSrtp) {
  Endpoint alice{net::TransportAddress::ipv4({127, 0, 0, 1}, 6001)};
  Endpoint bob{net::TransportAddress::ipv4({127, 0, 0, 1}, 6002)};
  add(alice, 1, "alice");
  add(bob, 2, "bob");
  EXPECT_FALSE(alice.transport->ready());
  Bytes probe(100, 0);
  EXPECT_FALSE(alice.transport->protect(probe, 20, false)) << "no keys: nothing is sent";
  pump({&alice, &bob});
  ASSERT_TRUE(alice.transport->ready());
  ASSERT_TRUE(bob.transport->ready());
  EXPECT_EQ(sfu_->stats().dtls_handshakes, 2u);

  ASSERT_TRUE(sfu_->router().add_track(1, {77, sfu::TrackKind::audio, 48000, 111, "0", {}}));
  ASSERT_TRUE(sfu_->router().subscribe(2, 1, 77));
  Bytes packet = *rtp::RtpPacketBuilder().set_ssrc(77).set_sequence_number(5).set_payload(
      Bytes(80, 0x42)).build();
  size_t length = packet.size();
  packet.resize(length + net::SrtpSession::kMaxTrailer);
  auto size = alice.transport->protect(packet, length, false);
  ASSERT_TRUE(size);
  packet.resize(*size);
  sfu_->handle(packet, alice.address, now_, wire_);
  pump({&alice, &bob}, 1);
  ASSERT_EQ(bob.rtp.size(), 1u);
  auto parsed = rtp::RtpPacket::parse(bob.rtp[0]);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->ssrc(), 77u);
  EXPECT_EQ(Bytes(parsed->payload().begin(), parsed->payload().end()), Bytes(80, 0x42));
}

TEST_F(MediaTransportTest, WrongServerFingerprintNeverConnects) {
  Endpoint alice{net::TransportAddress::ipv4({127, 0, 0, 1}, 6001)};
  server_fingerprint_ = alice.certificate.fingerprint();  // not the server's
  add(alice, 1, "alice");
  pump({&alice});
  EXPECT_FALSE(alice.transport->ready());
  EXPECT_TRUE(alice.transport->failed());
}

TEST_F(MediaTransportTest, IgnoresDatagramsFromElsewhere) {
  Endpoint alice{net::TransportAddress::ipv4({127, 0, 0, 1}, 6001)};
  add(alice, 1, "alice");
  Bytes junk{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
  auto r = alice.transport->receive(junk, net::TransportAddress::ipv4({10, 0, 0, 1}, 1), now_);
  EXPECT_EQ(r.kind, Received::Kind::none);
  EXPECT_EQ(r.drop, "unknown_source");
  r = alice.transport->receive(junk, kServer, now_);
  EXPECT_EQ(r.drop, "srtp_not_ready");
  pump({&alice});
  EXPECT_TRUE(alice.transport->ready());
}

}  // namespace
}  // namespace conclave::client
