// Field readers shared by the checks of the MLS key-derivation vector files
// (crypto-basics, secret-tree, key-schedule, psk_secret, transcript-hashes).
// Each reader records a failure under the field's name and returns nullopt
// when the field is missing or of the wrong type, so that a malformed file
// is reported and never crashes the check.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "conclave/base/bytes.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/mls_message.h"
#include "conclave/vectors/json_util.h"
#include "conclave/vectors/report.h"

namespace conclave::vectors::mls_keys {

inline const nlohmann::json* need_object(const nlohmann::json& obj, const char* name,
                                         const std::string& field, CaseCheck& c) {
  if (!obj.is_object()) {
    c.fail(field, "enclosing value is not an object");
    return nullptr;
  }
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_object()) {
    c.fail(field, "missing or not an object");
    return nullptr;
  }
  return &*it;
}

inline const nlohmann::json* need_array(const nlohmann::json& obj, const char* name,
                                        const std::string& field, CaseCheck& c) {
  if (!obj.is_object()) {
    c.fail(field, "enclosing value is not an object");
    return nullptr;
  }
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_array()) {
    c.fail(field, "missing or not an array");
    return nullptr;
  }
  return &*it;
}

inline std::optional<Bytes> need_hex(const nlohmann::json& obj, const char* name,
                                     const std::string& field, CaseCheck& c) {
  if (!obj.is_object()) {
    c.fail(field, "enclosing value is not an object");
    return std::nullopt;
  }
  auto bytes = hex_field(obj, name);
  if (!bytes.ok()) {
    c.fail(field, "missing or not a hex string");
    return std::nullopt;
  }
  return std::move(bytes).value();
}

inline std::optional<std::string> need_string(const nlohmann::json& obj, const char* name,
                                              const std::string& field, CaseCheck& c) {
  if (!obj.is_object()) {
    c.fail(field, "enclosing value is not an object");
    return std::nullopt;
  }
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) {
    c.fail(field, "missing or not a string");
    return std::nullopt;
  }
  return it->get<std::string>();
}

// An unsigned number no larger than `max`.
inline std::optional<uint64_t> need_uint(const nlohmann::json& obj, const char* name,
                                         const std::string& field, CaseCheck& c,
                                         uint64_t max = std::numeric_limits<uint64_t>::max()) {
  if (!obj.is_object()) {
    c.fail(field, "enclosing value is not an object");
    return std::nullopt;
  }
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) {
    c.fail(field, "missing or not an unsigned number");
    return std::nullopt;
  }
  const auto value = it->get<uint64_t>();
  if (value > max) {
    c.fail(field, "out of range (max " + std::to_string(max) + ")");
    return std::nullopt;
  }
  return value;
}

// The case's cipher_suite as a CipherSuite, or a failure.
inline std::optional<mls::CipherSuite> need_suite(const nlohmann::json& v, CaseCheck& c) {
  const auto id = need_uint(v, "cipher_suite", "cipher_suite", c, 0xFFFF);
  if (!id) return std::nullopt;
  auto suite = mls::CipherSuite::create(static_cast<mls::CipherSuiteId>(*id));
  if (!suite.ok()) {
    c.fail("cipher_suite", "unsupported: " + std::to_string(*id));
    return std::nullopt;
  }
  return std::move(suite).value();
}

inline void expect_bytes(CaseCheck& c, const std::string& field, BytesView want, BytesView got) {
  if (!equal(want, got)) c.fail(field, describe_mismatch(want, got));
}

// Records a failed operation under `field`.
inline void fail_error(CaseCheck& c, const std::string& field, const Error& e) {
  c.fail(field, e.to_string());
}

// The MLSMessage hex-encoded at obj[name]; a missing, non-hex or
// undecodable value is recorded under `field`.
inline std::optional<mls::MLSMessage> need_message(const nlohmann::json& obj, const char* name,
                                                   const std::string& field, CaseCheck& c) {
  auto bytes = need_hex(obj, name, field, c);
  if (!bytes) return std::nullopt;
  auto msg = mls::decode_mls_message(*bytes);
  if (!msg.ok()) {
    fail_error(c, field, msg.error());
    return std::nullopt;
  }
  return std::move(msg).value();
}

// Checks every case of an array-of-cases file: each case must name a
// supported cipher_suite, then check_case(suite, case, c) runs on it.
template <class CheckCase>
Report check_suite_cases(const nlohmann::json& doc, CheckCase&& check_case) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not a JSON array");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    const nlohmann::json& v = doc[i];
    auto suite = need_suite(v, c);
    if (!suite) continue;
    check_case(*suite, v, c);
  }
  return report;
}

}  // namespace conclave::vectors::mls_keys
