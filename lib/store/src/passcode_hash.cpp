#include "conclave/store/passcode_hash.h"

#include <openssl/evp.h>

#include <charconv>
#include <optional>

#include "conclave/base/encoding.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/random.h"

namespace conclave::store {
namespace {

constexpr std::string_view kPrefix = "$scrypt$";

bool params_in_bounds(const ScryptParams& p) {
  return p.log2_n >= 1 && p.log2_n <= PasscodeHash::kMaxLog2N && p.r >= 1 &&
         p.r <= PasscodeHash::kMaxR && p.p >= 1 && p.p <= PasscodeHash::kMaxP;
}

Result<SecretBytes> derive(std::string_view passcode, BytesView salt, const ScryptParams& p) {
  uint64_t n = uint64_t{1} << p.log2_n;
  // scrypt needs 128 * r * (N + p) bytes; allow that plus slack.
  uint64_t max_mem = 128 * uint64_t{p.r} * (n + p.p) + (uint64_t{1} << 20);
  SecretBytes out(PasscodeHash::kHashBytes);
  int rc = EVP_PBE_scrypt(passcode.data(), passcode.size(), salt.data(), salt.size(), n, p.r,
                          p.p, max_mem, out.data(), out.size());
  if (rc != 1) return Errc::hash_failed;
  return out;
}

std::optional<uint64_t> parse_uint(std::string_view s) {
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "ln=15,r=8,p=3"
std::optional<ScryptParams> parse_params(std::string_view s) {
  ScryptParams out;
  bool seen_ln = false, seen_r = false, seen_p = false;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto value = parse_uint(item.substr(eq + 1));
    if (!value || *value > 1'000'000) return std::nullopt;
    std::string_view key = item.substr(0, eq);
    if (key == "ln" && !seen_ln) {
      if (*value > 255) return std::nullopt;
      out.log2_n = static_cast<uint8_t>(*value);
      seen_ln = true;
    } else if (key == "r" && !seen_r) {
      out.r = static_cast<uint32_t>(*value);
      seen_r = true;
    } else if (key == "p" && !seen_p) {
      out.p = static_cast<uint32_t>(*value);
      seen_p = true;
    } else {
      return std::nullopt;
    }
  }
  if (!seen_ln || !seen_r || !seen_p) return std::nullopt;
  return out;
}

}  // namespace

Result<std::string> PasscodeHash::hash(std::string_view passcode, ScryptParams params) {
  if (passcode.empty() || passcode.size() > kMaxPasscodeBytes) {
    return Error(Errc::invalid_argument, "passcode length");
  }
  if (!params_in_bounds(params)) return Error(Errc::invalid_argument, "scrypt parameters");
  Bytes salt = crypto::random_bytes(kSaltBytes);
  CV_TRY(SecretBytes key, derive(passcode, salt, params));
  std::string out(kPrefix);
  out += "ln=" + std::to_string(params.log2_n) + ",r=" + std::to_string(params.r) +
         ",p=" + std::to_string(params.p) + "$" + to_base64url(salt) + "$" +
         to_base64url(key.view());
  return out;
}

bool PasscodeHash::verify(std::string_view encoded, std::string_view passcode) {
  if (passcode.empty() || passcode.size() > kMaxPasscodeBytes) return false;
  if (!encoded.starts_with(kPrefix)) return false;
  std::string_view rest = encoded.substr(kPrefix.size());
  size_t d1 = rest.find('$');
  if (d1 == std::string_view::npos) return false;
  size_t d2 = rest.find('$', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  auto params = parse_params(rest.substr(0, d1));
  if (!params || !params_in_bounds(*params)) return false;
  auto salt = from_base64url(rest.substr(d1 + 1, d2 - d1 - 1));
  auto expected = from_base64url(rest.substr(d2 + 1));
  if (!salt.ok() || !expected.ok() || salt->empty() || expected->size() != kHashBytes) {
    return false;
  }
  auto key = derive(passcode, *salt, *params);
  if (!key.ok()) return false;
  return constant_time_equal(key->view(), *expected);
}

}  // namespace conclave::store
