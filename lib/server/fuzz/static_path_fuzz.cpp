// libFuzzer target for the web pages' path check (StaticFiles::file_for_path
// and handle over a real folder): the input is a request target. A mapped
// name must be relative, made of safe segments (no "..", no dot file, no
// backslash or NUL) and have a served extension; handle must answer 200
// only with a file of the root. Never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "conclave/server/static_files.h"

namespace {

namespace fs = std::filesystem;

const fs::path& root() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / "conclave_static_fuzz" / "root";
    fs::create_directories(d / "sub");
    std::ofstream(d / "index.html") << "index";
    std::ofstream(d / "app.js") << "app";
    std::ofstream(d / "sub" / "x.css") << "css";
    std::ofstream(d.parent_path() / "secret.js") << "SECRET";
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace server = conclave::server;
  const std::string target(reinterpret_cast<const char*>(data), size);
  auto name = server::StaticFiles::file_for_path(target);
  if (name) {
    if (name->empty() || name->front() == '/' || name->find('\\') != std::string::npos ||
        name->find('\0') != std::string::npos || ("/" + *name).find("/.") != std::string::npos ||
        name->find("//") != std::string::npos ||
        !server::StaticFiles::content_type(*name)) {
      std::abort();
    }
  }
  conclave::net::HttpRequest request;
  request.method = "GET";
  request.target = target;
  auto response = server::StaticFiles(root()).handle(request);
  if (response.body.find("SECRET") != std::string::npos) std::abort();
  if (response.status == 200 && response.body != "index" && response.body != "app" &&
      response.body != "css") {
    std::abort();
  }
  return 0;
}
