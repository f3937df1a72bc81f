// Private: byte-exact reads and writes on iostreams and little-endian
// fields, for the file readers and writers. Every failure is a Result:
// truncated when the input ends early, io_error when the stream fails.
// `what` is a static string naming the field (an Error keeps the view).
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/media/errc.h"

namespace conclave::media::detail {

inline Status read_exact(std::istream& in, MutableBytesView out, std::string_view what) {
  if (out.empty()) return ok_status();
  in.read(reinterpret_cast<char*>(out.data()),  // NOLINT: iostreams speak char
          static_cast<std::streamsize>(out.size()));
  if (static_cast<size_t>(in.gcount()) == out.size()) return ok_status();
  if (in.eof()) return Error(Errc::truncated, what);
  return Error(Errc::io_error, what);
}

// Skips `count` bytes. Errors like read_exact.
inline Status skip(std::istream& in, uint64_t count, std::string_view what) {
  constexpr uint64_t kStep = uint64_t{1} << 30;
  while (count > 0) {
    const uint64_t step = count < kStep ? count : kStep;
    in.ignore(static_cast<std::streamsize>(step));
    if (static_cast<uint64_t>(in.gcount()) != step) {
      return Error(in.eof() ? Errc::truncated : Errc::io_error, what);
    }
    count -= step;
  }
  return ok_status();
}

// True when the stream is at its end (nothing more to read).
inline bool at_end(std::istream& in) {
  return in.peek() == std::istream::traits_type::eof();
}

// One line without its '\n'. Errors: truncated (end before '\n'),
// too_large (longer than `max`), io_error.
inline Result<std::string> read_line(std::istream& in, size_t max, std::string_view what) {
  std::string line;
  while (true) {
    const auto c = in.get();
    if (c == std::istream::traits_type::eof()) {
      return Error(in.eof() ? Errc::truncated : Errc::io_error, what);
    }
    if (c == '\n') return line;
    if (line.size() >= max) return Error(Errc::too_large, what);
    line.push_back(static_cast<char>(c));
  }
}

inline Status write_all(std::ostream& out, BytesView data, std::string_view what) {
  out.write(reinterpret_cast<const char*>(data.data()),  // NOLINT: iostreams speak char
            static_cast<std::streamsize>(data.size()));
  if (!out) return Error(Errc::io_error, what);
  return ok_status();
}

inline Result<std::unique_ptr<std::ifstream>> open_input(const std::string& path) {
  auto f = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!f->is_open()) return Error(Errc::io_error, "cannot open input file");
  return f;
}

inline Result<std::unique_ptr<std::ofstream>> open_output(const std::string& path) {
  auto f = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!f->is_open()) return Error(Errc::io_error, "cannot create output file");
  return f;
}

inline uint16_t get_le16(BytesView b, size_t at) {
  return static_cast<uint16_t>(b[at] | b[at + 1] << 8);
}
inline uint32_t get_le32(BytesView b, size_t at) {
  return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 |
         static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}
inline uint64_t get_le64(BytesView b, size_t at) {
  return uint64_t{get_le32(b, at)} | uint64_t{get_le32(b, at + 4)} << 32;
}

inline void put_le(Bytes& out, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

inline bool has_tag(BytesView b, size_t at, std::string_view tag) {
  if (at + tag.size() > b.size()) return false;
  for (size_t i = 0; i < tag.size(); ++i) {
    if (b[at + i] != static_cast<uint8_t>(tag[i])) return false;
  }
  return true;
}

}  // namespace conclave::media::detail
