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
//   reconnect_grace_ms = 10000       a dropped member's seat is kept this long
//   [tls]      certificate, private_key (default <data_dir>/tls/{cert,key}.pem)
//   [media]    enabled = true, port = -1 (UDP; -1: the listen port's
//              number, 0: any free port), address = "" (the IP the SFU
//              binds and announces as its candidate; "": the listen host)
//   [limits]   max_message_bytes, max_send_queue, max_connections,
//              max_participants
//   [rate_limit] auth_address_burst, auth_address_per_minute,
//              auth_meeting_burst, auth_meeting_per_minute,
//              create_address_burst, create_address_per_minute,
//              messages_per_second, messages_burst (per connection)
//
// `hostile` (test-only misbehaviour, hostile.h) has no TOML key: only the
// --test-hostile flag sets it, and only with CONCLAVE_TEST_HOSTILE=1.
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
#include "conclave/server/hostile.h"

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
  // Signaling messages per connection: a token bucket of `messages_burst`
  // refilled at `messages_per_second`; over it a message gets
  // `rate_limited` and is dropped.
  uint32_t messages_per_second = 50;
  uint32_t messages_burst = 200;

  // How long a member whose connection dropped keeps its seat (and leaf)
  // for a resume before the server proposes its Remove.
  uint32_t reconnect_grace_ms = 10000;

  // The SFU's one UDP port (docs/operations.md, "Media").
  bool media_enabled = true;
  int32_t media_port = -1;    // -1: the number of the HTTPS port; 0: any free port
  std::string media_address;  // "": listen_host ("localhost" becomes 127.0.0.1)

  // The browser client's files (web/dist) served at `/` ([web] root, or
  // --web-root); empty: the pages are not served (404).
  std::filesystem::path web_root;

  // TEST ONLY (no TOML key; the --test-media-capture flag): the SFU writes
  // every packet it sees after SRTP to this file (MediaServer::set_capture).
  std::string test_media_capture;
  // TEST ONLY (--test-media-loss): the fraction of RTP/RTCP datagrams the
  // media port drops at random, both ways (MediaServer::set_loss).
  double test_media_loss = 0;

  // Test-only hostile behaviour; empty in production.
  HostileModes hostile;

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
