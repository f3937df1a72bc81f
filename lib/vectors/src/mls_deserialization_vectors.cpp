// check_mls_deserialization: the mlswg deserialization.json vectors, pairs of
// an RFC 9420 section 2.1.2 variable-size vector length header and the length
// it encodes. For each case:
//   1. decoding `vlbytes_header` gives `length` and consumes the whole header;
//   2. encoding `length` gives exactly `vlbytes_header` (minimal form).
// A missing field, bad hex or an out-of-range length is a failure of that
// case, never a crash.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/codec/reader.h"
#include "conclave/codec/varint.h"
#include "conclave/codec/writer.h"
#include "conclave/vectors/json_util.h"
#include "conclave/vectors/runner.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;

void check_case(const json& v, CaseCheck& c) {
  if (!v.is_object()) {
    c.fail("case", "not an object");
    return;
  }
  auto header = hex_field(v, "vlbytes_header");
  if (!header.ok()) {
    c.fail("vlbytes_header", "missing or not a hex string");
    return;
  }
  auto it = v.find("length");
  if (it == v.end() || !it->is_number_unsigned()) {
    c.fail("length", "missing or not an unsigned number");
    return;
  }
  const uint64_t length = it->get<uint64_t>();

  codec::Reader reader(*header);
  auto decoded = reader.read_varint();
  if (!decoded.ok()) {
    c.fail("vlbytes_header", "decoding failed: " + decoded.error().to_string());
  } else {
    if (*decoded != length) {
      c.fail("length", "header decodes to " + std::to_string(*decoded) + ", expected " +
                           std::to_string(length));
    }
    if (!reader.empty()) {
      c.fail("vlbytes_header",
             std::to_string(reader.remaining()) + " byte(s) left after the varint");
    }
  }

  if (length > codec::kMaxVarint) {
    c.fail("length", "above 2^30-1, cannot be encoded as a varint");
    return;
  }
  codec::Writer writer;
  writer.write_varint(length);
  if (!equal(writer.view(), *header)) {
    c.fail("vlbytes_header", "encoding length: " + describe_mismatch(*header, writer.view()));
  }
}

}  // namespace

Report check_mls_deserialization(const nlohmann::json& doc) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not an array of deserialization cases");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    check_case(doc[i], c);
  }
  return report;
}

}  // namespace conclave::vectors
