// Config: everything `conclave server` can be told, with embedded defaults
// so that it starts with no configuration at all.
//
// Precedence: defaults < TOML config file (--config) < command-line flags.
// Keys (docs/operations.md has the full table):
//
//   data_dir = "./conclave-data"     database, certificate, key
//   listen = "127.0.0.1:8443"        "host:port", "[v6]:port"; port 0 = any
//   public_url = ""                  base of join links; "" = https://<listen>
//   log_level = "info"               trace debug info warn error critical off
//   [tls]      certificate, private_key (default <data_dir>/tls/{cert,key}.pem)
//   [limits]   max_message_bytes, max_send_queue, max_connections,
//              max_participants
//   [rate_limit] auth_address_burst, auth_address_per_minute,
//              auth_meeting_burst, auth_meeting_per_minute,
//              create_address_burst, create_address_per_minute
//
// Unknown keys are errors (a typo must not silently fall back to a default).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/server/errc.h"

namespace conclave::server {

struct RateLimitConfig {
  uint32_t burst = 5;
  uint32_t per_minute = 10;
};

struct Config {
  std::filesystem::path data_dir = "conclave-data";
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8443;
  std::string public_url;  // empty: derived from the bound address
  std::string log_level = "info";
  std::filesystem::path certificate_file;  // empty: <data_dir>/tls/cert.pem
  std::filesystem::path private_key_file;  // empty: <data_dir>/tls/key.pem

  size_t max_message_bytes = 64 * 1024;
  size_t max_send_queue = 1024;
  size_t max_connections = 10000;
  size_t max_participants = 1000;

  RateLimitConfig auth_per_address{5, 10};
  RateLimitConfig auth_per_meeting{20, 30};
  RateLimitConfig create_per_address{10, 20};

  // Applies a TOML document on top of this config.
  Status apply_toml(std::string_view text);
  Status apply_toml_file(const std::filesystem::path& file);
  // "127.0.0.1:8443", "[::1]:0", "localhost:8443".
  Status set_listen(std::string_view address);
  Status set_log_level(std::string_view level);

  std::filesystem::path effective_certificate_file() const;
  std::filesystem::path effective_private_key_file() const;
  std::filesystem::path database_file() const { return data_dir / "conclave.db"; }
};

}  // namespace conclave::server
