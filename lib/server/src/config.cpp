#include "conclave/server/config.h"

#include <toml++/toml.h>

#include <array>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

namespace conclave::server {
namespace {

constexpr std::array kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

template <class T>
Status read_uint(const toml::node& node, T& out, uint64_t min, uint64_t max) {
  auto v = node.value<int64_t>();
  if (!node.is_integer() || !v || *v < 0 || static_cast<uint64_t>(*v) < min ||
      static_cast<uint64_t>(*v) > max) {
    return Errc::config_invalid;
  }
  out = static_cast<T>(*v);
  return {};
}

Status read_string(const toml::node& node, std::string& out) {
  if (!node.is_string()) return Errc::config_invalid;
  out = *node.value<std::string>();
  return {};
}

Status apply_rate_limits(const toml::table& t, Config& c) {
  for (const auto& [key, node] : t) {
    std::string_view k = key.str();
    Status s = Errc::config_invalid;
    if (k == "auth_address_burst") s = read_uint(node, c.auth_per_address.burst, 1, 100000);
    if (k == "auth_address_per_minute") s = read_uint(node, c.auth_per_address.per_minute, 1, 6000000);
    if (k == "auth_meeting_burst") s = read_uint(node, c.auth_per_meeting.burst, 1, 100000);
    if (k == "auth_meeting_per_minute") s = read_uint(node, c.auth_per_meeting.per_minute, 1, 6000000);
    if (k == "create_address_burst") s = read_uint(node, c.create_per_address.burst, 1, 100000);
    if (k == "create_address_per_minute")
      s = read_uint(node, c.create_per_address.per_minute, 1, 6000000);
    if (k == "messages_per_second") s = read_uint(node, c.messages_per_second, 1, 1000000);
    if (k == "messages_burst") s = read_uint(node, c.messages_burst, 1, 1000000);
    if (!s.ok()) return Error(Errc::config_invalid, "rate_limit");
  }
  return {};
}

Status apply_limits(const toml::table& t, Config& c) {
  for (const auto& [key, node] : t) {
    std::string_view k = key.str();
    Status s = Errc::config_invalid;
    if (k == "max_message_bytes") s = read_uint(node, c.max_message_bytes, 1024, 16 << 20);
    if (k == "max_send_queue") s = read_uint(node, c.max_send_queue, 16, 1 << 20);
    if (k == "max_connections") s = read_uint(node, c.max_connections, 1, 1 << 24);
    if (k == "max_participants") s = read_uint(node, c.max_participants, 1, 1 << 20);
    if (!s.ok()) return Error(Errc::config_invalid, "limits");
  }
  return {};
}

Status apply_tls(const toml::table& t, Config& c) {
  for (const auto& [key, node] : t) {
    std::string_view k = key.str();
    std::string value;
    if (!read_string(node, value).ok() || value.empty()) return Error(Errc::config_invalid, "tls");
    if (k == "certificate") {
      c.certificate_file = value;
    } else if (k == "private_key") {
      c.private_key_file = value;
    } else {
      return Error(Errc::config_invalid, "tls");
    }
  }
  return {};
}

Status apply_web(const toml::table& t, Config& c) {
  for (const auto& [key, node] : t) {
    std::string value;
    if (key.str() != "root" || !read_string(node, value).ok() || value.empty()) {
      return Error(Errc::config_invalid, "web");
    }
    c.web_root = value;
  }
  return {};
}

Status apply_media(const toml::table& t, Config& c) {
  for (const auto& [key, node] : t) {
    std::string_view k = key.str();
    if (k == "enabled" && node.is_boolean()) {
      c.media_enabled = node.as_boolean()->get();
    } else if (k == "port" && node.is_integer()) {
      int64_t port = node.as_integer()->get();
      if (port < -1 || port > 65535) return Error(Errc::config_invalid, "media.port");
      c.media_port = static_cast<int32_t>(port);
    } else if (k == "address") {
      if (!read_string(node, c.media_address).ok()) return Error(Errc::config_invalid, "media.address");
    } else {
      return Error(Errc::config_invalid, "media");
    }
  }
  return {};
}

}  // namespace

Status Config::set_listen(std::string_view address) {
  std::string_view host;
  std::string_view port;
  if (address.starts_with('[')) {
    size_t close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return Error(Errc::config_invalid, "listen");
    }
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) return Error(Errc::config_invalid, "listen");
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return Error(Errc::config_invalid, "listen");
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc() || ptr != port.data() + port.size() ||
      value > 65535) {
    return Error(Errc::config_invalid, "listen");
  }
  listen_host = host == "localhost" ? "127.0.0.1" : std::string(host);
  listen_port = static_cast<uint16_t>(value);
  return {};
}

Status Config::set_log_level(std::string_view level) {
  for (const char* l : kLogLevels) {
    if (level == l) {
      log_level = std::string(level);
      return {};
    }
  }
  return Error(Errc::config_invalid, "log_level");
}

Status Config::apply_toml(std::string_view text) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error&) {
    return Error(Errc::config_file, "TOML syntax");
  }
  Config next = *this;
  for (const auto& [key, node] : root) {
    std::string_view k = key.str();
    std::string value;
    if (k == "data_dir") {
      if (!read_string(node, value).ok() || value.empty()) return Error(Errc::config_invalid, "data_dir");
      next.data_dir = value;
    } else if (k == "listen") {
      if (!read_string(node, value).ok()) return Error(Errc::config_invalid, "listen");
      CV_TRY_STATUS(next.set_listen(value));
    } else if (k == "public_url") {
      if (!read_string(node, value).ok() || (!value.empty() && !value.starts_with("https://"))) {
        return Error(Errc::config_invalid, "public_url");
      }
      while (value.ends_with('/')) value.pop_back();
      next.public_url = value;
    } else if (k == "log_level") {
      if (!read_string(node, value).ok()) return Error(Errc::config_invalid, "log_level");
      CV_TRY_STATUS(next.set_log_level(value));
    } else if (k == "reconnect_grace_ms") {
      if (!read_uint(node, next.reconnect_grace_ms, 0, 3600 * 1000).ok()) {
        return Error(Errc::config_invalid, "reconnect_grace_ms");
      }
    } else if (k == "tls" && node.is_table()) {
      CV_TRY_STATUS(apply_tls(*node.as_table(), next));
    } else if (k == "limits" && node.is_table()) {
      CV_TRY_STATUS(apply_limits(*node.as_table(), next));
    } else if (k == "rate_limit" && node.is_table()) {
      CV_TRY_STATUS(apply_rate_limits(*node.as_table(), next));
    } else if (k == "media" && node.is_table()) {
      CV_TRY_STATUS(apply_media(*node.as_table(), next));
    } else if (k == "web" && node.is_table()) {
      CV_TRY_STATUS(apply_web(*node.as_table(), next));
    } else {
      return Error(Errc::config_invalid, "unknown key");
    }
  }
  *this = std::move(next);
  return {};
}

Status Config::apply_toml_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(Errc::config_file, "open");
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return Error(Errc::config_file, "read");
  return apply_toml(ss.str());
}

std::filesystem::path Config::effective_certificate_file() const {
  return certificate_file.empty() ? data_dir / "tls" / "cert.pem" : certificate_file;
}

std::filesystem::path Config::effective_private_key_file() const {
  return private_key_file.empty() ? data_dir / "tls" / "key.pem" : private_key_file;
}

}  // namespace conclave::server
