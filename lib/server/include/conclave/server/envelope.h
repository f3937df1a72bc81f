// Envelope: a parsed client signaling message, version 1.
//
//   {"v": 1, "type": "<name>", "id": "<client id>", ...fields of the type}
//
// `id` is a string of 1-64 printable ASCII characters or a non-negative
// integer chosen by the client; replies and errors carry it back as
// `in_reply_to`. parse() enforces the size limit, JSON syntax, a nesting
// limit, the version and the envelope fields; the fields of each type are
// checked by the handler. A failure returns the ProtocolError to reply with
// and, when it could be read, the id to reply to.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "conclave/server/protocol_error.h"

namespace conclave::server {

inline constexpr int kProtocolVersion = 1;
inline constexpr size_t kMaxJsonDepth = 16;

struct ParsedEnvelope;

struct Envelope {
  std::string type;
  nlohmann::json id;    // string or integer, echoed as in_reply_to
  nlohmann::json body;  // the whole object

  static ParsedEnvelope parse(std::string_view text, size_t max_bytes);

  // Field readers: nullopt when absent; `ok` false when present but of the
  // wrong type or outside [min, max] characters.
  std::optional<std::string> string_field(std::string_view name, size_t min, size_t max,
                                          bool& ok) const;
};

struct EnvelopeFailure {
  ProtocolError error;
  nlohmann::json in_reply_to;  // null when unknown
  std::string message;
};

// Either an Envelope or the reason it is not one.
struct ParsedEnvelope {
  std::optional<Envelope> envelope;
  std::optional<EnvelopeFailure> failure;
};

// A server message: {"v":1,"type":type,"id":"s<n>", ...}.
nlohmann::json make_message(std::string_view type);
// {"v":1,"type":"ack","id":...,"in_reply_to":in_reply_to}
nlohmann::json make_ack(const nlohmann::json& in_reply_to);
// {"v":1,"type":"error","code":...,"message":...,"in_reply_to":...}
nlohmann::json make_error(ProtocolError e, const nlohmann::json& in_reply_to,
                          std::string_view message = {});

}  // namespace conclave::server
