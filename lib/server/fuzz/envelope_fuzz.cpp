// libFuzzer target for the signaling envelope (server::Envelope::parse),
// the first thing the server does with every WebSocket message: the input
// is one message. Exactly one of envelope and failure must come back, the
// field readers must cope with whatever fields arrived, and the reply the
// server would send (the message or the error) must serialise. Hostile
// input must end in an error reply: never a crash, an exception, a leak or
// a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "conclave/server/envelope.h"

namespace {

constexpr size_t kMaxBytes = 64 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace server = conclave::server;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const server::ParsedEnvelope parsed = server::Envelope::parse(text, kMaxBytes);
  if (parsed.envelope.has_value() == parsed.failure.has_value()) std::abort();
  nlohmann::json reply;
  if (parsed.envelope.has_value()) {
    bool ok = true;
    for (const char* field : {"meeting_id", "display_name", "passcode", "host_key",
                              "participant_id", "reason"}) {
      (void)parsed.envelope->string_field(field, 1, 128, ok);
    }
    reply = server::make_message(parsed.envelope->type);
    reply["in_reply_to"] = parsed.envelope->id;
  } else {
    reply = server::make_error(parsed.failure->error, parsed.failure->in_reply_to,
                               parsed.failure->message);
  }
  const std::string out =
      reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (out.empty()) std::abort();
  return 0;
}
