// Errors of the server library (startup, configuration, delivery service).
#pragma once

#include <string_view>

namespace conclave::server {

enum class Errc {
  config_invalid = 1,   // a config value is out of range or of the wrong type
  config_file,          // the config file cannot be read or is not TOML
  data_dir,             // the data directory cannot be created or used
  certificate,          // the TLS certificate cannot be loaded or created
  store,                // the database cannot be opened
  listen,               // the listener cannot be started
  stale_commit,         // a commit for an epoch that another commit already ended
  not_handshake,        // an MLS message that is not a PublicMessage proposal or commit
  media_port,           // the UDP media port cannot be opened
  media_state,          // a media message out of order, or for an old offer
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::server
