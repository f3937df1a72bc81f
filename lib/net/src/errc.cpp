#include "conclave/net/errc.h"

namespace conclave::net {

std::string_view error_domain(Errc) { return "net"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::invalid_argument: return "invalid argument";
    case Errc::bind_failed: return "cannot listen on the address";
    case Errc::tls_setup_failed: return "TLS setup failed";
    case Errc::certificate_failed: return "certificate operation failed";
    case Errc::connect_failed: return "connect failed";
    case Errc::handshake_failed: return "handshake failed";
    case Errc::fingerprint_mismatch: return "peer certificate does not match the pinned fingerprint";
    case Errc::timeout: return "timed out";
    case Errc::closed: return "connection closed";
    case Errc::io_error: return "I/O error";
    case Errc::protocol_error: return "protocol error";
    case Errc::message_too_large: return "message too large";
    case Errc::file_error: return "file error";
  }
  return "unknown net error";
}

}  // namespace conclave::net
