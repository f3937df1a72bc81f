// Helpers for reading vector fields: hex strings to bytes, uint64 numbers,
// and "expected X, got Y" descriptions for failures.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "conclave/base/bytes.h"
#include "conclave/base/encoding.h"

namespace conclave::vectors {

// The bytes of a hex field. Returns nullopt-like empty Result on a missing
// field or bad hex, so a broken vector file is reported, not crashed on.
inline Result<Bytes> hex_field(const nlohmann::json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return Error(EncodingErrc::bad_character, name);
  return from_hex(it->get_ref<const std::string&>());
}

inline std::string describe_mismatch(BytesView want, BytesView got) {
  return "expected " + to_hex(want) + ", got " + to_hex(got);
}

}  // namespace conclave::vectors
