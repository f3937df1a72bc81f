// conclave-signal-probe URL FINGERPRINT MEETING_ID HOST_KEY PASSCODE
//
// The WebSocket half of the system test: a host and a guest connect to a
// running `conclave server`, the guest tries a wrong passcode, waits in the
// lobby, the host admits it, the guest leaves. Prints "probe: ok" and exits
// 0 when every step saw what the protocol promises, else names the step
// and exits 1. Every wait is bounded.
#include <chrono>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "conclave/net/https_client.h"
#include "conclave/net/websocket_client.h"

namespace {

using conclave::net::WebSocketClient;
using nlohmann::json;
using namespace std::chrono_literals;

int g_next_id = 1;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "probe: FAILED: %s\n", what.c_str());
  std::exit(1);
}

std::string send(WebSocketClient& c, json message) {
  message["v"] = 1;
  std::string id = "c" + std::to_string(g_next_id++);
  message["id"] = id;
  if (!c.send(message.dump()).ok()) fail("send " + message["type"].get<std::string>());
  return id;
}

// The next message of `type`, skipping others (at most 20).
json expect(WebSocketClient& c, const std::string& type, const std::string& who) {
  for (int i = 0; i < 20; ++i) {
    auto text = c.receive(5000ms);
    if (!text.ok()) fail(who + " waiting for " + type + ": " + text.error().to_string());
    json j = json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) fail(who + " got non-JSON: " + *text);
    if (j.value("v", 0) != 1) fail(who + " got a message without v=1: " + *text);
    if (j.value("type", "") == type) return j;
    std::fprintf(stderr, "probe: %s skips %s\n", who.c_str(), text->c_str());
  }
  fail(who + " never got " + type);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s URL FINGERPRINT MEETING_ID HOST_KEY PASSCODE\n", argv[0]);
    return 2;
  }
  auto url = conclave::net::HttpsUrl::parse(argv[1]);
  auto fp = conclave::net::Fingerprint::parse(argv[2]);
  if (!url.ok() || !fp.ok()) fail("bad URL or fingerprint");
  conclave::net::ServerEndpoint endpoint{url->host, url->port, *fp, 5000ms};
  std::string meeting_id = argv[3];
  std::string host_key = argv[4];
  std::string passcode = argv[5];

  auto host = WebSocketClient::connect(endpoint, "/api/v1/signal");
  if (!host.ok()) fail("host connect: " + host.error().to_string());
  std::string id = send(**host, {{"type", "hello"},
                                 {"meeting_id", meeting_id},
                                 {"display_name", "Host"},
                                 {"host_key", host_key}});
  json joined = expect(**host, "joined", "host");
  if (joined["in_reply_to"] != id || joined["role"] != "host") fail("host joined: " + joined.dump());

  auto guest = WebSocketClient::connect(endpoint, "/api/v1/signal");
  if (!guest.ok()) fail("guest connect: " + guest.error().to_string());
  // Malformed and wrong-passcode attempts are answered with errors.
  if (!(*guest)->send("{not json").ok()) fail("send malformed");
  json err = expect(**guest, "error", "guest");
  if (err["code"] != "malformed") fail("malformed: " + err.dump());
  id = send(**guest, {{"type", "hello"},
                      {"meeting_id", meeting_id},
                      {"display_name", "Guest"},
                      {"passcode", passcode + "-wrong"}});
  err = expect(**guest, "error", "guest");
  if (err["code"] != "bad_passcode" || err["in_reply_to"] != id) fail("bad passcode: " + err.dump());
  id = send(**guest, {{"type", "hello"},
                      {"meeting_id", meeting_id},
                      {"display_name", "Guest"},
                      {"passcode", passcode}});
  json lobby = expect(**guest, "lobby", "guest");
  if (lobby["in_reply_to"] != id) fail("lobby: " + lobby.dump());
  std::string guest_id = lobby["participant_id"];

  json waiting = expect(**host, "participant_waiting", "host");
  if (waiting["participant"]["participant_id"] != guest_id ||
      waiting["participant"]["display_name"] != "Guest") {
    fail("participant_waiting: " + waiting.dump());
  }
  id = send(**host, {{"type", "admit"}, {"participant_id", guest_id}});
  json left = expect(**host, "lobby_left", "host");
  if (left["reason"] != "admitted") fail("lobby_left: " + left.dump());
  json ack = expect(**host, "ack", "host");
  if (ack["in_reply_to"] != id) fail("ack: " + ack.dump());
  json admitted = expect(**guest, "joined", "guest");
  if (admitted["role"] != "participant" || admitted["participant_id"] != guest_id ||
      admitted["participants"].size() != 1) {
    fail("guest joined: " + admitted.dump());
  }
  json pj = expect(**host, "participant_joined", "host");
  if (pj["participant"]["participant_id"] != guest_id) fail("participant_joined: " + pj.dump());

  id = send(**guest, {{"type", "leave"}});
  json bye = expect(**guest, "ack", "guest");
  if (bye["in_reply_to"] != id) fail("leave ack: " + bye.dump());
  json gone = expect(**host, "participant_left", "host");
  if (gone["participant_id"] != guest_id) fail("participant_left: " + gone.dump());

  std::printf("probe: ok\n");
  return 0;
}
