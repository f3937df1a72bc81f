#include "conclave/server/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <cstdint>
#include <utility>

namespace conclave::server {
namespace {

namespace fs = std::filesystem;
using net::HttpRequest;
using net::HttpResponse;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes once; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_value(s[i + 1]);
    int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool segment_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool valid_segment(std::string_view seg) {
  if (seg.empty() || seg.front() == '.') return false;
  for (char c : seg) {
    if (!segment_char(c)) return false;
  }
  return true;
}

HttpResponse with_headers(HttpResponse r) {
  r.headers.emplace_back("Content-Security-Policy", std::string(StaticFiles::kContentSecurityPolicy));
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  return r;
}

HttpResponse text_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return with_headers(std::move(r));
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

std::optional<std::string> StaticFiles::file_for_path(std::string_view url_path) {
  if (url_path.size() > kMaxPathBytes || url_path.empty() || url_path.front() != '/') {
    return std::nullopt;
  }
  auto decoded = percent_decode(url_path);
  if (!decoded) return std::nullopt;
  std::string_view p = *decoded;
  if (p == "/") return "index.html";
  // The join link: /j/<meeting id>, where an ID is a short token.
  if (p.starts_with("/j/")) {
    std::string_view id = p.substr(3);
    if (id.empty() || id.size() > 64) return std::nullopt;
    for (char c : id) {
      if (!segment_char(c) || c == '.') return std::nullopt;
    }
    return "index.html";
  }
  std::string relative;
  std::string_view rest = p.substr(1);
  while (true) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (!valid_segment(seg)) return std::nullopt;
    if (!relative.empty()) relative.push_back('/');
    relative.append(seg);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (!content_type(relative)) return std::nullopt;
  return relative;
}

std::optional<std::string_view> StaticFiles::content_type(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (file_name.size() > ext.size() && file_name.ends_with(ext)) return type;
  }
  return std::nullopt;
}

HttpResponse StaticFiles::handle(const HttpRequest& request) const {
  auto name = file_for_path(request.path());
  if (!name) return text_response(404, "not found\n");
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse r = text_response(405, "method not allowed\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  std::error_code ec;
  fs::path root = fs::canonical(root_, ec);
  if (ec) return text_response(404, "the web client is not installed on this server\n");
  fs::path file = fs::weakly_canonical(root / *name, ec);
  if (ec || !fs::is_regular_file(file, ec)) return text_response(404, "not found\n");
  // A symlink must not lead out of the web root.
  auto [root_end, file_it] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (root_end != root.end()) return text_response(404, "not found\n");
  auto size = fs::file_size(file, ec);
  if (ec || size > kMaxFileBytes) return text_response(404, "not found\n");
  std::ifstream in(file, std::ios::binary);
  if (!in) return text_response(404, "not found\n");
  HttpResponse r;
  r.content_type = std::string(*content_type(*name));
  r.body.resize(static_cast<size_t>(size));
  in.read(r.body.data(), static_cast<std::streamsize>(size));
  if (static_cast<uintmax_t>(in.gcount()) != size) return text_response(404, "not found\n");
  if (request.method == "HEAD") r.body.clear();
  r = with_headers(std::move(r));
  // The page must always be fresh (it names the scripts); the rest may be
  // revalidated.
  r.headers.emplace_back("Cache-Control", *name == "index.html" ? "no-store" : "no-cache");
  return r;
}

}  // namespace conclave::server
