// Shared test fixtures: a temp dir, a store with a cheap scrypt cost.
#pragma once

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "conclave/store/store.h"

namespace conclave::server::testing {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("conclave-server-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<store::Store> open_test_store(const std::filesystem::path& dir) {
  store::Store::Options o;
  o.scrypt = store::ScryptParams{10, 8, 1};
  auto s = store::Store::open(dir / "test.db", o);
  return s.ok() ? std::move(*s) : nullptr;
}

}  // namespace conclave::server::testing
