// StaticFiles: the browser client's pages (web/dist) served at `/`.
//
//   GET /                 index.html
//   GET /j/<meeting id>   index.html (the join link; the page reads the ID)
//   GET /<name>.<ext>     a file of the web root with a known extension
//
// Only GET and HEAD. A URL path is percent-decoded once and then must
// consist of segments of [A-Za-z0-9._-] that neither start with '.' nor are
// empty: no "..", no dot files, no backslash, no NUL, at most 256 bytes.
// The resolved file must still lie inside the canonical web root (a
// symlink out of it is refused). Unknown extensions are not served.
// Every response carries a Content-Security-Policy that allows scripts,
// workers and connections ('self', which includes wss to the same host)
// from the server itself only, Referrer-Policy no-referrer and
// X-Content-Type-Options nosniff; index.html is never cached.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "conclave/net/http_message.h"

namespace conclave::server {

class StaticFiles {
 public:
  static constexpr size_t kMaxPathBytes = 256;
  static constexpr size_t kMaxFileBytes = 32 * 1024 * 1024;
  static constexpr std::string_view kContentSecurityPolicy =
      "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; "
      "style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  explicit StaticFiles(std::filesystem::path root);

  // The relative file name a URL path maps to ("index.html" for / and
  // /j/<id>), or nullopt when the path is refused.
  static std::optional<std::string> file_for_path(std::string_view url_path);
  // The Content-Type for a file name, or nullopt when the extension is not served.
  static std::optional<std::string_view> content_type(std::string_view file_name);

  // The response for a request outside the REST API.
  net::HttpResponse handle(const net::HttpRequest& request) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace conclave::server
