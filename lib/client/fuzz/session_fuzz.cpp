// libFuzzer target for the client's side of the signaling protocol: every
// message a (hostile) server can send. Each run starts a host session that
// has created its meeting's group (a member at epoch 0), then feeds the
// input's lines as server messages and runs the session's timers. Whatever
// the server sends, the session must neither crash nor throw; the oracle
// beyond the sanitizers: it never sends chat it was not asked to send (no
// `application` message leaves the session).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "conclave/base/encoding.h"
#include "conclave/client/meeting_session.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/extension.h"

namespace {

using namespace conclave;

const std::string& server_sender() {
  static const std::string encoded = [] {
    auto suite =
        mls::CipherSuite::create(mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519)
            .value();
    auto key = suite.generate_signature_key().value();
    mls::ExternalSender sender{key.public_key().bytes(),
                               mls::Credential::basic(to_bytes("conclave-server"))};
    return to_base64url(codec::encode(sender));
  }();
  return encoded;
}

bool sends_application(client::MeetingSession& session) {
  bool found = false;
  for (const auto& m : session.take_outgoing()) {
    if (m.value("type", "") == "application") found = true;
  }
  return found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  client::SessionConfig config;
  config.meeting_id = "aaaaaaaaaaaaaaaaaaaaaaaa";
  config.display_name = "host";
  config.host_key = "k";
  config.admit = client::AdmitPolicy::all;
  config.commit_delay = [] { return std::chrono::milliseconds(10); };
  auto created = client::MeetingSession::create(config);
  if (!created.ok()) std::abort();
  client::MeetingSession& session = **created;

  Clock::TimePoint now{};
  session.connected(now);
  nlohmann::json joined{{"v", 1},
                        {"type", "joined"},
                        {"id", "s1"},
                        {"participant_id", "p1"},
                        {"role", "host"},
                        {"meeting",
                         {{"meeting_id", config.meeting_id},
                          {"waiting_room", true},
                          {"locked", false},
                          {"passcode_required", false}}},
                        {"participants", nlohmann::json::array()},
                        {"lobby", nlohmann::json::array()},
                        {"external_sender", server_sender()},
                        {"cipher_suite", 1},
                        {"group", nullptr},
                        {"resume_token", "t"}};
  session.receive(joined, now);
  std::string group_info_id;
  for (const auto& m : session.take_outgoing()) {
    if (m.value("type", "") == "group_info") group_info_id = m.value("id", "");
  }
  if (group_info_id.empty()) std::abort();
  session.receive({{"v", 1}, {"type", "ack"}, {"id", "s2"}, {"in_reply_to", group_info_id}}, now);
  if (!session.is_member()) std::abort();
  session.take_events();

  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const size_t end = input.find('\n');
    session.receive_text(input.substr(0, end), now);
    if (sends_application(session)) std::abort();
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    now += std::chrono::milliseconds(200);
  }
  session.tick(now + std::chrono::seconds(20));
  if (sends_application(session)) std::abort();
  session.take_events();
  return 0;
}
