#include "conclave/sdp/fingerprint.h"

#include "syntax.h"

namespace conclave::sdp {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// "AB:CD:..." to bytes; nullopt on bad syntax or more than kMaxDigestSize.
std::optional<Bytes> decode(std::string_view text) {
  if (text.size() < 2 || text.size() % 3 != 2) return std::nullopt;
  const size_t n = (text.size() + 1) / 3;
  if (n > Fingerprint::kMaxDigestSize) return std::nullopt;
  Bytes out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const char hi = text[3 * i];
    const char lo = text[3 * i + 1];
    if (!detail::is_hex_digit(hi) || !detail::is_hex_digit(lo)) return std::nullopt;
    if (i + 1 < n && text[3 * i + 2] != ':') return std::nullopt;
    out.push_back(static_cast<uint8_t>(hex_value(hi) * 16 + hex_value(lo)));
  }
  return out;
}

}  // namespace

Result<Fingerprint> Fingerprint::parse(std::string_view value) {
  auto fields = detail::split_fields(value, 2);
  if (!fields || fields->size() != 2) return Error(Errc::invalid_fingerprint, "fields");
  if (!detail::is_token((*fields)[0])) return Error(Errc::invalid_fingerprint, "hash function");
  auto digest = decode((*fields)[1]);
  if (!digest) return Error(Errc::invalid_fingerprint, "digest");
  const size_t expected = digest_size((*fields)[0]);
  if (expected != 0 && digest->size() != expected) {
    return Error(Errc::invalid_fingerprint, "digest length");
  }
  return Fingerprint{std::string((*fields)[0]), std::string((*fields)[1])};
}

std::string Fingerprint::serialize() const {
  return algorithm + " " + value;
}

std::string Fingerprint::format_digest(BytesView digest) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < digest.size(); ++i) {
    if (i != 0) out += ':';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

Result<Bytes> Fingerprint::digest() const {
  auto d = decode(value);
  if (!d) return Error(Errc::invalid_fingerprint, "digest");
  return *std::move(d);
}

size_t Fingerprint::digest_size(std::string_view algorithm) {
  if (detail::iequals(algorithm, "sha-1")) return 20;
  if (detail::iequals(algorithm, "sha-224")) return 28;
  if (detail::iequals(algorithm, "sha-256")) return 32;
  if (detail::iequals(algorithm, "sha-384")) return 48;
  if (detail::iequals(algorithm, "sha-512")) return 64;
  return 0;
}

}  // namespace conclave::sdp
