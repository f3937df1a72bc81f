#include "conclave/server/errc.h"

namespace conclave::server {

std::string_view error_domain(Errc) { return "server"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::config_invalid: return "invalid configuration value";
    case Errc::config_file: return "cannot read the configuration file";
    case Errc::data_dir: return "cannot use the data directory";
    case Errc::certificate: return "cannot load or create the TLS certificate";
    case Errc::store: return "cannot open the database";
    case Errc::listen: return "cannot listen";
    case Errc::stale_commit: return "stale commit: the epoch already ended";
    case Errc::not_handshake: return "not a PublicMessage proposal or commit";
    case Errc::media_port: return "the media port cannot be opened";
    case Errc::media_state: return "media message out of order or for an old offer";
  }
  return "unknown server error";
}

}  // namespace conclave::server
