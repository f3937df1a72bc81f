// HttpRequest and HttpResponse: the plain structs the REST handlers see.
// The Beast types stay inside lib/net; a handler is an ordinary function
// from request to response, easy to call in a test without a socket.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conclave::net {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; empty when absent.
std::string_view find_header(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  HttpHeaders headers;
  std::string body;
  std::string remote_address;  // peer IP, filled in by the server

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  // The target without its query string.
  std::string_view path() const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  HttpHeaders headers;

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

}  // namespace conclave::net
