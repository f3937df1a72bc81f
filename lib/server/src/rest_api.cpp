#include "conclave/server/rest_api.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "conclave/server/protocol_error.h"
#include "conclave/store/host_key.h"

namespace conclave::server {
namespace {

using nlohmann::json;
using net::HttpRequest;
using net::HttpResponse;

constexpr std::string_view kMeetings = "/api/v1/meetings";

HttpResponse json_response(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

HttpResponse error_response(int status, ProtocolError e, std::string_view message = {}) {
  return json_response(
      status, json{{"error",
                    {{"code", code_name(e)},
                     {"message", message.empty() ? default_message(e) : message}}}});
}

json settings_json(const store::Meeting& m) {
  return json{{"meeting_id", m.id.str()},
              {"created_at", m.created_at},
              {"waiting_room", m.waiting_room},
              {"locked", m.locked},
              {"passcode_required", m.passcode_required()}};
}

// The body of POST/PATCH: empty, or a JSON object.
std::optional<json> parse_body(const HttpRequest& r) {
  if (r.body.empty()) return json::object();
  if (r.body.size() > 16 * 1024) return std::nullopt;
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

HttpResponse rate_limited(int64_t retry_ms) {
  HttpResponse r = error_response(429, ProtocolError::rate_limited);
  r.headers.emplace_back("Retry-After", std::to_string((retry_ms + 999) / 1000));
  return r;
}

HttpResponse method_not_allowed(std::string_view allow) {
  HttpResponse r = error_response(405, ProtocolError::invalid_field, "method not allowed");
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

}  // namespace

RestApi::RestApi(store::Store& store, SignalingService& signaling, const Clock& clock,
                 const Config& config, std::string public_url)
    : store_(store),
      signaling_(signaling),
      public_url_(std::move(public_url)),
      create_per_address_(clock, config.create_per_address) {}

HttpResponse RestApi::handle(const HttpRequest& request) {
  std::string_view path = request.path();
  if (path == "/api/v1/health") {
    if (request.method != "GET") return method_not_allowed("GET");
    return json_response(200, json{{"status", "ok"}});
  }
  if (path == "/metrics") {
    if (request.method != "GET") return method_not_allowed("GET");
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = "# HELP conclave_active_meetings Meetings with someone connected.\n"
             "# TYPE conclave_active_meetings gauge\nconclave_active_meetings " +
             std::to_string(signaling_.active_meetings()) + "\n";
    if (metrics_) r.body += metrics_();
    return r;
  }
  if (path == kMeetings) {
    if (request.method != "POST") return method_not_allowed("POST");
    return create_meeting(request);
  }
  if (path.starts_with(kMeetings) && path.size() > kMeetings.size() + 1 &&
      path[kMeetings.size()] == '/') {
    std::string_view id = path.substr(kMeetings.size() + 1);
    if (request.method == "GET") return get_meeting(request, id);
    if (request.method == "PATCH") return patch_meeting(request, id);
    return method_not_allowed("GET, PATCH");
  }
  return error_response(404, ProtocolError::not_found, "no such resource");
}

HttpResponse RestApi::create_meeting(const HttpRequest& request) {
  if (!create_per_address_.try_acquire(request.remote_address)) {
    return rate_limited(create_per_address_.retry_after_ms(request.remote_address));
  }
  auto body = parse_body(request);
  if (!body) return error_response(400, ProtocolError::malformed, "body must be a JSON object");
  store::NewMeeting m;
  if (auto it = body->find("passcode"); it != body->end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().size() >
                                store::PasscodeHash::kMaxPasscodeBytes) {
      return error_response(400, ProtocolError::invalid_field,
                            "passcode: string of at most 128 bytes");
    }
    m.passcode = it->get<std::string>();
  }
  if (auto it = body->find("waiting_room"); it != body->end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return error_response(400, ProtocolError::invalid_field, "waiting_room: boolean");
    }
    m.waiting_room = it->get<bool>();
  }
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  auto created = store_.create_meeting(m, now);
  if (!created.ok()) {
    spdlog::error("rest: create meeting: {}", created.error().to_string());
    return error_response(500, ProtocolError::internal);
  }
  spdlog::info("rest: meeting {}… created from {} (passcode: {}, waiting room: {})",
               created->meeting.id.str().substr(0, 6), request.remote_address,
               created->meeting.passcode_required() ? "yes" : "no",
               created->meeting.waiting_room ? "on" : "off");
  json out = settings_json(created->meeting);
  out["join_link"] = public_url_ + "/j/" + created->meeting.id.str();
  out["host_key"] = created->host_key.text();
  HttpResponse r = json_response(201, out);
  r.headers.emplace_back("Location", std::string(kMeetings) + "/" + created->meeting.id.str());
  return r;
}

HttpResponse RestApi::get_meeting(const HttpRequest& request, std::string_view id_text) {
  RateLimiter& limiter = signaling_.auth_per_address();
  if (!limiter.allowed(request.remote_address)) {
    return rate_limited(limiter.retry_after_ms(request.remote_address));
  }
  auto id = store::MeetingId::parse(id_text);
  auto meeting = id.ok() ? store_.find_meeting(*id) : Result<store::Meeting>(id.error());
  if (!meeting.ok()) {
    if (meeting.error().is(store::Errc::database_error)) {
      return error_response(500, ProtocolError::internal);
    }
    limiter.charge(request.remote_address);
    return error_response(404, ProtocolError::not_found);
  }
  return json_response(200, settings_json(*meeting));
}

HttpResponse RestApi::patch_meeting(const HttpRequest& request, std::string_view id_text) {
  RateLimiter& by_address = signaling_.auth_per_address();
  RateLimiter& by_meeting = signaling_.auth_per_meeting();
  auto id = store::MeetingId::parse(id_text);
  std::string meeting_key = id.ok() ? id->str() : "invalid";
  if (!by_address.allowed(request.remote_address) || !by_meeting.allowed(meeting_key)) {
    return rate_limited(std::max(by_address.retry_after_ms(request.remote_address),
                                 by_meeting.retry_after_ms(meeting_key)));
  }
  auto body = parse_body(request);
  if (!body) return error_response(400, ProtocolError::malformed, "body must be a JSON object");
  std::optional<bool> locked;
  std::optional<bool> waiting_room;
  for (const auto& [key, value] : body->items()) {
    if (key != "locked" && key != "waiting_room") {
      return error_response(400, ProtocolError::invalid_field, "only locked and waiting_room");
    }
    if (!value.is_boolean()) {
      return error_response(400, ProtocolError::invalid_field, "locked/waiting_room: boolean");
    }
    (key == "locked" ? locked : waiting_room) = value.get<bool>();
  }
  auto meeting = id.ok() ? store_.find_meeting(*id) : Result<store::Meeting>(id.error());
  if (!meeting.ok()) {
    if (meeting.error().is(store::Errc::database_error)) {
      return error_response(500, ProtocolError::internal);
    }
    by_address.charge(request.remote_address);
    return error_response(404, ProtocolError::not_found);
  }
  std::string_view auth = request.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!auth.starts_with(kBearer) ||
      !store::HostKey::matches(meeting->host_key_hash, auth.substr(kBearer.size()))) {
    by_address.charge(request.remote_address);
    by_meeting.charge(meeting_key);
    HttpResponse r = error_response(auth.empty() ? 401 : 403, ProtocolError::bad_host_key);
    if (auth.empty()) r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  auto updated = store_.update_settings(*id, locked, waiting_room);
  if (!updated.ok()) {
    spdlog::error("rest: update meeting: {}", updated.error().to_string());
    return error_response(500, ProtocolError::internal);
  }
  spdlog::info("rest: meeting {}… settings: locked={}, waiting_room={}", id->str().substr(0, 6),
               updated->locked, updated->waiting_room);
  signaling_.on_meeting_updated(*updated);
  return json_response(200, settings_json(*updated));
}

}  // namespace conclave::server
