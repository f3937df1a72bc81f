// RestApi: the HTTP side of the server (docs/protocol.md, "REST API").
//
//   POST  /api/v1/meetings        {passcode?, waiting_room?}
//                                 -> 201 {meeting_id, join_link, host_key, ...}
//   GET   /api/v1/meetings/{id}   -> 200 public settings | 404
//   PATCH /api/v1/meetings/{id}   Authorization: Bearer <host key>
//                                 {locked?, waiting_room?} -> 200 settings
//   GET   /api/v1/health          -> 200 {"status":"ok"}
//   GET   /metrics                -> 200 Prometheus text (counters only:
//                                    no meeting IDs, names or keys)
//
// Errors are {"error":{"code":...,"message":...}} with the ProtocolError
// code names. Creation is rate-limited per address; failed lookups and
// wrong host keys charge the same per-address budget as signaling hellos.
// A handler is a plain function of the request: tests call it directly.
#pragma once

#include <functional>
#include <string>

#include "conclave/net/http_message.h"
#include "conclave/server/config.h"
#include "conclave/server/rate_limiter.h"
#include "conclave/server/signaling_service.h"
#include "conclave/store/store.h"

namespace conclave::server {

class RestApi {
 public:
  // `public_url` is the base of join links ("https://host:port").
  RestApi(store::Store& store, SignalingService& signaling, const Clock& clock,
          const Config& config, std::string public_url);

  net::HttpResponse handle(const net::HttpRequest& request);
  // Extra metric families appended to /metrics (the SFU's counters).
  void set_metrics_source(std::function<std::string()> source) { metrics_ = std::move(source); }

 private:
  net::HttpResponse create_meeting(const net::HttpRequest& request);
  net::HttpResponse get_meeting(const net::HttpRequest& request, std::string_view id);
  net::HttpResponse patch_meeting(const net::HttpRequest& request, std::string_view id);

  store::Store& store_;
  SignalingService& signaling_;
  std::string public_url_;
  RateLimiter create_per_address_;
  std::function<std::string()> metrics_;
};

}  // namespace conclave::server
