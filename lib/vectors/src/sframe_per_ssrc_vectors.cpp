// check_sframe_per_ssrc: the per-SSRC key derivation vectors of
// draft-ietf-avtcore-rtp-sframe (test-vectors-per-ssrc-key-derivation.json,
// section sframe_per_ssrc_key_derivation). Each case gives a suite, a
// base_key and two SSRCs; derive_rtp_stream_key must reproduce
// stream_key_a and stream_key_b.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "conclave/sframe/cipher_suite.h"
#include "conclave/sframe/rtp_stream_key.h"
#include "conclave/vectors/json_util.h"
#include "conclave/vectors/runner.h"

namespace conclave::vectors {
namespace {

using nlohmann::json;
using sframe::CipherSuite;

constexpr const char* kSection = "sframe_per_ssrc_key_derivation";

std::optional<uint64_t> need_uint(const json& obj, const char* name, CaseCheck& c) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) {
    c.fail(name, "missing or not an unsigned number");
    return std::nullopt;
  }
  return it->get<uint64_t>();
}

void check_stream(const json& v, const CipherSuite& suite, BytesView base_key,
                  const char* ssrc_name, const char* key_name, CaseCheck& c) {
  auto ssrc = need_uint(v, ssrc_name, c);
  auto want = hex_field(v, key_name);
  if (!want.ok()) c.fail(key_name, "missing or not a hex string");
  if (!ssrc || !want.ok()) return;
  if (*ssrc > UINT32_MAX) {
    c.fail(ssrc_name, "SSRC does not fit 32 bits");
    return;
  }
  auto got = sframe::derive_rtp_stream_key(suite, static_cast<uint32_t>(*ssrc), base_key);
  if (!got.ok()) {
    c.fail(key_name, "derivation failed: " + got.error().to_string());
    return;
  }
  if (!equal(*want, got->view())) c.fail(key_name, describe_mismatch(*want, got->view()));
}

}  // namespace

Report check_sframe_per_ssrc(const json& doc) {
  Report report;
  const json* section = nullptr;
  if (doc.is_object()) {
    for (const auto& item : doc.items()) {
      if (item.key() == kSection) {
        section = &item.value();
      } else {
        CaseCheck(report, item.key()).fail("", "unknown section, not checked");
      }
    }
  }
  if (section == nullptr || !section->is_array()) {
    CaseCheck(report, "file").fail(kSection, "missing section or not an array");
    return report;
  }
  size_t i = 0;
  for (const json& v : *section) {
    CaseCheck c(report, kSection, i++);
    if (!v.is_object()) {
      c.fail("", "case is not an object");
      continue;
    }
    auto id = need_uint(v, "cipher_suite", c);
    auto base_key = hex_field(v, "base_key");
    if (!base_key.ok()) c.fail("base_key", "missing or not a hex string");
    if (!id || !base_key.ok()) continue;
    auto suite = *id <= 0xffff ? CipherSuite::from_code_point(static_cast<uint16_t>(*id))
                               : Result<CipherSuite>(sframe::Errc::invalid_cipher_suite);
    if (!suite.ok()) {
      c.fail("cipher_suite", "unknown suite " + std::to_string(*id));
      continue;
    }
    check_stream(v, *suite, *base_key, "ssrc_a", "stream_key_a", c);
    check_stream(v, *suite, *base_key, "ssrc_b", "stream_key_b", c);
  }
  return report;
}

}  // namespace conclave::vectors
