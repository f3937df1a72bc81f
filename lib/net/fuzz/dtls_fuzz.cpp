// libFuzzer target: the DTLS transport (a server fed hostile datagrams, and
// a client/server handshake through a hostile network) and the ICE agent's
// response path.
//
// The first input byte picks the mode:
// - even: the rest is datagrams, each |length (2 bytes, big-endian)|bytes|,
//   fed to a fresh server DtlsTransport 100 ms apart (timeouts run in
//   between) and to a started IceAgent; each one parsed as STUN is also
//   re-addressed to the agent's pending transaction and re-signed with the
//   server's ice-pwd, which reaches the checks after authentication;
// - odd: a real client and server handshake, the rest of the input playing
//   the network: per datagram in flight one byte says deliver, drop,
//   duplicate, or flip one bit (the next byte says where).
//
// Oracles: nothing crashes or aborts; every datagram sent fits the MTU; a
// failed or closed transport stays so and ignores input; a connected one
// has an SRTP profile and keying material, and two connected ends derive
// the same keys crosswise; every datagram the agent handles is counted
// exactly once, as a success or under one drop reason, and an accepted
// one is an authenticated success for our transaction.
// Seeds: a ClientHello, and handshakes with no or little interference
// (scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "conclave/net/dtls_transport.h"
#include "conclave/net/ice_agent.h"
#include "conclave/net/stun_message.h"

namespace {

using namespace conclave;
using namespace conclave::net;
using namespace std::chrono_literals;

constexpr size_t kMtu = 600;
constexpr std::string_view kServerPwd = "fuzz-server-password-0123";

void check(bool ok) {
  if (!ok) std::abort();
}

const Certificate& certificate(int which) {
  static const Certificate a = *Certificate::generate_self_signed();
  static const Certificate b = *Certificate::generate_self_signed();
  return which == 0 ? a : b;
}

DtlsTransport make(DtlsRole role) {
  DtlsOptions options;
  options.mtu = kMtu;
  options.max_retransmissions = 4;
  const int own = role == DtlsRole::server ? 0 : 1;
  auto t = DtlsTransport::create(role, certificate(own), certificate(1 - own).fingerprint(),
                                 options);
  check(t.ok());
  return std::move(t).value();
}

bool terminal(DtlsState s) { return s == DtlsState::failed || s == DtlsState::closed; }

// The invariants of one transport after any call.
void check_transport(const DtlsTransport& t, DtlsState before) {
  if (terminal(before)) check(t.state() == before);
  if (terminal(t.state())) check(!t.next_timeout());
  if (t.state() == DtlsState::failed) check(t.failure().has_value());
  if (t.state() == DtlsState::connected) {
    check(t.srtp_profile().ok());
    auto keys = t.keying_material();
    check(keys.ok());
    check(keys->client_write_key.size() == srtp_master_key_length(keys->profile));
    check(t.local_master().ok() && t.remote_master().ok());
  } else {
    check(!t.keying_material().ok());
  }
}

void drain(DtlsTransport& t, std::vector<Bytes>* into) {
  for (auto& d : t.take_outgoing()) {
    check(!d.empty() && d.size() <= kMtu);
    if (into != nullptr) into->push_back(std::move(d));
  }
}

IceAgentConfig agent_config() {
  IceAgentConfig c;
  c.local_ufrag = "fzcl";
  c.remote_ufrag = "fzsv";
  c.remote_pwd = SecretBytes(as_bytes(kServerPwd));
  c.remote = TransportAddress::ipv4({192, 0, 2, 1}, 3478);
  c.tie_breaker = 42;
  return c;
}

uint64_t counted(const IceAgent& agent) {
  uint64_t n = agent.successes();
  for (size_t i = 0; i < kIceAgentDropReasonCount; ++i) {
    n += agent.drops(static_cast<IceAgentDropReason>(i));
  }
  return n;
}

void agent_handle(IceAgent& agent, BytesView datagram, const TransportAddress& from,
                  Clock::TimePoint now) {
  const uint64_t before = counted(agent);
  const IceAgentState state = agent.state();
  IceAgentOutcome out = agent.handle(datagram, from, now);
  check(counted(agent) == before + 1);
  if (out.accepted()) {
    auto m = StunMessage::parse(datagram);
    check(m.ok());
    check(m->message_class() == StunClass::success_response);
    check(m->verify_integrity(as_bytes(kServerPwd)).ok());
    check(m->verify_fingerprint().ok());
    check(agent.mapped_address() == m->xor_mapped_address());
    check(agent.state() == IceAgentState::connected);
    check(out.connected == (state == IceAgentState::checking));
  } else {
    check(!out.connected && agent.state() == state);
  }
}

// The datagram as STUN, moved to `id` and re-signed with the server's pwd.
std::optional<Bytes> resign(BytesView datagram, const StunTransactionId& id) {
  auto m = StunMessage::parse(datagram);
  if (!m.ok() || datagram.size() + 32 > kStunHeaderSize + 0xFFFF) return std::nullopt;
  StunMessageBuilder b(m->method(), m->message_class(), id);
  for (const auto& a : m->attributes()) {
    const auto type = static_cast<StunAttributeType>(a.type);
    if (type == StunAttributeType::message_integrity ||
        type == StunAttributeType::message_integrity_sha256 ||
        type == StunAttributeType::fingerprint) {
      continue;
    }
    b.add(a.type, a.value, a.padding);
  }
  b.add_message_integrity(as_bytes(kServerPwd)).add_fingerprint();
  return std::move(b).bytes();
}

void fuzz_datagrams(BytesView input) {
  DtlsTransport server = make(DtlsRole::server);
  Clock::TimePoint now{10s};
  check(server.start(now).ok());
  IceAgent agent(agent_config());
  agent.start(now);
  auto requests = agent.poll(now);
  check(requests.size() == 1);
  const StunTransactionId pending = StunMessage::parse(requests[0])->transaction_id();

  size_t offset = 0;
  for (int i = 0; i < 64 && offset + 2 <= input.size(); ++i) {
    size_t length = size_t{input[offset]} << 8 | input[offset + 1];
    offset += 2;
    length = std::min(length, input.size() - offset);
    const BytesView datagram = input.subspan(offset, length);
    offset += length;

    const DtlsState before = server.state();
    Status status = server.handle(datagram, now);
    if (terminal(before)) check(!status.ok());
    check_transport(server, before);
    drain(server, nullptr);
    now += 100ms;
    const DtlsState before_timeout = server.state();
    server.on_timeout(now);
    check_transport(server, before_timeout);
    drain(server, nullptr);

    agent_handle(agent, datagram, agent_config().remote, now);
    if (auto resigned = resign(datagram, pending)) {
      agent_handle(agent, *resigned, agent_config().remote, now);
    }
  }
  server.close();
  check(terminal(server.state()));
  drain(server, nullptr);
}

void fuzz_handshake(BytesView input) {
  DtlsTransport client = make(DtlsRole::client);
  DtlsTransport server = make(DtlsRole::server);
  Clock::TimePoint now{10s};
  check(server.start(now).ok());
  check(client.start(now).ok());
  size_t offset = 0;
  auto next_byte = [&]() -> uint8_t { return offset < input.size() ? input[offset++] : 0; };

  for (int round = 0; round < 200; ++round) {
    std::vector<Bytes> to_server;
    std::vector<Bytes> to_client;
    drain(client, &to_server);
    drain(server, &to_client);
    if (to_server.empty() && to_client.empty()) {
      std::optional<Clock::TimePoint> next;
      for (auto* t : {&client, &server}) {
        if (auto d = t->next_timeout(); d && (!next || *d < *next)) next = d;
      }
      if (!next) break;
      now = std::max(now, *next);
      for (auto* t : {&client, &server}) {
        const DtlsState before = t->state();
        t->on_timeout(now);
        check_transport(*t, before);
      }
      continue;
    }
    for (auto [queue, to] : {std::pair{&to_server, &server}, {&to_client, &client}}) {
      for (Bytes& d : *queue) {
        const uint8_t action = next_byte();
        int copies = 1;
        if (action >= 200 && action < 225) copies = 0;  // lost
        if (action >= 225 && action < 240) copies = 2;  // duplicated
        if (action >= 240) {                             // one bit flipped
          const uint8_t where = next_byte();
          d[where % d.size()] ^= static_cast<uint8_t>(1U << (action % 8));
        }
        for (int c = 0; c < copies; ++c) {
          const DtlsState before = to->state();
          (void)to->handle(d, now);
          check_transport(*to, before);
        }
      }
    }
  }
  if (client.state() == DtlsState::connected && server.state() == DtlsState::connected) {
    check(*client.srtp_profile() == *server.srtp_profile());
    check(*client.local_master() == *server.remote_master());
    check(*server.local_master() == *client.remote_master());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const BytesView input(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    fuzz_datagrams(input);
  } else {
    fuzz_handshake(input);
  }
  return 0;
}
