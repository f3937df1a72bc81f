#include "conclave/sfu/sfu.h"

#include <gtest/gtest.h>

#include <map>

#include "conclave/crypto/random.h"
#include "conclave/net/dtls_transport.h"
#include "conclave/net/srtp_session.h"
#include "conclave/rtp/rtcp_compound.h"
#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/sfu/memory_sink.h"

namespace conclave::sfu {
namespace {

using namespace std::chrono_literals;

// A browser-like peer: ICE controlling with aggressive nomination, DTLS
// client, SRTP. Each peer has its own address.
struct Peer {
  Peer(uint16_t port, std::string their_ufrag, std::string their_pwd,
       const net::Fingerprint& server_fingerprint)
      : address(net::TransportAddress::ipv4({127, 0, 0, 1}, port)),
        certificate(*net::Certificate::generate_self_signed()),
        server_ufrag(std::move(their_ufrag)),
        server_pwd(std::move(their_pwd)),
        dtls(*net::DtlsTransport::create(net::DtlsRole::client, certificate,
                                         server_fingerprint)) {}

  Bytes binding_request(bool use_candidate = true, std::string pwd = "") const {
    net::StunTransactionId id{};
    crypto::random_bytes(id);
    net::StunMessageBuilder b(net::StunMethod::binding, net::StunClass::request, id);
    b.add_username(server_ufrag + ":" + ufrag);
    b.add_priority(0x6e7f1eff);
    b.add_ice_controlling(42);
    if (use_candidate) b.add_use_candidate();
    std::string key = pwd.empty() ? server_pwd : pwd;
    b.add_message_integrity(as_bytes(key));
    b.add_fingerprint();
    return std::move(b).bytes();
  }

  net::TransportAddress address;
  net::Certificate certificate;
  std::string ufrag = "peerufrag";
  std::string server_ufrag;
  std::string server_pwd;
  net::DtlsTransport dtls;
  std::optional<net::SrtpSession> in;
  std::optional<net::SrtpSession> out;
};

class SfuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cert = net::Certificate::generate_self_signed();
    ASSERT_TRUE(cert);
    server_fingerprint = cert->fingerprint();
    sfu = std::make_unique<Sfu>(std::move(*cert));
  }

  // Adds a transport for `participant` and a peer for it.
  std::pair<TransportId, std::unique_ptr<Peer>> add(const std::string& participant,
                                                    uint16_t port) {
    std::string ufrag = "srv" + participant;
    std::string pwd = "server-password-of-" + participant;
    auto peer = std::make_unique<Peer>(port, ufrag, pwd, server_fingerprint);
    PeerTransportConfig config{ufrag, SecretBytes(as_bytes(pwd)), peer->ufrag,
                               peer->certificate.fingerprint()};
    TransportId id = next_id++;
    EXPECT_TRUE(sfu->add_transport(id, "m", participant, std::move(config)));
    return {id, std::move(peer)};
  }

  void deliver(Peer& peer, BytesView datagram) {
    Bytes copy(datagram.begin(), datagram.end());
    sfu->handle(copy, peer.address, now, sink);
  }

  // ICE, then DTLS until both sides are connected.
  void connect(Peer& peer) {
    deliver(peer, peer.binding_request());
    auto responses = sink.take(peer.address);
    ASSERT_EQ(responses.size(), 1u);
    auto response = net::StunMessage::parse(responses[0]);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->message_class(), net::StunClass::success_response);
    ASSERT_TRUE(peer.dtls.start(now));
    for (int round = 0; round < 10 && peer.dtls.state() != net::DtlsState::connected; ++round) {
      for (const Bytes& d : peer.dtls.take_outgoing()) deliver(peer, d);
      for (const Bytes& d : sink.take(peer.address)) (void)peer.dtls.handle(d, now);
    }
    ASSERT_EQ(peer.dtls.state(), net::DtlsState::connected);
    for (const Bytes& d : peer.dtls.take_outgoing()) deliver(peer, d);
    auto profile = *peer.dtls.srtp_profile();
    peer.in.emplace(*net::SrtpSession::inbound(profile, *peer.dtls.remote_master()));
    peer.out.emplace(*net::SrtpSession::outbound(profile, *peer.dtls.local_master()));
  }

  Bytes srtp(Peer& peer, uint32_t ssrc, uint16_t seq, BytesView payload) {
    Bytes packet = *rtp::RtpPacketBuilder()
                        .set_ssrc(ssrc)
                        .set_payload_type(96)
                        .set_sequence_number(seq)
                        .set_timestamp(seq * 3000u)
                        .set_payload(payload)
                        .build();
    size_t length = packet.size();
    packet.resize(length + net::SrtpSession::kMaxTrailer);
    auto size = peer.out->protect_rtp(packet, length);
    EXPECT_TRUE(size);
    packet.resize(*size);
    return packet;
  }

  Clock::TimePoint now = Clock::TimePoint{} + 1000s;
  net::Fingerprint server_fingerprint = *net::Fingerprint::from_bytes(Bytes(32, 0));
  std::unique_ptr<Sfu> sfu;
  MemorySink sink;
  TransportId next_id = 1;
};

TEST_F(SfuTest, ForwardsSrtpBetweenRealDtlsPeers) {
  auto [alice_id, alice] = add("alice", 5001);
  auto [bob_id, bob] = add("bob", 5002);
  connect(*alice);
  connect(*bob);
  auto events = sfu->take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, SfuEvent::Kind::connected);
  EXPECT_EQ(sfu->stats().dtls_handshakes, 2u);

  ASSERT_TRUE(sfu->router().add_track(alice_id, {4242, TrackKind::video, 90000, 96, "0", {}}));
  ASSERT_TRUE(sfu->router().subscribe(bob_id, alice_id, 4242));

  Bytes payload(300, 0x5a);
  deliver(*alice, srtp(*alice, 4242, 7, payload));
  auto at_bob = sink.take(bob->address);
  ASSERT_EQ(at_bob.size(), 1u);
  EXPECT_NE(Bytes(at_bob[0].end() - 300 - 16, at_bob[0].end() - 16), payload)
      << "the hop to bob is SRTP, not the plain packet";
  auto plain = bob->in->unprotect_rtp(at_bob[0], at_bob[0].size());
  ASSERT_TRUE(plain);
  auto parsed = rtp::RtpPacket::parse(BytesView(at_bob[0]).first(*plain));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->ssrc(), 4242u);
  EXPECT_EQ(parsed->sequence_number(), 7);
  EXPECT_EQ(Bytes(parsed->payload().begin(), parsed->payload().end()), payload);
  EXPECT_TRUE(sink.take(alice->address).empty());

  // Packet 8 is lost on the way to bob; his NACK (SRTCP) is answered from
  // the SFU's cache with the same packet, which his SRTP accepts.
  deliver(*alice, srtp(*alice, 4242, 8, payload));
  ASSERT_EQ(sink.take(bob->address).size(), 1u);  // dropped by the "network"
  Bytes nack;
  ASSERT_TRUE((rtp::GenericNack{1, 4242, {8}}.serialize(nack)));
  size_t length = nack.size();
  nack.resize(length + net::SrtpSession::kMaxTrailer);
  nack.resize(*bob->out->protect_rtcp(nack, length));
  deliver(*bob, nack);
  at_bob = sink.take(bob->address);
  ASSERT_EQ(at_bob.size(), 1u);
  plain = bob->in->unprotect_rtp(at_bob[0], at_bob[0].size());
  ASSERT_TRUE(plain) << plain.error().to_string();
  EXPECT_EQ(rtp::RtpPacket::parse(BytesView(at_bob[0]).first(*plain))->sequence_number(), 8);
  EXPECT_EQ(sfu->stats().retransmitted, 1u);
}

TEST_F(SfuTest, DropsEverythingItCannotUseWithAReason) {
  auto [alice_id, alice] = add("alice", 5001);
  // RTP before any ICE: unknown source.
  Bytes rtp_like{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
  deliver(*alice, rtp_like);
  EXPECT_EQ(sfu->stats().drops(DropReason::unknown_source), 1u);
  // STUN with the wrong password: rejected, nothing bound.
  deliver(*alice, alice->binding_request(true, "wrong-password"));
  EXPECT_EQ(sfu->stats().drops(DropReason::stun_rejected), 1u);
  sink.sent.clear();
  deliver(*alice, rtp_like);
  EXPECT_EQ(sfu->stats().drops(DropReason::unknown_source), 2u);
  // A valid check binds the address; RTP before DTLS: no keys.
  deliver(*alice, alice->binding_request());
  deliver(*alice, rtp_like);
  EXPECT_EQ(sfu->stats().drops(DropReason::srtp_not_ready), 1u);
  // Garbage of every kind.
  deliver(*alice, Bytes{0x40, 1, 2, 3});
  EXPECT_EQ(sfu->stats().drops(DropReason::unknown_protocol), 1u);
  deliver(*alice, Bytes{});
  EXPECT_EQ(sfu->stats().drops(DropReason::unknown_protocol), 2u);
  // A broken DTLS record is discarded (by OpenSSL, RFC 6347 4.1.2.7) and
  // does not stop the handshake below.
  deliver(*alice, Bytes{22, 0xfe, 0xfd, 0, 0});

  // After DTLS: a tampered packet fails authentication; a replay is refused.
  sink.sent.clear();
  auto [bob_id, bob] = add("bob", 5002);
  connect(*bob);
  connect(*alice);
  ASSERT_TRUE(sfu->router().add_track(alice_id, {77, TrackKind::audio, 48000, 111, "0", {}}));
  ASSERT_TRUE(sfu->router().subscribe(bob_id, alice_id, 77));
  Bytes good = srtp(*alice, 77, 1, Bytes(50, 1));
  Bytes bad = good;
  bad[20] ^= 1;
  deliver(*alice, bad);
  EXPECT_EQ(sfu->stats().drops(DropReason::srtp_auth_failed), 1u);
  deliver(*alice, good);
  deliver(*alice, good);
  EXPECT_EQ(sfu->stats().drops(DropReason::srtp_replay), 1u);
  EXPECT_EQ(sink.take(bob->address).size(), 1u);
  EXPECT_EQ(sfu->stats().rtp_forwarded, 1u);
}

TEST_F(SfuTest, NoMediaToAPeerWithoutConsentOrKeys) {
  auto [alice_id, alice] = add("alice", 5001);
  auto [bob_id, bob] = add("bob", 5002);
  connect(*alice);
  // Bob passed ICE but not DTLS: no keys downstream.
  deliver(*bob, bob->binding_request());
  ASSERT_TRUE(sfu->router().add_track(alice_id, {77, TrackKind::audio, 48000, 111, "0", {}}));
  ASSERT_TRUE(sfu->router().subscribe(bob_id, alice_id, 77));
  sink.sent.clear();
  deliver(*alice, srtp(*alice, 77, 1, Bytes(50, 1)));
  EXPECT_TRUE(sink.take(bob->address).empty());
  EXPECT_EQ(sfu->stats().drops(DropReason::no_keys_downstream), 1u);
  // Bob connects; then his consent lapses (no check for 31 s).
  connect(*bob);
  now += 31s;
  deliver(*alice, alice->binding_request());  // alice keeps her consent
  sink.sent.clear();
  deliver(*alice, srtp(*alice, 77, 2, Bytes(50, 1)));
  EXPECT_TRUE(sink.take(bob->address).empty());
  EXPECT_EQ(sfu->stats().drops(DropReason::consent_expired), 1u);
  sfu->on_tick(now, sink);
  bool failed = false;
  for (const auto& e : sfu->take_events()) {
    failed |= e.kind == SfuEvent::Kind::failed && e.transport == bob_id;
  }
  EXPECT_TRUE(failed);
  // Removing transports frees their ufrag and address.
  sfu->remove_transport(bob_id);
  EXPECT_EQ(sfu->transport_count(), 1u);
  deliver(*bob, bob->binding_request());
  EXPECT_EQ(sfu->stats().drops(DropReason::stun_rejected), 1u);
}

}  // namespace
}  // namespace conclave::sfu
