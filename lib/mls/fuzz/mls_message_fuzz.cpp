// libFuzzer target for the MLS wire structs: decodes the input as an
// MLSMessage (every wire format, hence every struct and custom codec below
// it) and as a PrivateMessageContent plaintext of each content type. The
// oracle: whatever decodes re-encodes to exactly the input (the encodings
// are canonical: minimal varints, all bytes consumed, zero padding). Any
// violation aborts; hostile input must never crash, leak or trip a
// sanitizer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/base/bytes.h"
#include "conclave/mls/mls_message.h"
#include "conclave/mls/private_message.h"

namespace {

using conclave::Bytes;
using conclave::BytesView;

void check_message(BytesView input) {
  auto msg = conclave::mls::decode_mls_message(input);
  if (!msg.ok()) return;
  const Bytes again = conclave::mls::encode(*msg);
  if (!conclave::equal(again, input)) std::abort();
}

void check_private_content(BytesView input, conclave::mls::ContentType type) {
  auto content = conclave::mls::decode_private_message_content(input, type);
  if (!content.ok()) return;
  if (content->content_type() != type) std::abort();
  const Bytes again = conclave::mls::encode(*content);
  if (!conclave::equal(again, input)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const BytesView input(data, size);
  check_message(input);
  check_private_content(input, conclave::mls::ContentType::application);
  check_private_content(input, conclave::mls::ContentType::proposal);
  check_private_content(input, conclave::mls::ContentType::commit);
  return 0;
}
