// libFuzzer target: SFrame header parsing (RFC 9605 section 4.3).
//
// Oracle: parse() either rejects the input as truncated or non-minimal, or
// accepts a prefix of it; re-encoding the parsed header must then give
// back exactly the bytes it consumed (the encoding is canonical, so there
// is one encoding per (KID, CTR) and the parser accepts only that one).
// Seeds: the `encoded` fields of the sframe test vectors' header section.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "conclave/sframe/header.h"

using conclave::sframe::Errc;
using conclave::sframe::Header;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const conclave::BytesView input(data, size);
  auto parsed = Header::parse(input);
  if (!parsed.ok()) {
    if (!parsed.error().is(Errc::truncated_header) &&
        !parsed.error().is(Errc::non_minimal_header)) {
      std::abort();
    }
    // A rejected input must stay rejected when more bytes follow only if
    // the reason is not truncation.
    return 0;
  }
  const size_t n = parsed->size;
  if (n < 1 || n > Header::kMaxSize || n > size) std::abort();
  if (parsed->header.encoded_size() != n) std::abort();
  uint8_t out[Header::kMaxSize];
  auto written = parsed->header.encode(out);
  if (!written.ok() || *written != n || std::memcmp(out, data, n) != 0) std::abort();
  // The header alone, without what followed, parses to the same result.
  auto again = Header::parse(input.first(n));
  if (!again.ok() || again->header != parsed->header || again->size != n) std::abort();
  return 0;
}
