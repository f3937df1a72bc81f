// libFuzzer target for the signaling service with its MLS delivery
// service: a meeting whose host has created the group, a guest in the
// lobby and a stranger connected; each line of the input is one WebSocket
// text message, its first byte choosing the sender (host, guest, stranger).
// Then the clock jumps past every grace period and every connection drops.
// Whatever arrives, the server must not crash, throw or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "../test/fake_connection.h"
#include "../test/test_env.h"
#include "conclave/base/encoding.h"
#include "conclave/codec/tls.h"
#include "conclave/meeting/meeting_policy.h"
#include "conclave/mls/group.h"
#include "conclave/server/signaling_service.h"

namespace {

using namespace conclave;
using server::testing::FakeConnection;

struct Fixture {
  server::testing::TempDir dir;
  std::unique_ptr<store::Store> store = server::testing::open_test_store(dir.path());
  std::string meeting_id;
  std::string host_key;
  server::Config config;

  Fixture() {
    if (!store) std::abort();
    auto m = store->create_meeting({std::nullopt, true}, 1);
    if (!m.ok()) std::abort();
    meeting_id = m->meeting.id.str();
    host_key = m->host_key.text();
    config.auth_per_address = {1000000, 1000000};
    config.auth_per_meeting = {1000000, 1000000};
    config.messages_burst = 1000000;
    config.reconnect_grace_ms = 1000;
  }
};

void deliver(server::SignalingService& service, FakeConnection& c, const nlohmann::json& j) {
  const std::string text = j.dump();
  service.on_websocket_message(c, net::WebSocketMessage{text, false});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  FakeClock clock;
  server::SignalingService service(*fixture.store, clock, fixture.config);
  auto host = std::make_shared<FakeConnection>(1, "10.0.0.1");
  auto guest = std::make_shared<FakeConnection>(2, "10.0.0.2");
  auto stranger = std::make_shared<FakeConnection>(3, "10.0.0.3");
  service.on_websocket_open(host);
  service.on_websocket_open(guest);
  service.on_websocket_open(stranger);

  deliver(service, *host,
          {{"v", 1}, {"type", "hello"}, {"id", 1}, {"meeting_id", fixture.meeting_id},
           {"display_name", "host"}, {"host_key", fixture.host_key}});
  auto joined = host->take();
  if (joined.empty() || joined[0].value("type", "") != "joined") std::abort();
  auto sender = codec::decode<mls::ExternalSender>(
      from_base64url(joined[0]["external_sender"].get<std::string>()).value());
  if (!sender.ok()) std::abort();
  auto suite =
      mls::CipherSuite::create(mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519)
          .value();
  mls::KeyPackageOptions options;
  options.capabilities.extensions.push_back(meeting::MeetingPolicy::kExtensionType);
  auto bundle = mls::make_key_package(suite, mls::Credential::basic(to_bytes("host")),
                                      suite.generate_signature_key().value(), options)
                    .value();
  auto group = mls::Group::create(
                   suite, to_bytes("fuzz-group"), bundle,
                   meeting::initial_extensions(bundle.key_package.leaf_node.signature_key, *sender))
                   .value();
  mls::MLSMessage info{mls::ProtocolVersion::mls10, group.group_info().value()};
  deliver(service, *host,
          {{"v", 1}, {"type", "group_info"}, {"id", 2}, {"group_info", to_base64url(mls::encode(info))}});
  deliver(service, *guest,
          {{"v", 1}, {"type", "hello"}, {"id", 1}, {"meeting_id", fixture.meeting_id},
           {"display_name", "guest"}});
  if (service.group_epoch(fixture.meeting_id) != std::optional<uint64_t>(0)) std::abort();

  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    if (line.empty()) continue;
    FakeConnection& from = line[0] % 3 == 0 ? *host : line[0] % 3 == 1 ? *guest : *stranger;
    line.remove_prefix(1);
    service.on_websocket_message(from, net::WebSocketMessage{line, false});
    clock.advance(std::chrono::milliseconds(100));
    service.on_tick(clock.now());
  }
  clock.advance(std::chrono::seconds(30));
  service.on_tick(clock.now());
  service.on_websocket_close(*stranger);
  service.on_websocket_close(*guest);
  service.on_websocket_close(*host);
  clock.advance(std::chrono::seconds(30));
  service.on_tick(clock.now());
  return 0;
}
