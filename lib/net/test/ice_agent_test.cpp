#include "conclave/net/ice_agent.h"

#include <gtest/gtest.h>

#include <string>

#include "conclave/net/ice_lite.h"

namespace conclave::net {
namespace {

using namespace std::chrono_literals;
using TimePoint = Clock::TimePoint;

const std::string kServerUfrag = "srvU";
const std::string kServerPwd = "server-password-0123456789";
const std::string kClientUfrag = "cli1";
const uint64_t kTieBreaker = 0x0102030405060708;
const TransportAddress kServer = TransportAddress::ipv4({203, 0, 113, 10}, 40000);
const TransportAddress kClient = TransportAddress::ipv4({198, 51, 100, 7}, 54321);
const TransportAddress kElsewhere = TransportAddress::ipv4({192, 0, 2, 99}, 40000);

IceAgentConfig agent_config() {
  IceAgentConfig c;
  c.local_ufrag = kClientUfrag;
  c.remote_ufrag = kServerUfrag;
  c.remote_pwd = SecretBytes(as_bytes(kServerPwd));
  c.remote = kServer;
  c.tie_breaker = kTieBreaker;
  return c;
}

IceLiteConfig lite_config() {
  IceLiteConfig c;
  c.local_ufrag = kServerUfrag;
  c.local_pwd = SecretBytes(as_bytes(kServerPwd));
  c.remote_ufrag = kClientUfrag;
  return c;
}

// The agent and the real ICE-lite responder, joined in memory; the server
// can stop answering and the network can lose requests.
struct Link {
  IceAgent agent{agent_config()};
  IceLite lite{lite_config()};
  TimePoint now{100s};
  bool answering = true;
  size_t lose_requests = 0;  // the first N requests are lost
  size_t requests = 0;
  std::vector<TimePoint> sent_at;

  // One poll at `now`, every request through the responder and back.
  void step() {
    for (const Bytes& request : agent.poll(now)) {
      ++requests;
      sent_at.push_back(now);
      if (requests <= lose_requests || !answering) continue;
      IceLiteOutcome served = lite.handle(request, kClient, now);
      EXPECT_TRUE(served.accepted()) << to_string(*served.drop);
      if (served.response.empty()) continue;
      IceAgentOutcome got = agent.handle(served.response, kServer, now);
      EXPECT_TRUE(got.accepted()) << to_string(*got.drop);
    }
  }

  // Steps from timeout to timeout until `until`, or until nothing is due.
  void run_until(TimePoint until) {
    while (true) {
      step();
      auto next = agent.next_timeout();
      if (!next || *next > until) return;
      now = *next;
    }
  }
};

StunMessage parse(const Bytes& datagram) {
  auto m = StunMessage::parse(datagram);
  EXPECT_TRUE(m.ok());
  CV_CHECK(m.ok());
  return *m;
}

TEST(IceAgent, ChecksAgainstIceLiteConnectAndNominate) {
  Link link;
  EXPECT_EQ(link.agent.state(), IceAgentState::idle);
  EXPECT_FALSE(link.agent.next_timeout());
  EXPECT_TRUE(link.agent.poll(link.now).empty());
  link.agent.start(link.now);
  EXPECT_EQ(link.agent.state(), IceAgentState::checking);
  EXPECT_EQ(link.agent.next_timeout(), link.now);

  auto requests = link.agent.poll(link.now);
  ASSERT_EQ(requests.size(), 1u);
  const StunMessage req = parse(requests[0]);
  EXPECT_EQ(req.method(), StunMethod::binding);
  EXPECT_EQ(req.message_class(), StunClass::request);
  EXPECT_EQ(req.username(), kServerUfrag + ":" + kClientUfrag);
  EXPECT_EQ(req.priority(), kPeerReflexivePriority);
  EXPECT_EQ(kPeerReflexivePriority, 0x6effffffu);
  EXPECT_EQ(req.ice_controlling(), kTieBreaker);
  EXPECT_FALSE(req.ice_controlled());
  EXPECT_TRUE(req.use_candidate());
  EXPECT_TRUE(req.verify_integrity(as_bytes(kServerPwd)).ok());
  EXPECT_TRUE(req.verify_fingerprint().ok());
  EXPECT_TRUE(req.unknown_comprehension_required().empty());

  IceLiteOutcome served = link.lite.handle(requests[0], kClient, link.now);
  ASSERT_TRUE(served.accepted()) << to_string(*served.drop);
  EXPECT_TRUE(served.nominated);
  IceAgentOutcome got = link.agent.handle(served.response, kServer, link.now);
  ASSERT_TRUE(got.accepted()) << to_string(*got.drop);
  EXPECT_TRUE(got.connected);

  EXPECT_EQ(link.agent.state(), IceAgentState::connected);
  EXPECT_TRUE(link.agent.nominated());
  EXPECT_FALSE(link.agent.failure());
  EXPECT_EQ(link.agent.mapped_address(), kClient);
  EXPECT_EQ(link.agent.last_consent(), link.now);
  EXPECT_EQ(link.agent.successes(), 1u);
  EXPECT_EQ(link.lite.selected(), kClient);
  EXPECT_FALSE(link.lite.consent_expired(link.now));
  // Nothing more until the first consent check, 4 to 6 s later.
  EXPECT_TRUE(link.agent.poll(link.now).empty());
  auto next = link.agent.next_timeout();
  ASSERT_TRUE(next);
  EXPECT_GE(*next - link.now, 4s);
  EXPECT_LE(*next - link.now, 6s);
}

TEST(IceAgent, RetransmitsOnTheRfc8489ScheduleThenFails) {
  Link link;
  link.answering = false;
  const TimePoint t0 = link.now;
  link.agent.start(link.now);
  std::vector<Bytes> copies;
  while (link.agent.state() == IceAgentState::checking) {
    for (auto& r : link.agent.poll(link.now)) {
      link.sent_at.push_back(link.now);
      copies.push_back(std::move(r));
    }
    auto next = link.agent.next_timeout();
    if (!next) break;
    // Polling early sends nothing.
    EXPECT_TRUE(link.agent.poll(*next - 1ms).empty());
    link.now = *next;
  }
  ASSERT_EQ(link.agent.state(), IceAgentState::failed);
  EXPECT_EQ(link.agent.failure(), IceAgentFailure::check_timeout);
  // Rc = 7 sends at 0, 100, 300, 700, 1500, 3100, 6300 ms; the check
  // fails Rm = 16 RTOs after the last one.
  const std::vector<TimePoint> expected = {t0,          t0 + 100ms,  t0 + 300ms, t0 + 700ms,
                                           t0 + 1500ms, t0 + 3100ms, t0 + 6300ms};
  EXPECT_EQ(link.sent_at, expected);
  EXPECT_EQ(link.now, t0 + 7900ms);
  EXPECT_EQ(link.agent.requests_sent(), 7u);
  // A retransmission is the same request, transaction ID included.
  for (const auto& c : copies) EXPECT_EQ(c, copies[0]);
  EXPECT_FALSE(link.agent.next_timeout());
  EXPECT_TRUE(link.agent.poll(link.now + 1s).empty());
}

TEST(IceAgent, LostRequestsAreRetransmittedUntilAnswered) {
  Link link;
  link.lose_requests = 2;
  const TimePoint t0 = link.now;
  link.agent.start(link.now);
  link.run_until(t0 + 1s);
  EXPECT_EQ(link.agent.state(), IceAgentState::connected);
  EXPECT_EQ(link.agent.last_consent(), t0 + 300ms);
  EXPECT_EQ(link.requests, 3u);
  EXPECT_EQ(link.lite.selected(), kClient);
}

TEST(IceAgent, ConsentChecksKeepTheSessionAlive) {
  Link link;
  const TimePoint t0 = link.now;
  link.agent.start(link.now);
  link.run_until(t0 + 120s);
  EXPECT_EQ(link.agent.state(), IceAgentState::connected);
  // One check to connect, then one every 4-6 s.
  ASSERT_GE(link.sent_at.size(), 1u + 120 / 6);
  ASSERT_LE(link.sent_at.size(), 1u + 120 / 4);
  for (size_t i = 1; i < link.sent_at.size(); ++i) {
    const auto gap = link.sent_at[i] - link.sent_at[i - 1];
    EXPECT_GE(gap, 4s) << i;
    EXPECT_LE(gap, 6s) << i;
  }
  EXPECT_EQ(link.agent.successes(), link.sent_at.size());
  EXPECT_EQ(link.lite.answered(), link.sent_at.size());
  EXPECT_TRUE(link.lite.has_consent(kClient, link.now));
  EXPECT_EQ(link.lite.selected(), kClient);
  // The intervals are jittered, not all the same.
  bool varied = false;
  for (size_t i = 2; i < link.sent_at.size(); ++i) {
    varied |= (link.sent_at[i] - link.sent_at[i - 1]) != (link.sent_at[1] - link.sent_at[0]);
  }
  EXPECT_TRUE(varied);
}

TEST(IceAgent, ConsentIsLostThirtySecondsAfterTheLastSuccess) {
  Link link;
  const TimePoint t0 = link.now;
  link.agent.start(link.now);
  link.run_until(t0 + 20s);
  ASSERT_EQ(link.agent.state(), IceAgentState::connected);
  const TimePoint last = *link.agent.last_consent();
  link.answering = false;
  link.run_until(t0 + 120s);
  ASSERT_EQ(link.agent.state(), IceAgentState::failed);
  EXPECT_EQ(link.agent.failure(), IceAgentFailure::consent_lost);
  EXPECT_EQ(link.now, last + 30s);
  EXPECT_EQ(link.agent.last_consent(), last);
  // The agent kept asking meanwhile (and the server's consent ran out too).
  EXPECT_GT(link.agent.requests_sent(), link.agent.successes());
  EXPECT_TRUE(link.lite.consent_expired(link.now + 1s));
  EXPECT_FALSE(link.agent.next_timeout());
  // A late answer changes nothing.
  EXPECT_EQ(link.agent.handle(Bytes{0, 1}, kServer, link.now).drop,
            IceAgentDropReason::not_running);
  EXPECT_EQ(link.agent.state(), IceAgentState::failed);
}

// A response to `request` as a server would build it, with knobs to break it.
struct ResponseOptions {
  StunClass cls = StunClass::success_response;
  std::optional<StunTransactionId> id;  // default: the request's
  std::string password = kServerPwd;
  bool mapped = true;
  bool integrity = true;
  bool fingerprint = true;
};

Bytes response_to(const Bytes& request, const ResponseOptions& o = {}) {
  const StunMessage req = parse(request);
  StunMessageBuilder b(StunMethod::binding, o.cls, o.id ? *o.id : req.transaction_id());
  if (o.cls == StunClass::error_response) b.add_error_code(487, "Role Conflict");
  if (o.mapped) b.add_xor_mapped_address(kClient);
  if (o.integrity) b.add_message_integrity(as_bytes(o.password));
  if (o.fingerprint) b.add_fingerprint();
  return std::move(b).bytes();
}

TEST(IceAgent, ResponsesThatDoNotAuthenticateAreDroppedWithReasons) {
  IceAgent agent(agent_config());
  const TimePoint now{1s};
  EXPECT_EQ(agent.handle(Bytes{1}, kServer, now).drop, IceAgentDropReason::not_running);
  agent.start(now);
  auto requests = agent.poll(now);
  ASSERT_EQ(requests.size(), 1u);
  const Bytes& req = requests[0];

  auto expect_drop = [&](const Bytes& datagram, IceAgentDropReason reason,
                         const TransportAddress& from = kServer) {
    const uint64_t before = agent.drops(reason);
    IceAgentOutcome out = agent.handle(datagram, from, now);
    ASSERT_FALSE(out.accepted()) << to_string(reason);
    EXPECT_EQ(*out.drop, reason) << to_string(*out.drop) << " instead of " << to_string(reason);
    EXPECT_FALSE(out.connected);
    EXPECT_EQ(agent.drops(reason), before + 1);
    EXPECT_EQ(agent.state(), IceAgentState::checking);
  };

  expect_drop(Bytes{0x80, 1, 2, 3}, IceAgentDropReason::not_stun);
  Bytes truncated_attr = response_to(req);
  truncated_attr[kStunHeaderSize + 3] = 0xff;  // first attribute's length overruns
  expect_drop(truncated_attr, IceAgentDropReason::malformed);
  expect_drop(req, IceAgentDropReason::not_binding_response);  // a request
  ResponseOptions indication;
  indication.cls = StunClass::indication;
  expect_drop(response_to(req, indication), IceAgentDropReason::not_binding_response);
  ResponseOptions no_fp;
  no_fp.fingerprint = false;
  expect_drop(response_to(req, no_fp), IceAgentDropReason::missing_fingerprint);
  Bytes bad_fp = response_to(req);
  bad_fp.back() ^= 1;
  expect_drop(bad_fp, IceAgentDropReason::bad_fingerprint);
  ResponseOptions unknown;
  unknown.id = StunTransactionId{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
  expect_drop(response_to(req, unknown), IceAgentDropReason::unknown_transaction);
  expect_drop(response_to(req), IceAgentDropReason::wrong_source, kElsewhere);
  ResponseOptions error;
  error.cls = StunClass::error_response;
  error.mapped = false;
  expect_drop(response_to(req, error), IceAgentDropReason::error_response);
  ResponseOptions unsigned_response;
  unsigned_response.integrity = false;
  expect_drop(response_to(req, unsigned_response), IceAgentDropReason::missing_integrity);
  ResponseOptions wrong_password;
  wrong_password.password = "not-the-server-password";
  expect_drop(response_to(req, wrong_password), IceAgentDropReason::bad_integrity);
  ResponseOptions no_mapped;
  no_mapped.mapped = false;
  expect_drop(response_to(req, no_mapped), IceAgentDropReason::missing_mapped_address);
  EXPECT_EQ(agent.successes(), 0u);
  EXPECT_FALSE(agent.mapped_address());

  // None of that spoiled the transaction: the real answer still counts...
  IceAgentOutcome ok = agent.handle(response_to(req), kServer, now);
  ASSERT_TRUE(ok.accepted()) << to_string(*ok.drop);
  EXPECT_TRUE(ok.connected);
  EXPECT_EQ(agent.state(), IceAgentState::connected);
  EXPECT_EQ(agent.mapped_address(), kClient);
  // ...once: a second answer to it (a retransmission answered) is stale.
  IceAgentOutcome again = agent.handle(response_to(req), kServer, now);
  EXPECT_EQ(again.drop, IceAgentDropReason::stale_transaction);
  EXPECT_EQ(agent.successes(), 1u);
  uint64_t total = 0;
  for (size_t i = 0; i < kIceAgentDropReasonCount; ++i) {
    total += agent.drops(static_cast<IceAgentDropReason>(i));
  }
  EXPECT_EQ(total, 14u);
}

TEST(IceAgent, ReasonsHaveNames) {
  for (size_t i = 0; i < kIceAgentDropReasonCount; ++i) {
    EXPECT_NE(to_string(static_cast<IceAgentDropReason>(i)), "unknown") << i;
  }
  EXPECT_EQ(to_string(IceAgentState::connected), "connected");
  EXPECT_EQ(to_string(IceAgentFailure::consent_lost), "consent_lost");
}

}  // namespace
}  // namespace conclave::net
