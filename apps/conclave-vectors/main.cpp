// conclave-vectors [--kind K] [--verbose] FILE...
//
// Checks upstream test-vector files as published (HPKE, SFrame, MLS) and
// prints one line per file, "FILE: N passed, M failed", followed by one
// line per failure naming the case and the field. Exits non-zero if any
// case failed or a file could not be read or recognised.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/vectors/runner.h"

namespace {

void usage(std::ostream& out) {
  out << "usage: conclave-vectors [--kind K] [--max-failures N] FILE...\n"
         "Checks upstream test-vector files; the kind is detected from the content\n"
         "unless given. Kinds:";
  for (auto k : conclave::vectors::kind_names()) out << ' ' << k;
  out << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<conclave::vectors::Kind> forced;
  size_t max_failures = 20;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      usage(std::cout);
      return 0;
    }
    if (arg == "--kind" && i + 1 < argc) {
      auto k = conclave::vectors::parse_kind(argv[++i]);
      if (!k) {
        std::cerr << "conclave-vectors: unknown kind '" << argv[i] << "'\n";
        usage(std::cerr);
        return 2;
      }
      forced = *k;
      continue;
    }
    if (arg == "--max-failures" && i + 1 < argc) {
      max_failures = std::stoul(argv[++i]);
      continue;
    }
    if (arg.starts_with("-")) {
      std::cerr << "conclave-vectors: unknown option " << arg << '\n';
      usage(std::cerr);
      return 2;
    }
    files.emplace_back(arg);
  }
  if (files.empty()) {
    usage(std::cerr);
    return 2;
  }

  bool all_ok = true;
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) {
      std::cout << file << ": cannot read\n";
      all_ok = false;
      continue;
    }
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      std::cout << file << ": not valid JSON\n";
      all_ok = false;
      continue;
    }
    conclave::vectors::Kind kind;
    if (forced) {
      kind = *forced;
    } else {
      auto detected = conclave::vectors::detect_kind(doc);
      if (!detected) {
        std::cout << file << ": " << detected.error().message() << '\n';
        all_ok = false;
        continue;
      }
      kind = *detected;
    }
    auto report = conclave::vectors::run(kind, doc);
    std::cout << file << ": " << report.passed() << " passed, " << report.failed()
              << " failed [" << conclave::vectors::kind_name(kind) << "]\n";
    size_t shown = 0;
    for (const auto& f : report.failures()) {
      if (shown++ == max_failures) {
        std::cout << "  ... " << (report.failures().size() - max_failures)
                  << " more failing fields\n";
        break;
      }
      std::cout << "  case " << f.where << ": " << f.field << ": " << f.detail << '\n';
    }
    if (report.failed() != 0 || report.passed() == 0) all_ok = false;
  }
  return all_ok ? 0 : 1;
}
