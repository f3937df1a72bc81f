// Errors of the network layer.
#pragma once

#include <string_view>

namespace conclave::net {

enum class Errc {
  invalid_argument = 1,   // bad address, port, path or option
  bind_failed,            // the listening socket could not be opened
  tls_setup_failed,       // certificate or key rejected, TLS context error
  certificate_failed,     // generating or parsing a certificate failed
  connect_failed,         // TCP connect failed
  handshake_failed,       // TLS or WebSocket handshake failed
  fingerprint_mismatch,   // the peer certificate is not the pinned one
  timeout,                // the operation did not finish in time
  closed,                 // the peer closed the connection
  io_error,               // read or write failed
  protocol_error,         // the peer sent something HTTP/WebSocket forbids
  message_too_large,      // a message exceeded the configured limit
  file_error,             // reading or writing a key/certificate file failed
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::net
