// The SFrame header (RFC 9605 section 4.3): the Key ID and Counter of a
// frame in a compact, variable-length form of 1 to 17 bytes. The header is
// sent in the clear and authenticated as part of the AAD.
//
//     Config Byte
//          |
//   .-----' '-----.
//  |               |
//   0 1 2 3 4 5 6 7
//  +-+-+-+-+-+-+-+-+------------+------------+
//  |X|  K  |Y|  C  |   KID...   |   CTR...   |
//  +-+-+-+-+-+-+-+-+------------+------------+
//
// "If the value of one of these fields is in the range 0-7, then the value
// is carried in the corresponding bits of the config byte (K or C) and the
// corresponding flag (X or Y) is set to zero. Otherwise, the value MUST be
// encoded with the minimum number of bytes required and appended after the
// config byte, with the KID first and CTR second. The header field (K or C)
// is set to the number of bytes in the encoded value, minus one."
//
// The encoding is canonical, and parse() enforces that: an extended field
// holding a value 0-7, or one with a leading zero byte, is rejected as
// Errc::non_minimal_header, so every accepted header re-encodes to exactly
// the bytes it was read from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/sframe/errc.h"

namespace conclave::sframe {

struct ParsedHeader;

struct Header {
  // Config byte plus up to 8 bytes each of KID and CTR.
  static constexpr size_t kMaxSize = 17;

  uint64_t kid = 0;
  uint64_t ctr = 0;

  // Number of bytes encode() writes: 1 to 17.
  size_t encoded_size() const;

  // Writes the header to the front of out and returns its size;
  // Errc::buffer_too_small if out is shorter than encoded_size().
  Result<size_t> encode(MutableBytesView out) const;
  // The same into a buffer that always has room; cannot fail.
  size_t encode_into(std::span<uint8_t, kMaxSize> out) const;

  // Reads a header from the front of data (which may continue with the
  // ciphertext). Errors: truncated_header, non_minimal_header.
  static Result<ParsedHeader> parse(BytesView data);

  friend bool operator==(const Header&, const Header&) = default;
};

struct ParsedHeader {
  Header header;
  size_t size = 0;  // bytes of data the header occupied
};

}  // namespace conclave::sframe
