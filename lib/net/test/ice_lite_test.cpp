#include "conclave/net/ice_lite.h"

#include <gtest/gtest.h>

#include <string>

#include "conclave/base/encoding.h"

namespace conclave::net {
namespace {

using namespace std::chrono_literals;

const std::string kLocalUfrag = "srvU";
const std::string kLocalPwd = "server-password-0123456789";
const std::string kRemoteUfrag = "cli1";
const TransportAddress kFrom = TransportAddress::ipv4({198, 51, 100, 7}, 54321);
const TransportAddress kOther =
    TransportAddress::ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42}, 40000);

Bytes hex(std::string_view text) {
  auto b = from_hex(text);
  EXPECT_TRUE(b.ok()) << text;
  return b.ok() ? *b : Bytes{};
}

IceLiteConfig config() {
  IceLiteConfig c;
  c.local_ufrag = kLocalUfrag;
  c.local_pwd = SecretBytes(as_bytes(kLocalPwd));
  return c;
}

struct RequestOptions {
  std::string username = kLocalUfrag + ":" + kRemoteUfrag;
  std::string password = kLocalPwd;
  bool username_attr = true;
  bool integrity = true;
  bool fingerprint = true;
  bool use_candidate = false;
  bool controlled = false;
  std::vector<uint16_t> extra_types;
  StunClass cls = StunClass::request;
  StunMethod method = StunMethod::binding;
  uint8_t txid_seed = 1;
};

// A connectivity check as Chromium sends it: USERNAME, GOOG-NETWORK-INFO,
// ICE-CONTROLLING (or -CONTROLLED), USE-CANDIDATE when nominating,
// PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT.
Bytes request(const RequestOptions& o = {}) {
  StunTransactionId id{};
  for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<uint8_t>(o.txid_seed + i);
  StunMessageBuilder b(o.method, o.cls, id);
  if (o.username_attr) b.add_username(o.username);
  b.add(StunAttributeType::goog_network_info, hex("00010005"));
  if (o.controlled) {
    b.add_ice_controlled(0x1122334455667788);
  } else {
    b.add_ice_controlling(0x1122334455667788);
  }
  if (o.use_candidate) b.add_use_candidate();
  b.add_priority(0x6e7f1eff);
  for (uint16_t t : o.extra_types) b.add(t, as_bytes("x"));
  if (o.integrity) b.add_message_integrity(as_bytes(o.password));
  if (o.fingerprint) b.add_fingerprint();
  return std::move(b).bytes();
}

StunMessage parse_response(const IceLiteOutcome& out) {
  auto m = StunMessage::parse(out.response);
  EXPECT_TRUE(m.ok());
  CV_CHECK(m.ok());
  return *m;
}

TEST(IceLite, AnswersAValidBindingRequest) {
  IceLite ice(config());
  const Bytes req = request();
  const auto t = Clock::TimePoint(10s);
  auto out = ice.handle(req, kFrom, t);
  ASSERT_TRUE(out.accepted()) << to_string(*out.drop);
  EXPECT_FALSE(out.nominated);
  StunMessage resp = parse_response(out);
  EXPECT_EQ(resp.method(), StunMethod::binding);
  EXPECT_EQ(resp.message_class(), StunClass::success_response);
  EXPECT_EQ(resp.transaction_id(), StunMessage::parse(req)->transaction_id());
  EXPECT_EQ(resp.xor_mapped_address(), kFrom);
  EXPECT_TRUE(resp.verify_integrity(as_bytes(kLocalPwd)).ok());
  EXPECT_TRUE(resp.verify_fingerprint().ok());
  EXPECT_TRUE(resp.unknown_comprehension_required().empty());

  EXPECT_EQ(ice.answered(), 1u);
  EXPECT_EQ(ice.remote_ufrag(), kRemoteUfrag);
  EXPECT_FALSE(ice.selected());
  EXPECT_EQ(ice.last_valid_request(kFrom), t);
  EXPECT_TRUE(ice.has_consent(kFrom, t));
  EXPECT_FALSE(ice.has_consent(kOther, t));
  // Not nominated yet: no selected pair, so no consent for media.
  EXPECT_TRUE(ice.consent_expired(t));
}

TEST(IceLite, IPv6SourceGetsIPv6MappedAddress) {
  IceLite ice(config());
  auto out = ice.handle(request(), kOther, Clock::TimePoint(1s));
  ASSERT_TRUE(out.accepted());
  EXPECT_EQ(parse_response(out).xor_mapped_address(), kOther);
}

TEST(IceLite, UseCandidateSelectsThePair) {
  IceLite ice(config());
  RequestOptions o;
  o.use_candidate = true;
  auto out = ice.handle(request(o), kFrom, Clock::TimePoint(1s));
  ASSERT_TRUE(out.accepted());
  EXPECT_TRUE(out.nominated);
  EXPECT_EQ(ice.selected(), kFrom);
  EXPECT_FALSE(ice.consent_expired(Clock::TimePoint(1s)));

  // A check without USE-CANDIDATE from elsewhere does not move it...
  auto plain = ice.handle(request(), kOther, Clock::TimePoint(2s));
  ASSERT_TRUE(plain.accepted());
  EXPECT_FALSE(plain.nominated);
  EXPECT_EQ(ice.selected(), kFrom);
  // ...a later nomination does (the browser switched networks).
  auto moved = ice.handle(request(o), kOther, Clock::TimePoint(3s));
  ASSERT_TRUE(moved.accepted());
  EXPECT_TRUE(moved.nominated);
  EXPECT_EQ(ice.selected(), kOther);
  EXPECT_EQ(ice.answered(), 3u);
}

TEST(IceLite, WrongPasswordIsDroppedWithTheReason) {
  IceLite ice(config());
  RequestOptions o;
  o.password = "not-the-password";
  o.use_candidate = true;
  auto out = ice.handle(request(o), kFrom, Clock::TimePoint(1s));
  ASSERT_FALSE(out.accepted());
  EXPECT_EQ(*out.drop, IceDropReason::bad_integrity);
  EXPECT_EQ(ice.drops(IceDropReason::bad_integrity), 1u);
  EXPECT_EQ(ice.answered(), 0u);
  // Nothing about the session changed.
  EXPECT_FALSE(out.nominated);
  EXPECT_FALSE(ice.selected());
  EXPECT_FALSE(ice.remote_ufrag());
  EXPECT_FALSE(ice.last_valid_request(kFrom));
  // RFC 8489 section 9.1.3: 401, without MESSAGE-INTEGRITY.
  StunMessage resp = parse_response(out);
  EXPECT_EQ(resp.message_class(), StunClass::error_response);
  ASSERT_TRUE(resp.error_code());
  EXPECT_EQ(resp.error_code()->code, 401);
  EXPECT_FALSE(resp.has(StunAttributeType::message_integrity));
  EXPECT_TRUE(resp.verify_fingerprint().ok());
}

TEST(IceLite, ErrorResponsesCanBeTurnedOff) {
  IceLiteConfig c = config();
  c.send_error_responses = false;
  IceLite ice(std::move(c));
  RequestOptions o;
  o.password = "wrong";
  auto out = ice.handle(request(o), kFrom, Clock::TimePoint(1s));
  EXPECT_EQ(out.drop, IceDropReason::bad_integrity);
  EXPECT_TRUE(out.response.empty());
}

TEST(IceLite, WrongUsername) {
  IceLite ice(config());
  for (const std::string& name : {std::string("other:cli1"), std::string("srvU"),
                                  std::string("srvUx:cli1"), std::string(":srvU")}) {
    RequestOptions o;
    o.username = name;
    auto out = ice.handle(request(o), kFrom, Clock::TimePoint(1s));
    EXPECT_EQ(out.drop, IceDropReason::wrong_username) << name;
    ASSERT_FALSE(out.response.empty());
    EXPECT_EQ(parse_response(out).error_code()->code, 401);
  }
  EXPECT_EQ(ice.drops(IceDropReason::wrong_username), 4u);
}

TEST(IceLite, MissingCredentials) {
  IceLite ice(config());
  RequestOptions no_user;
  no_user.username_attr = false;
  RequestOptions no_mi;
  no_mi.integrity = false;
  for (const auto& o : {no_user, no_mi}) {
    auto out = ice.handle(request(o), kFrom, Clock::TimePoint(1s));
    EXPECT_EQ(out.drop, IceDropReason::missing_credentials);
    EXPECT_EQ(parse_response(out).error_code()->code, 400);
  }
  EXPECT_EQ(ice.drops(IceDropReason::missing_credentials), 2u);
}

TEST(IceLite, UnknownRemoteUfrag) {
  // Configured from the remote SDP.
  IceLiteConfig c = config();
  c.remote_ufrag = "expected";
  IceLite ice(std::move(c));
  auto out = ice.handle(request(), kFrom, Clock::TimePoint(1s));
  EXPECT_EQ(out.drop, IceDropReason::unknown_remote_ufrag);
  EXPECT_TRUE(out.response.empty());
  RequestOptions o;
  o.username = kLocalUfrag + ":expected";
  EXPECT_TRUE(ice.handle(request(o), kFrom, Clock::TimePoint(1s)).accepted());

  // Learnt from the first valid request.
  IceLite learner(config());
  ASSERT_TRUE(learner.handle(request(), kFrom, Clock::TimePoint(1s)).accepted());
  EXPECT_EQ(learner.handle(request(o), kFrom, Clock::TimePoint(2s)).drop,
            IceDropReason::unknown_remote_ufrag);
  EXPECT_EQ(learner.drops(IceDropReason::unknown_remote_ufrag), 1u);
  EXPECT_EQ(learner.remote_ufrag(), kRemoteUfrag);
}

TEST(IceLite, RoleConflictGets487) {
  IceLite ice(config());
  RequestOptions o;
  o.controlled = true;
  o.use_candidate = true;
  auto out = ice.handle(request(o), kFrom, Clock::TimePoint(1s));
  EXPECT_EQ(out.drop, IceDropReason::role_conflict);
  EXPECT_FALSE(ice.selected());
  StunMessage resp = parse_response(out);
  EXPECT_EQ(resp.error_code()->code, 487);
  EXPECT_TRUE(resp.verify_integrity(as_bytes(kLocalPwd)).ok());
  EXPECT_TRUE(resp.verify_fingerprint().ok());
}

TEST(IceLite, Rfc5769SampleRequestIsARoleConflict) {
  // RFC 5769's sample request authenticates with ufrag "evtj" and carries
  // ICE-CONTROLLED, which a lite (always controlled) agent must refuse.
  const Bytes sample =
      hex("000100582112a442b7e7a701bc34d686fa87dfae802200105354554e20746573"
          "7420636c69656e74002400046e0001ff80290008932ff9b151263b3600060009"
          "6576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249"
          "c1b571a280280004e57a3bcf");
  IceLiteConfig c;
  c.local_ufrag = "evtj";
  c.local_pwd = SecretBytes(as_bytes("VOkJxbRl1RmTxUk/WvJxBt"));
  IceLite ice(std::move(c));
  auto out = ice.handle(sample, kFrom, Clock::TimePoint(1s));
  EXPECT_EQ(out.drop, IceDropReason::role_conflict);
  EXPECT_EQ(ice.remote_ufrag(), std::nullopt);
  c = IceLiteConfig{};
  c.local_ufrag = "evtj";
  c.local_pwd = SecretBytes(as_bytes("wrong"));
  IceLite other(std::move(c));
  EXPECT_EQ(other.handle(sample, kFrom, Clock::TimePoint(1s)).drop, IceDropReason::bad_integrity);
}

TEST(IceLite, UnknownComprehensionRequiredGets420) {
  IceLite ice(config());
  RequestOptions o;
  o.extra_types = {0x7001, 0xC0FF, 0x7002};  // 0xC0FF is optional: ignored
  auto out = ice.handle(request(o), kFrom, Clock::TimePoint(1s));
  EXPECT_EQ(out.drop, IceDropReason::unknown_attributes);
  StunMessage resp = parse_response(out);
  EXPECT_EQ(resp.error_code()->code, 420);
  EXPECT_EQ(resp.unknown_attributes(), (std::vector<uint16_t>{0x7001, 0x7002}));
  EXPECT_TRUE(resp.verify_integrity(as_bytes(kLocalPwd)).ok());

  o.extra_types = {0xC0FF};
  EXPECT_TRUE(ice.handle(request(o), kFrom, Clock::TimePoint(1s)).accepted());
}

TEST(IceLite, NonStunAndMalformedAreDroppedSilently) {
  IceLite ice(config());
  const auto t = Clock::TimePoint(1s);
  const Bytes rtp = {0x80, 0x60, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  const Bytes dtls = {0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (const Bytes& b : {rtp, dtls, Bytes{}, Bytes{0x00, 0x01}}) {
    auto out = ice.handle(b, kFrom, t);
    EXPECT_EQ(out.drop, IceDropReason::not_stun);
    EXPECT_TRUE(out.response.empty());
  }
  // Valid framing, malformed attribute (PRIORITY of 3 bytes).
  StunMessageBuilder bad(StunMethod::binding, StunClass::request, StunTransactionId{});
  bad.add(StunAttributeType::priority, Bytes(3, 0));
  EXPECT_EQ(ice.handle(bad.bytes(), kFrom, t).drop, IceDropReason::malformed);

  // Bad fingerprint: the last byte flipped.
  Bytes flipped = request();
  flipped.back() ^= 0xff;
  auto out = ice.handle(flipped, kFrom, t);
  EXPECT_EQ(out.drop, IceDropReason::bad_fingerprint);
  EXPECT_TRUE(out.response.empty());

  RequestOptions no_fp;
  no_fp.fingerprint = false;
  EXPECT_EQ(ice.handle(request(no_fp), kFrom, t).drop, IceDropReason::missing_fingerprint);

  RequestOptions indication;
  indication.cls = StunClass::indication;
  EXPECT_EQ(ice.handle(request(indication), kFrom, t).drop, IceDropReason::indication);
  RequestOptions response;
  response.cls = StunClass::success_response;
  EXPECT_EQ(ice.handle(request(response), kFrom, t).drop, IceDropReason::not_binding_request);
  RequestOptions allocate;
  allocate.method = static_cast<StunMethod>(0x003);
  EXPECT_EQ(ice.handle(request(allocate), kFrom, t).drop, IceDropReason::not_binding_request);

  EXPECT_EQ(ice.drops(IceDropReason::not_stun), 4u);
  EXPECT_EQ(ice.drops(IceDropReason::malformed), 1u);
  EXPECT_EQ(ice.drops(IceDropReason::bad_fingerprint), 1u);
  EXPECT_EQ(ice.drops(IceDropReason::missing_fingerprint), 1u);
  EXPECT_EQ(ice.drops(IceDropReason::indication), 1u);
  EXPECT_EQ(ice.drops(IceDropReason::not_binding_request), 2u);
  EXPECT_EQ(ice.answered(), 0u);
  EXPECT_FALSE(ice.remote_ufrag());
}

TEST(IceLite, FingerprintCanBeOptional) {
  IceLiteConfig c = config();
  c.require_fingerprint = false;
  IceLite ice(std::move(c));
  RequestOptions no_fp;
  no_fp.fingerprint = false;
  EXPECT_TRUE(ice.handle(request(no_fp), kFrom, Clock::TimePoint(1s)).accepted());
}

TEST(IceLite, ConsentExpiresThirtySecondsAfterTheLastValidRequest) {
  FakeClock clock;
  IceLite ice(config());
  EXPECT_TRUE(ice.consent_expired(clock.now()));  // nothing selected yet
  RequestOptions nominate;
  nominate.use_candidate = true;
  ASSERT_TRUE(ice.handle(request(nominate), kFrom, clock.now()).accepted());
  const auto start = clock.now();
  clock.advance(29s);
  EXPECT_FALSE(ice.consent_expired(clock.now()));
  // A consent check (RFC 7675: every 5 s or so) refreshes it.
  clock.advance(1s);
  EXPECT_TRUE(ice.consent_expired(clock.now()));  // exactly 30 s
  ASSERT_TRUE(ice.handle(request(), kFrom, clock.now()).accepted());
  EXPECT_FALSE(ice.consent_expired(clock.now()));
  EXPECT_EQ(ice.last_valid_request(kFrom), start + 30s);

  // Failed or foreign requests do not refresh it.
  clock.advance(20s);
  RequestOptions wrong;
  wrong.password = "x";
  EXPECT_FALSE(ice.handle(request(wrong), kFrom, clock.now()).accepted());
  EXPECT_TRUE(ice.handle(request(), kOther, clock.now()).accepted());
  clock.advance(10s);
  EXPECT_TRUE(ice.consent_expired(clock.now()));
  EXPECT_TRUE(ice.has_consent(kOther, clock.now()));
  EXPECT_FALSE(ice.has_consent(kFrom, clock.now()));
}

TEST(IceLite, TracksABoundedSetOfAddressesKeepingTheSelectedOne) {
  IceLite ice(config());
  RequestOptions nominate;
  nominate.use_candidate = true;
  ASSERT_TRUE(ice.handle(request(nominate), kFrom, Clock::TimePoint(1s)).accepted());
  for (uint16_t port = 1; port <= 2 * IceLite::kMaxRemoteAddresses; ++port) {
    const auto from = TransportAddress::ipv4({203, 0, 113, 1}, port);
    ASSERT_TRUE(ice.handle(request(), from, Clock::TimePoint(1s + port * 1s)).accepted());
  }
  EXPECT_EQ(ice.last_valid_request(kFrom), Clock::TimePoint(1s));
  EXPECT_FALSE(ice.last_valid_request(TransportAddress::ipv4({203, 0, 113, 1}, 1)));
  EXPECT_TRUE(ice.last_valid_request(
      TransportAddress::ipv4({203, 0, 113, 1}, 2 * IceLite::kMaxRemoteAddresses)));
  EXPECT_EQ(ice.selected(), kFrom);
}

TEST(IceLite, DropReasonNames) {
  for (size_t i = 0; i < kIceDropReasonCount; ++i) {
    EXPECT_NE(to_string(static_cast<IceDropReason>(i)), "unknown") << i;
  }
}

}  // namespace
}  // namespace conclave::net
