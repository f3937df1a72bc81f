#include "conclave/client/client.h"

#include <algorithm>
#include <memory>
#include <thread>
#include <utility>

#include "conclave/base/encoding.h"
#include "conclave/net/websocket_client.h"

namespace conclave::client {

namespace {

using std::chrono::milliseconds;

// How often the loop looks at the stop flag while waiting.
constexpr milliseconds kPoll{200};
// With media: how soon the engine's SDP messages go out.
constexpr milliseconds kMediaPoll{20};

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

Client::Client(net::ServerEndpoint endpoint, ClientOptions options, const Clock& clock)
    : endpoint_(std::move(endpoint)), options_(std::move(options)), clock_(clock) {}

void Client::client_event(std::string name, Json fields) {
  if (!on_client_event) return;
  Json e = fields.is_object() ? std::move(fields) : Json::object();
  e["event"] = std::move(name);
  const auto ms = std::chrono::duration_cast<milliseconds>(clock_.now() - start_).count();
  e["time"] = static_cast<double>(ms) / 1000.0;
  on_client_event(e);
}

void Client::media_events(MediaEngine& media) {
  for (Json& e : media.take_events()) {
    std::string name = e.value("event", "");
    client_event(std::move(name), std::move(e));
  }
}

void Client::report(MeetingSession& session, MediaEngine* media) {
  for (Json& e : session.take_events()) {
    if (e.value("event", "") == "epoch" && session.group() && (media || options_.reveal_test_secrets)) {
      const mls::Group& group = *session.group();
      // RFC 9605 section 5.2: base_key = MLS-Exporter("SFrame 1.0 Base
      // Key", "", AEAD.Nk); Nk = 16 for the default SFrame suite.
      if (auto key = group.export_secret("SFrame 1.0 Base Key", {}, 16); key.ok()) {
        if (options_.reveal_test_secrets) {
          e["epoch_authenticator"] = to_hex(group.epoch_authenticator().reveal_copy());
          e["sframe_base_key"] = to_hex(key->reveal_copy());
        }
        std::vector<Bytes> keys;
        const mls::RatchetTree& tree = group.tree();
        for (uint32_t i = 0; i < tree.leaf_count(); ++i) {
          if (const mls::LeafNode* leaf = tree.leaf(mls::LeafIndex{i})) {
            keys.push_back(leaf->signature_key);
          }
        }
        bool removed = false;
        for (const Bytes& k : member_keys_) {
          if (std::find(keys.begin(), keys.end(), k) == keys.end()) removed = true;
        }
        member_keys_ = std::move(keys);
        if (media) media->on_epoch(group.epoch(), std::move(*key), group.own_leaf().value, removed);
      }
    }
    if (e.value("event", "") == "error") last_error_ = e.value("message", "");
    if (e.value("event", "") == "left" && e.contains("detail") && e["detail"].is_string()) {
      last_error_ = e["detail"].get<std::string>();
    }
    if (on_client_event) on_client_event(e);
  }
}

Result<ClientOutcome> Client::run() {
  CV_TRY(std::unique_ptr<MeetingSession> session, MeetingSession::create(options_.session));
  start_ = clock_.now();
  std::unique_ptr<MediaEngine> media;
  if (options_.media) {
    CV_TRY(auto engine, MediaEngine::create(*options_.media, clock_));
    media = std::move(engine);
  }
  uint64_t media_message_id = 0;
  const std::optional<TimePoint> end_at =
      options_.duration ? std::optional<TimePoint>(start_ + *options_.duration) : std::nullopt;
  std::vector<std::string> to_say = options_.say;
  std::optional<TimePoint> member_since;
  std::unique_ptr<net::WebSocketClient> ws;
  int failures = 0;
  bool leaving = false;
  bool ever_connected = false;
  std::optional<TimePoint> drop_at;  // drop_connection_after
  bool dropped = false;

  auto stop_requested = [&] { return options_.stop != nullptr && options_.stop->load(); };
  // Waits before the next connection attempt; false when out of attempts.
  auto back_off = [&](const std::string& why) {
    ++failures;
    if (failures > options_.max_reconnects || leaving || stop_requested()) return false;
    client_event("reconnecting", {{"attempt", failures}, {"reason", why}});
    const auto delay = options_.reconnect_delay * (1 << std::min(failures - 1, 5));
    const TimePoint until = clock_.now() + delay;
    while (clock_.now() < until && !stop_requested()) std::this_thread::sleep_for(milliseconds(20));
    return true;
  };

  while (!session->ended()) {
    if (!ws) {
      if (ever_connected && (leaving || stop_requested())) {
        session->disconnected(clock_.now());
        if (!session->ended()) session->leave(clock_.now());
        break;
      }
      auto connection = net::WebSocketClient::connect(endpoint_, options_.path);
      if (!connection.ok()) {
        last_error_ = connection.error().to_string();
        if (!back_off(last_error_)) break;
        continue;
      }
      ws = std::move(connection).value();
      ever_connected = true;
      session->connected(clock_.now());
    }

    TimePoint now = clock_.now();
    if (!leaving && (stop_requested() || (end_at && now >= *end_at))) {
      session->leave(now);
      leaving = true;
    }
    if (session->is_member() && !leaving && !to_say.empty()) {
      if (!member_since) member_since = now;
      if (session->roster().size() >= options_.say_min_members ||
          (options_.say_wait && now - *member_since >= *options_.say_wait)) {
        for (const auto& text : to_say) {
          if (auto s = session->say(text, now); !s.ok()) last_error_ = s.error().to_string();
        }
        to_say.clear();
      }
    }

    if (options_.drop_connection_after && !dropped && session->is_member() && !drop_at) {
      drop_at = now + *options_.drop_connection_after;
    }
    if (drop_at && now >= *drop_at && !dropped) {
      dropped = true;
      drop_at.reset();
      ws.reset();  // closes the socket without a close handshake
      session->disconnected(now);
      client_event("reconnecting", {{"attempt", 0}, {"reason", "test drop"}});
      continue;
    }

    bool send_failed = false;
    std::vector<Json> outgoing = session->take_outgoing();
    if (media && !leaving) {
      for (Json& m : media->take_outgoing()) {
        m["v"] = 1;
        m["id"] = "m" + std::to_string(++media_message_id);
        outgoing.push_back(std::move(m));
      }
    }
    for (const Json& m : outgoing) {
      const std::string text = dump(m);
      if (on_client_trace) on_client_trace(true, text);
      if (!ws->send(text).ok()) {
        send_failed = true;
        break;
      }
    }
    report(*session, media.get());
    if (media) media_events(*media);
    if (session->ended()) break;

    std::optional<std::string> lost;
    if (send_failed) {
      lost = "send failed";
    } else {
      milliseconds timeout = kPoll;
      auto limit = [&](std::optional<TimePoint> t) {
        if (!t) return;
        const auto left = std::chrono::duration_cast<milliseconds>(*t - now);
        timeout = std::clamp(left, milliseconds(1), timeout);
      };
      limit(session->next_deadline());
      limit(end_at);
      if (member_since && !to_say.empty() && options_.say_wait) {
        limit(*member_since + *options_.say_wait);
      }
      if (drop_at) limit(*drop_at);
      if (media) timeout = std::min(timeout, kMediaPoll);
      auto received = ws->receive(timeout);
      if (received.ok()) {
        failures = 0;
        if (on_client_trace) on_client_trace(false, *received);
        Json m = Json::parse(*received, nullptr, false);
        if (m.is_discarded() || !m.is_object()) {
          session->receive_text(*received, clock_.now());
        } else {
          const std::string type = m.value("type", "");
          if (media && (type.starts_with("media_") || type == "active_speaker")) {
            media->on_message(m);
          }
          session->receive(m, clock_.now());
        }
      } else if (received.error().is(net::Errc::timeout)) {
        session->tick(clock_.now());
      } else {
        lost = received.error().to_string();
        session->closed_by_server(clock_.now());
      }
    }
    if (lost) {
      ws.reset();
      report(*session, media.get());
      if (session->ended()) break;
      if (!session->disconnected(clock_.now())) break;
      if (!back_off(*lost)) {
        last_error_ = "connection lost: " + *lost;
        break;
      }
    }
  }
  report(*session, media.get());
  if (media) {
    media->stop();
    media_events(*media);
  }
  if (ws) ws->close();

  ClientOutcome outcome;
  if (auto reason = session->end_reason()) {
    outcome.reason = *reason;
    outcome.detail = (*reason == EndReason::left) ? std::string() : last_error_;
  } else {
    outcome.reason = EndReason::failed;
    outcome.detail = last_error_.empty() ? std::string("connection lost") : last_error_;
  }
  // Leaving because the connection could not be restored is not clean.
  if (outcome.reason == EndReason::left && failures > options_.max_reconnects) {
    outcome.reason = EndReason::failed;
    outcome.detail = last_error_;
  }
  return outcome;
}

}  // namespace conclave::client
