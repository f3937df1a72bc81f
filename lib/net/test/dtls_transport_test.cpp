#include "conclave/net/dtls_transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>

#include "conclave/net/srtp_session.h"

namespace conclave::net {
namespace {

using namespace std::chrono_literals;
using TimePoint = Clock::TimePoint;

// Generating P-256 certificates is the slow part; every test shares three.
const Certificate& client_cert() {
  static const Certificate cert = *Certificate::generate_self_signed();
  return cert;
}
const Certificate& server_cert() {
  static const Certificate cert = *Certificate::generate_self_signed();
  return cert;
}
const Certificate& stranger_cert() {
  static const Certificate cert = *Certificate::generate_self_signed();
  return cert;
}

enum class Dir { to_server, to_client };

// One datagram on the wire: its direction and its index among all the
// datagrams sent that way.
struct Packet {
  Dir dir;
  size_t index;
  Bytes bytes;
};

// A client and a server connected by an in-memory network that can drop,
// reorder and inject datagrams; time is fake and jumps to the next timeout
// when nothing is in flight.
class Pair {
 public:
  explicit Pair(DtlsOptions client_options = {}, DtlsOptions server_options = {},
                const Certificate* client_pins = nullptr, const Certificate* server_pins = nullptr)
      : client(make(DtlsRole::client, client_cert(), client_pins ? *client_pins : server_cert(),
                    std::move(client_options))),
        server(make(DtlsRole::server, server_cert(), server_pins ? *server_pins : client_cert(),
                    std::move(server_options))) {}

  static DtlsTransport make(DtlsRole role, const Certificate& own, const Certificate& peer,
                            DtlsOptions options) {
    auto t = DtlsTransport::create(role, own, peer.fingerprint(), std::move(options));
    EXPECT_TRUE(t.ok()) << t.error().to_string();
    CV_CHECK(t.ok());
    return std::move(t).value();
  }

  void start() {
    ASSERT_TRUE(server.start(now).ok());
    ASSERT_TRUE(client.start(now).ok());
  }

  static bool done(const DtlsTransport& t) {
    return t.state() == DtlsState::connected || t.state() == DtlsState::failed ||
           t.state() == DtlsState::closed;
  }

  // Moves datagrams until both ends are done and nothing is in flight, or
  // until `limit` of fake time has passed.
  void run(Clock::Duration limit = 120s) {
    const TimePoint end = now + limit;
    while (now < end) {
      collect(client, Dir::to_server);
      collect(server, Dir::to_client);
      if (!in_flight.empty()) {
        std::vector<Packet> batch;
        batch.swap(in_flight);
        if (reorder) std::reverse(batch.begin(), batch.end());
        for (auto& p : batch) {
          if (drop && drop(p)) continue;
          DtlsTransport& to = p.dir == Dir::to_server ? server : client;
          (void)to.handle(p.bytes, now);
        }
        continue;
      }
      if (done(client) && done(server)) return;
      std::optional<TimePoint> next;
      for (auto* t : {&client, &server}) {
        if (auto d = t->next_timeout(); d && (!next || *d < *next)) next = d;
      }
      if (!next) return;  // stuck: nothing scheduled
      now = std::max(now, *next);
      client.on_timeout(now);
      server.on_timeout(now);
    }
  }

  void collect(DtlsTransport& from, Dir dir) {
    for (auto& d : from.take_outgoing()) {
      size_t& counter = dir == Dir::to_server ? sent_to_server : sent_to_client;
      sizes.push_back(d.size());
      in_flight.push_back({dir, counter++, std::move(d)});
    }
  }

  DtlsTransport client;
  DtlsTransport server;
  TimePoint now{10s};
  std::function<bool(const Packet&)> drop;
  bool reorder = false;
  std::vector<Packet> in_flight;
  std::vector<size_t> sizes;
  size_t sent_to_server = 0;
  size_t sent_to_client = 0;
};

DtlsOptions with_profiles(std::vector<SrtpProfile> profiles) {
  DtlsOptions o;
  o.srtp_profiles = std::move(profiles);
  return o;
}

void expect_connected(const Pair& p) {
  ASSERT_EQ(p.client.state(), DtlsState::connected)
      << (p.client.failure() ? p.client.failure()->to_string() : "");
  ASSERT_EQ(p.server.state(), DtlsState::connected)
      << (p.server.failure() ? p.server.failure()->to_string() : "");
  EXPECT_FALSE(p.client.failure());
  EXPECT_FALSE(p.server.failure());
  EXPECT_FALSE(p.client.next_timeout());
  EXPECT_FALSE(p.server.next_timeout());
}

void expect_keys_match(const Pair& p) {
  auto ck = p.client.keying_material();
  auto sk = p.server.keying_material();
  ASSERT_TRUE(ck.ok() && sk.ok());
  EXPECT_EQ(ck->profile, sk->profile);
  EXPECT_TRUE(ck->client_write_key == sk->client_write_key);
  EXPECT_TRUE(ck->server_write_key == sk->server_write_key);
  EXPECT_TRUE(ck->client_write_salt == sk->client_write_salt);
  EXPECT_TRUE(ck->server_write_salt == sk->server_write_salt);
  EXPECT_EQ(ck->client_write_key.size(), srtp_master_key_length(ck->profile));
  EXPECT_EQ(ck->client_write_salt.size(), srtp_master_salt_length(ck->profile));
  // The two directions have different keys.
  EXPECT_FALSE(ck->client_write_key == ck->server_write_key);
  EXPECT_FALSE(ck->client_write_salt == ck->server_write_salt);

  // Crosswise: what one side writes with, the other reads with.
  auto c_local = p.client.local_master();
  auto c_remote = p.client.remote_master();
  auto s_local = p.server.local_master();
  auto s_remote = p.server.remote_master();
  ASSERT_TRUE(c_local.ok() && c_remote.ok() && s_local.ok() && s_remote.ok());
  EXPECT_TRUE(*c_local == *s_remote);
  EXPECT_TRUE(*s_local == *c_remote);
  EXPECT_FALSE(*c_local == *c_remote);
  EXPECT_EQ(c_local->size(), srtp_master_length(ck->profile));
  // key || salt in that order.
  EXPECT_TRUE(equal(c_local->view(),
                    concat({ck->client_write_key.view(), ck->client_write_salt.view()})));
  EXPECT_TRUE(equal(s_local->view(),
                    concat({ck->server_write_key.view(), ck->server_write_salt.view()})));
}

TEST(DtlsTransport, HandshakeConnectsWithGcmWhenBothOfferIt) {
  Pair p;
  EXPECT_EQ(p.client.state(), DtlsState::idle);
  EXPECT_EQ(p.client.role(), DtlsRole::client);
  EXPECT_EQ(p.server.role(), DtlsRole::server);
  p.start();
  EXPECT_EQ(p.client.state(), DtlsState::connecting);
  EXPECT_EQ(p.server.state(), DtlsState::connecting);
  EXPECT_TRUE(p.client.next_timeout());   // the ClientHello waits for an answer
  EXPECT_FALSE(p.server.next_timeout());  // the server waits for a ClientHello
  p.run();
  expect_connected(p);
  EXPECT_EQ(*p.client.srtp_profile(), SrtpProfile::aead_aes_128_gcm);
  EXPECT_EQ(*p.server.srtp_profile(), SrtpProfile::aead_aes_128_gcm);
  expect_keys_match(p);
  EXPECT_EQ(p.client.retransmissions(), 0u);
  EXPECT_EQ(p.server.retransmissions(), 0u);
  for (size_t size : p.sizes) EXPECT_LE(size, 1200u);
  // Four flights, in as many datagrams: nothing was split or resent.
  EXPECT_EQ(p.sent_to_server, 2u);
  EXPECT_EQ(p.sent_to_client, 2u);
}

TEST(DtlsTransport, KeyingMaterialDiffersBetweenAssociations) {
  Pair a;
  a.start();
  a.run();
  Pair b;
  b.start();
  b.run();
  expect_connected(a);
  expect_connected(b);
  EXPECT_FALSE(*a.client.local_master() == *b.client.local_master());
}

class DtlsProfileTest : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(DtlsProfileTest, NegotiatesTheOnlyProfileOffered) {
  Pair p(with_profiles({GetParam()}), with_profiles({GetParam()}));
  p.start();
  p.run();
  expect_connected(p);
  EXPECT_EQ(*p.client.srtp_profile(), GetParam());
  EXPECT_EQ(*p.server.srtp_profile(), GetParam());
  expect_keys_match(p);
}

TEST_P(DtlsProfileTest, KeysFromTheHandshakeInteroperateInSrtp) {
  Pair p(with_profiles({GetParam()}), with_profiles({GetParam()}));
  p.start();
  p.run();
  expect_connected(p);
  auto client_out = SrtpSession::outbound(GetParam(), *p.client.local_master());
  auto server_in = SrtpSession::inbound(GetParam(), *p.server.remote_master());
  auto server_out = SrtpSession::outbound(GetParam(), *p.server.local_master());
  auto client_in = SrtpSession::inbound(GetParam(), *p.client.remote_master());
  ASSERT_TRUE(client_out.ok() && server_in.ok() && server_out.ok() && client_in.ok());

  const Bytes rtp = {0x80, 0x60, 0x00, 0x07, 0x00, 0x00, 0x10, 0x00,
                     0x11, 0x22, 0x33, 0x44, 'm',  'e',  'd',  'i',  'a'};
  for (auto [out, in] : {std::pair{&*client_out, &*server_in}, {&*server_out, &*client_in}}) {
    Bytes buffer = rtp;
    buffer.resize(rtp.size() + SrtpSession::kMaxTrailer);
    auto protected_len = out->protect_rtp(buffer, rtp.size());
    ASSERT_TRUE(protected_len.ok());
    auto plain_len = in->unprotect_rtp(buffer, *protected_len);
    ASSERT_TRUE(plain_len.ok()) << plain_len.error().to_string();
    EXPECT_TRUE(equal(BytesView(buffer).first(*plain_len), rtp));
  }
  // The client's own keys do not open what it sent.
  Bytes buffer = rtp;
  buffer.resize(rtp.size() + SrtpSession::kMaxTrailer);
  auto client_out2 = SrtpSession::outbound(GetParam(), *p.client.local_master());
  auto wrong_in = SrtpSession::inbound(GetParam(), *p.client.remote_master());
  auto len = client_out2->protect_rtp(buffer, rtp.size());
  ASSERT_TRUE(len.ok());
  auto opened = wrong_in->unprotect_rtp(buffer, *len);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.error().is(SrtpErrc::auth_failed));
}

INSTANTIATE_TEST_SUITE_P(Profiles, DtlsProfileTest,
                         ::testing::Values(SrtpProfile::aes128_cm_sha1_80,
                                           SrtpProfile::aead_aes_128_gcm),
                         [](const ::testing::TestParamInfo<SrtpProfile>& param_info) {
                           return param_info.param == SrtpProfile::aead_aes_128_gcm ? "gcm" : "cm";
                         });

TEST(DtlsTransport, ServerPreferenceDecides) {
  // The client prefers CM but offers both; the server prefers GCM.
  Pair p(with_profiles({SrtpProfile::aes128_cm_sha1_80, SrtpProfile::aead_aes_128_gcm}), {});
  p.start();
  p.run();
  expect_connected(p);
  EXPECT_EQ(*p.client.srtp_profile(), SrtpProfile::aead_aes_128_gcm);

  // A server that accepts only CM picks it from the client's two.
  Pair q({}, with_profiles({SrtpProfile::aes128_cm_sha1_80}));
  q.start();
  q.run();
  expect_connected(q);
  EXPECT_EQ(*q.client.srtp_profile(), SrtpProfile::aes128_cm_sha1_80);
  EXPECT_EQ(*q.server.srtp_profile(), SrtpProfile::aes128_cm_sha1_80);
  expect_keys_match(q);
}

TEST(DtlsTransport, NoCommonProfileFailsBothSides) {
  Pair p(with_profiles({SrtpProfile::aead_aes_128_gcm}),
         with_profiles({SrtpProfile::aes128_cm_sha1_80}));
  p.start();
  p.run();
  ASSERT_EQ(p.client.state(), DtlsState::failed);
  ASSERT_EQ(p.server.state(), DtlsState::failed);
  EXPECT_TRUE(p.client.failure()->is(DtlsErrc::no_srtp_profile));
  EXPECT_TRUE(p.server.failure()->is(DtlsErrc::no_srtp_profile));
  EXPECT_FALSE(p.client.keying_material().ok());
  EXPECT_TRUE(p.client.srtp_profile().error().is(DtlsErrc::bad_state));
}

TEST(DtlsTransport, ServerCertificateNotMatchingTheFingerprintFails) {
  // The client expects the stranger's certificate.
  Pair p({}, {}, &stranger_cert(), nullptr);
  p.start();
  p.run();
  ASSERT_EQ(p.client.state(), DtlsState::failed);
  EXPECT_TRUE(p.client.failure()->is(DtlsErrc::fingerprint_mismatch))
      << p.client.failure()->to_string();
  // The client's alert ends the server's handshake too.
  ASSERT_EQ(p.server.state(), DtlsState::failed);
  EXPECT_TRUE(p.server.failure()->is(DtlsErrc::handshake_failed))
      << p.server.failure()->to_string();
  EXPECT_FALSE(p.client.local_master().ok());
  EXPECT_FALSE(p.server.local_master().ok());
}

TEST(DtlsTransport, ClientCertificateNotMatchingTheFingerprintFails) {
  Pair p({}, {}, nullptr, &stranger_cert());
  p.start();
  p.run();
  ASSERT_EQ(p.server.state(), DtlsState::failed);
  EXPECT_TRUE(p.server.failure()->is(DtlsErrc::fingerprint_mismatch))
      << p.server.failure()->to_string();
  ASSERT_EQ(p.client.state(), DtlsState::failed);
  EXPECT_TRUE(p.client.failure()->is(DtlsErrc::handshake_failed))
      << p.client.failure()->to_string();
}

TEST(DtlsTransport, LostFlightsAreRetransmittedOnTheCallersClock) {
  // Lose the first ClientHello and the server's first answer.
  Pair p;
  p.drop = [](const Packet& pk) { return pk.index == 0; };
  p.start();
  const TimePoint t0 = p.now;
  ASSERT_EQ(p.client.next_timeout(), t0 + 400ms);
  p.run();
  expect_connected(p);
  expect_keys_match(p);
  EXPECT_GE(p.client.retransmissions(), 1u);
  EXPECT_GE(p.server.retransmissions(), 1u);
  // ClientHello at 0 and again at 400 ms; the server's answer then, and
  // again 400 ms later.
  EXPECT_EQ(p.now, t0 + 400ms + 400ms);
}

TEST(DtlsTransport, LostLastFlightIsResentWhenTheClientRepeatsItsFlight) {
  // The server's last flight (ChangeCipherSpec, Finished) is lost once: it
  // has no timer, so the client's retransmission must bring it back.
  Pair p;
  p.drop = [](const Packet& pk) { return pk.dir == Dir::to_client && pk.index == 1; };
  p.start();
  p.run();
  expect_connected(p);
  expect_keys_match(p);
  EXPECT_EQ(p.client.retransmissions(), 1u);
  EXPECT_EQ(p.server.retransmissions(), 1u);
}

// The 48-bit sequence number of the record at the start of a datagram.
uint64_t first_record_sequence(const Bytes& datagram) {
  uint64_t seq = 0;
  for (size_t i = 5; i < 11; ++i) seq = seq << 8 | datagram[i];
  return seq;
}

TEST(DtlsTransport, RetransmittedRecordsGetFreshSequenceNumbers) {
  auto client = Pair::make(DtlsRole::client, client_cert(), server_cert(), {});
  TimePoint now{1s};
  ASSERT_TRUE(client.start(now).ok());
  auto first = client.take_outgoing();
  ASSERT_EQ(first.size(), 1u);
  now = *client.next_timeout();
  client.on_timeout(now);
  auto again = client.take_outgoing();
  ASSERT_EQ(again.size(), 1u);
  // The same ClientHello in a record with the next sequence number, so
  // that the peer's replay window does not take it for a copy.
  ASSERT_EQ(first[0].size(), again[0].size());
  EXPECT_EQ(first_record_sequence(first[0]), 0u);
  EXPECT_EQ(first_record_sequence(again[0]), 1u);
  EXPECT_TRUE(equal(BytesView(first[0]).subspan(11), BytesView(again[0]).subspan(11)));
  EXPECT_TRUE(equal(BytesView(first[0]).first(5), BytesView(again[0]).first(5)));
}

TEST(DtlsTransport, EarlyChangeCipherSpecIsRecoveredByTheRetransmission) {
  // With a small MTU the client's second flight spans several datagrams;
  // losing the first one makes the ChangeCipherSpec arrive while messages
  // before it are missing, and the server drops it. Its retransmission
  // must still be accepted.
  DtlsOptions small;
  small.mtu = 300;
  Pair p(small, small);
  p.drop = [](const Packet& pk) { return pk.dir == Dir::to_server && pk.index == 1; };
  p.start();
  p.run();
  expect_connected(p);
  expect_keys_match(p);
  EXPECT_EQ(p.client.retransmissions(), 1u);
}

TEST(DtlsTransport, ServerResendsItsLastFlightAtABoundedRate) {
  // Record what the client sends; the server's answers reach the client.
  Pair p;
  std::vector<Bytes> client_flight;
  p.drop = [&](const Packet& pk) {
    if (pk.dir == Dir::to_server && pk.index > 0) client_flight.push_back(pk.bytes);
    return false;
  };
  p.start();
  p.run();
  expect_connected(p);
  ASSERT_FALSE(client_flight.empty());
  // The client's last flight again, three times at once: one answer.
  for (int i = 0; i < 3; ++i) {
    for (const auto& d : client_flight) EXPECT_TRUE(p.server.handle(d, p.now).ok());
  }
  auto resent = p.server.take_outgoing();
  EXPECT_EQ(resent.size(), 1u);
  EXPECT_EQ(p.server.retransmissions(), 1u);
  // The client has that flight already: it drops the copy and stays up.
  for (const auto& d : resent) EXPECT_TRUE(p.client.handle(d, p.now).ok());
  EXPECT_EQ(p.client.state(), DtlsState::connected);
  // Half an initial timeout later, once more; never more than a bound.
  for (int i = 0; i < 40; ++i) {
    p.now += 200ms;
    for (const auto& d : client_flight) EXPECT_TRUE(p.server.handle(d, p.now).ok());
  }
  const DtlsOptions defaults;
  EXPECT_EQ(p.server.retransmissions(),
            2u * static_cast<unsigned>(defaults.max_retransmissions + 1));
  EXPECT_EQ(p.server.state(), DtlsState::connected);
  // The client never resends anything once connected.
  EXPECT_TRUE(p.client.take_outgoing().empty());
}

TEST(DtlsTransport, SmallMtuFragmentsAndReorderingStillConnect) {
  DtlsOptions small;
  small.mtu = 300;
  Pair p(small, small);
  p.reorder = true;  // every batch arrives backwards
  p.start();
  p.run();
  expect_connected(p);
  expect_keys_match(p);
  for (size_t size : p.sizes) EXPECT_LE(size, 300u);
  // The certificates (about 500 bytes each) needed more than one datagram.
  EXPECT_GT(p.sent_to_client, 2u);
  EXPECT_GT(p.sent_to_server, 2u);
}

TEST(DtlsTransport, RandomLossAndReorderingStillConnect) {
  DtlsOptions options;
  options.mtu = 400;
  options.max_retransmissions = 10;
  int connected = 0;
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    Pair p(options, options);
    std::mt19937 rng(seed);
    p.reorder = seed % 2 == 0;
    p.drop = [&rng](const Packet&) { return std::uniform_int_distribution<int>(0, 99)(rng) < 25; };
    p.start();
    p.run(600s);
    // With 25% loss and ten retransmissions per flight both sides get
    // there; if not, they must have failed cleanly rather than hung.
    ASSERT_TRUE(Pair::done(p.client) && Pair::done(p.server)) << "seed " << seed;
    if (p.client.state() == DtlsState::connected && p.server.state() == DtlsState::connected) {
      ++connected;
      expect_keys_match(p);
    }
  }
  EXPECT_EQ(connected, 30);
}

TEST(DtlsTransport, SilentPeerTimesOutAfterBoundedRetransmissions) {
  DtlsOptions options;
  options.max_retransmissions = 3;
  auto client = Pair::make(DtlsRole::client, client_cert(), server_cert(), options);
  TimePoint now{5s};
  ASSERT_TRUE(client.start(now).ok());
  EXPECT_EQ(client.take_outgoing().size(), 1u);
  std::vector<TimePoint> sent_at;
  while (client.state() == DtlsState::connecting) {
    auto next = client.next_timeout();
    ASSERT_TRUE(next);
    // Early calls do nothing.
    client.on_timeout(*next - 1ms);
    EXPECT_TRUE(client.take_outgoing().empty());
    now = *next;
    client.on_timeout(now);
    auto out = client.take_outgoing();
    if (!out.empty()) sent_at.push_back(now);
  }
  ASSERT_EQ(client.state(), DtlsState::failed);
  EXPECT_TRUE(client.failure()->is(DtlsErrc::timeout));
  const TimePoint t0{5s};
  ASSERT_EQ(sent_at.size(), 3u);
  EXPECT_EQ(sent_at[0], t0 + 400ms);
  EXPECT_EQ(sent_at[1], t0 + 1200ms);
  EXPECT_EQ(sent_at[2], t0 + 2800ms);
  EXPECT_EQ(now, t0 + 6000ms);
  EXPECT_EQ(client.retransmissions(), 3u);
  EXPECT_FALSE(client.next_timeout());
  // A failed transport ignores what comes later.
  EXPECT_TRUE(client.handle(Bytes{22, 0xfe, 0xfd}, now).error().is(DtlsErrc::bad_state));
}

TEST(DtlsTransport, RejectsDatagramsThatAreNotDtlsAndCallsOutOfOrder) {
  auto server = Pair::make(DtlsRole::server, server_cert(), client_cert(), {});
  const TimePoint now{1s};
  EXPECT_TRUE(server.handle(Bytes{22, 0xfe, 0xfd}, now).error().is(DtlsErrc::bad_state));
  ASSERT_TRUE(server.start(now).ok());
  EXPECT_TRUE(server.start(now).error().is(DtlsErrc::bad_state));
  EXPECT_TRUE(server.handle(Bytes{}, now).error().is(DtlsErrc::not_dtls));
  EXPECT_TRUE(server.handle(Bytes{19, 1, 2}, now).error().is(DtlsErrc::not_dtls));
  EXPECT_TRUE(server.handle(Bytes{64, 1, 2}, now).error().is(DtlsErrc::not_dtls));
  EXPECT_TRUE(server.handle(Bytes{0x80, 1, 2}, now).error().is(DtlsErrc::not_dtls));
  EXPECT_TRUE(server.handle(Bytes(DtlsTransport::kMaxDatagramSize + 1, 22), now)
                  .error()
                  .is(DtlsErrc::not_dtls));
  EXPECT_EQ(server.datagrams_received(), 0u);
  EXPECT_EQ(server.state(), DtlsState::connecting);
  EXPECT_TRUE(server.keying_material().error().is(DtlsErrc::bad_state));
}

// Datagrams in the DTLS range that are not records OpenSSL would act on:
// random bytes, truncated headers, a TLS (not DTLS) version, a length that
// overruns, an unknown epoch.
std::vector<Bytes> garbage_datagrams(uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Bytes> out;
  for (int i = 0; i < 40; ++i) {
    Bytes d(std::uniform_int_distribution<size_t>(1, 300)(rng));
    for (auto& b : d) b = static_cast<uint8_t>(rng());
    d[0] = static_cast<uint8_t>(std::uniform_int_distribution<int>(20, 63)(rng));
    out.push_back(std::move(d));
  }
  out.push_back({22});
  out.push_back({22, 0xfe, 0xfd, 0, 0});
  // Handshake record with a TLS 1.2 version number.
  out.push_back({22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0});
  // Length beyond the datagram.
  out.push_back({22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 1, 2, 3});
  // Epoch 7 application data.
  out.push_back({23, 0xfe, 0xfd, 0, 7, 0, 0, 0, 0, 0, 1, 0, 3, 1, 2, 3});
  return out;
}

TEST(DtlsTransport, GarbageBeforeAndDuringTheHandshakeIsIgnored) {
  Pair p;
  p.start();
  const auto junk = garbage_datagrams(7);
  for (const auto& d : junk) {
    (void)p.server.handle(d, p.now);
    (void)p.client.handle(d, p.now);
  }
  EXPECT_EQ(p.server.state(), DtlsState::connecting);
  EXPECT_EQ(p.client.state(), DtlsState::connecting);
  // Junk between every real datagram.
  size_t k = 0;
  p.drop = [&](const Packet& pk) {
    DtlsTransport& to = pk.dir == Dir::to_server ? p.server : p.client;
    (void)to.handle(junk[k++ % junk.size()], p.now);
    return false;
  };
  p.run();
  expect_connected(p);
  expect_keys_match(p);
  // And after the handshake.
  for (const auto& d : junk) {
    (void)p.server.handle(d, p.now);
    (void)p.client.handle(d, p.now);
  }
  expect_connected(p);
}

TEST(DtlsTransport, BogusHandshakeMessageFailsTheHandshakeWithAReason) {
  auto server = Pair::make(DtlsRole::server, server_cert(), client_cert(), {});
  const TimePoint now{1s};
  ASSERT_TRUE(server.start(now).ok());
  // A well-formed DTLS 1.2 record holding a ClientHello fragment whose
  // fragment runs past its message length.
  const Bytes record = {22,   0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16,  // header
                        1,    0,    0,    4,                               // ClientHello, len 4
                        0,    0,                                           // message_seq
                        0,    0,    2,                                     // fragment_offset 2
                        0,    0,    4,                                     // fragment_length 4
                        0xfe, 0xfd, 0, 0};
  auto status = server.handle(record, now);
  ASSERT_EQ(server.state(), DtlsState::failed);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.error().is(DtlsErrc::handshake_failed));
  EXPECT_TRUE(server.failure()->is(DtlsErrc::handshake_failed));
  EXPECT_FALSE(server.failure()->detail().empty());
}

TEST(DtlsTransport, CloseSendsCloseNotify) {
  Pair p;
  p.start();
  p.run();
  expect_connected(p);
  p.client.close();
  EXPECT_EQ(p.client.state(), DtlsState::closed);
  EXPECT_FALSE(p.client.failure());  // we closed it ourselves
  auto out = p.client.take_outgoing();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0][0], 21);  // an alert record
  auto status = p.server.handle(out[0], p.now);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.error().is(DtlsErrc::closed));
  EXPECT_EQ(p.server.state(), DtlsState::closed);
  EXPECT_TRUE(p.server.failure()->is(DtlsErrc::closed));
  EXPECT_TRUE(p.server.keying_material().error().is(DtlsErrc::bad_state));
  p.client.close();  // idempotent
  EXPECT_TRUE(p.client.take_outgoing().empty());
}

TEST(DtlsTransport, CreateRejectsBadOptions) {
  auto make = [](DtlsOptions o) {
    return DtlsTransport::create(DtlsRole::client, client_cert(), server_cert().fingerprint(),
                                 std::move(o));
  };
  DtlsOptions tiny;
  tiny.mtu = 100;
  EXPECT_TRUE(make(tiny).error().is(DtlsErrc::invalid_argument));
  EXPECT_TRUE(make(with_profiles({})).error().is(DtlsErrc::invalid_argument));
  EXPECT_TRUE(
      make(with_profiles({static_cast<SrtpProfile>(2)})).error().is(DtlsErrc::invalid_argument));
  DtlsOptions backwards;
  backwards.max_timeout = 1ms;
  EXPECT_TRUE(make(backwards).error().is(DtlsErrc::invalid_argument));
  EXPECT_TRUE(make({}).ok());
}

TEST(DtlsTransport, SrtpKeysConcatenateKeyThenSalt) {
  SrtpKeys keys;
  keys.client_write_key = SecretBytes(Bytes{1, 2});
  keys.client_write_salt = SecretBytes(Bytes{3});
  keys.server_write_key = SecretBytes(Bytes{4});
  keys.server_write_salt = SecretBytes(Bytes{5, 6});
  EXPECT_EQ(keys.client_master().reveal_copy(), (Bytes{1, 2, 3}));
  EXPECT_EQ(keys.server_master().reveal_copy(), (Bytes{4, 5, 6}));
}

}  // namespace
}  // namespace conclave::net
