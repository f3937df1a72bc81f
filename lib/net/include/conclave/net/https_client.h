// HttpsClient: blocking HTTPS requests to a Conclave server whose
// certificate is pinned by its SHA-256 fingerprint (the server's certificate
// is self-signed, so there is no CA to check; the pin is the check, and a
// mismatch fails with Errc::fingerprint_mismatch). Every call is bounded by
// a timeout. One connection per request.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/net/errc.h"
#include "conclave/net/fingerprint.h"
#include "conclave/net/http_message.h"

namespace conclave::net {

struct ServerEndpoint {
  std::string host;
  uint16_t port = 0;
  Fingerprint pinned;
  std::chrono::milliseconds timeout{10000};
};

// "https://host:port/anything" -> host, port (443 when absent), path.
struct HttpsUrl {
  std::string host;
  uint16_t port = 443;
  std::string path = "/";

  static Result<HttpsUrl> parse(std::string_view url);
};

class HttpsClient {
 public:
  explicit HttpsClient(ServerEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

  // Sends request.method/target/headers/body; the response body is capped
  // at 1 MiB.
  Result<HttpResponse> request(const HttpRequest& request) const;

 private:
  ServerEndpoint endpoint_;
};

}  // namespace conclave::net
