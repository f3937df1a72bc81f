// Server: `conclave server` as an object. create() prepares everything and
// binds the listener (so port() is known before run()):
//
//   data dir (created 0700) ─► TLS certificate (loaded, or generated and
//   saved on first start) ─► SQLite store (migrated) ─► SignalingService +
//   RestApi ─► net::HttpsServer on config.listen ─► MediaServer (the SFU's
//   thread and UDP port, same certificate for DTLS) + MediaService
//
// run() serves on the calling thread until stop() (thread-safe), which
// closes every connection and returns. While it runs, the signaling
// service's on_tick() is called every 200 ms with `clock`'s time.
#pragma once

#include <memory>
#include <string>

#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/net/fingerprint.h"
#include "conclave/server/config.h"
#include "conclave/server/errc.h"

namespace conclave::server {

class Server {
 public:
  // `clock` drives the rate limiters and must outlive the server.
  static Result<std::unique_ptr<Server>> create(const Config& config, const Clock& clock);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  // The SFU's UDP port (0 when media is disabled).
  uint16_t media_port() const;
  // "https://127.0.0.1:8443" (the bound address and port).
  std::string url() const;
  // The base of join links (config.public_url, or url()).
  const std::string& public_url() const;
  const net::Fingerprint& fingerprint() const;
  // True when this start created the certificate.
  bool created_certificate() const;

  void run();
  void stop();

 private:
  struct Parts;
  explicit Server(std::unique_ptr<Parts> parts);
  static Status start_media(Parts& parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace conclave::server
