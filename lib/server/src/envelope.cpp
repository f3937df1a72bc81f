#include "conclave/server/envelope.h"

#include <atomic>

namespace conclave::server {
namespace {

// Nesting depth outside strings; a cheap pre-check so that hostile nesting
// never reaches the JSON parser.
size_t nesting_depth(std::string_view text) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

bool valid_id(const nlohmann::json& id) {
  if (id.is_number_unsigned()) return true;
  if (id.is_number_integer()) return id.get<int64_t>() >= 0;
  if (!id.is_string()) return false;
  const auto& s = id.get_ref<const std::string&>();
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::atomic<uint64_t> g_server_message_counter{0};

}  // namespace

ParsedEnvelope Envelope::parse(std::string_view text, size_t max_bytes) {
  auto fail = [](ProtocolError e, nlohmann::json reply_to = nullptr, std::string message = {}) {
    return ParsedEnvelope{std::nullopt,
                          EnvelopeFailure{e, std::move(reply_to), std::move(message)}};
  };
  if (text.size() > max_bytes) return fail(ProtocolError::too_large);
  if (nesting_depth(text) > kMaxJsonDepth) return fail(ProtocolError::malformed, nullptr, "nested too deep");
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return fail(ProtocolError::malformed);

  nlohmann::json reply_to = nullptr;
  if (auto it = j.find("id"); it != j.end() && valid_id(*it)) reply_to = *it;
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer()) {
    return fail(ProtocolError::invalid_field, reply_to, "v: missing or not an integer");
  }
  if (v->get<int64_t>() != kProtocolVersion) {
    return fail(ProtocolError::unsupported_version, reply_to);
  }
  auto idf = j.find("id");
  if (idf == j.end() || !valid_id(*idf)) {
    return fail(ProtocolError::invalid_field, nullptr,
                "id: a string of 1-64 printable characters or a non-negative integer");
  }
  auto type = j.find("type");
  if (type == j.end() || !type->is_string() || type->get_ref<const std::string&>().empty() ||
      type->get_ref<const std::string&>().size() > 64) {
    return fail(ProtocolError::invalid_field, reply_to, "type: missing or not a string");
  }
  Envelope e;
  e.type = type->get<std::string>();
  e.id = reply_to;
  e.body = std::move(j);
  return ParsedEnvelope{std::move(e), std::nullopt};
}

std::optional<std::string> Envelope::string_field(std::string_view name, size_t min, size_t max,
                                                  bool& ok) const {
  ok = true;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    ok = false;
    return std::nullopt;
  }
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() < min || s.size() > max) {
    ok = false;
    return std::nullopt;
  }
  return s;
}

nlohmann::json make_message(std::string_view type) {
  nlohmann::json j;
  j["v"] = kProtocolVersion;
  j["type"] = type;
  j["id"] = "s" + std::to_string(++g_server_message_counter);
  return j;
}

nlohmann::json make_ack(const nlohmann::json& in_reply_to) {
  nlohmann::json ack = make_message("ack");
  ack["in_reply_to"] = in_reply_to;
  return ack;
}

nlohmann::json make_error(ProtocolError e, const nlohmann::json& in_reply_to,
                          std::string_view message) {
  nlohmann::json j = make_message("error");
  j["code"] = code_name(e);
  j["message"] = message.empty() ? default_message(e) : message;
  j["in_reply_to"] = in_reply_to;
  return j;
}

}  // namespace conclave::server
