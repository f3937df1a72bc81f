// The VP8 payload descriptor (RFC 7741 section 4.2;
// specs/rfc7741-vp8-rtp-payload.xml), at the front of every VP8 RTP
// payload:
//
//          0 1 2 3 4 5 6 7
//         +-+-+-+-+-+-+-+-+
//         |X|R|N|S|R| PID | (REQUIRED)
//         +-+-+-+-+-+-+-+-+
//    X:   |I|L|T|K| RSV   | (OPTIONAL)
//         +-+-+-+-+-+-+-+-+
//    I:   |M| PictureID   | (OPTIONAL, 7 bits, or 15 with M=1 and the next octet)
//         +-+-+-+-+-+-+-+-+
//    L:   |   TL0PICIDX   | (OPTIONAL)
//         +-+-+-+-+-+-+-+-+
//    T/K: |TID|Y| KEYIDX  | (OPTIONAL)
//         +-+-+-+-+-+-+-+-+
//
// The TID/Y/KEYIDX octet is present when T or K is set; its TID|Y part is
// ignored when T is 0 and its KEYIDX part when K is 0 (parse() leaves them
// unset). Reserved bits are written as 0 and ignored on parse.
//
// After the descriptor, the first packet of a frame (S=1, PID=0) starts
// with the VP8 payload header, whose lowest bit P is 0 for a key frame
// (is_key_frame()). That bit is in the payload: with SFrame it is
// ciphertext, so key frames are signalled by the dependency descriptor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

struct Vp8PayloadDescriptor {
  static constexpr size_t kMaxSize = 6;

  bool non_reference = false;       // N
  bool start_of_partition = false;  // S
  uint8_t partition_index = 0;      // PID, 0-7
  std::optional<uint16_t> picture_id;
  bool long_picture_id = true;  // M: 15-bit PictureID (only with picture_id)
  std::optional<uint8_t> tl0_pic_idx;
  std::optional<uint8_t> temporal_id;  // TID, 0-3
  bool layer_sync = false;             // Y (only with temporal_id)
  std::optional<uint8_t> key_idx;      // KEYIDX, 0-31

  // The descriptor at the front of payload, and its size.
  // Errors: truncated.
  static Result<std::pair<Vp8PayloadDescriptor, size_t>> parse(BytesView payload);
  size_t size() const;
  // invalid_argument for a field out of range (PID > 7, a 7-bit PictureID
  // over 127 or a 15-bit one over 32767, TID > 3, KEYIDX > 31).
  Result<Bytes> serialize() const;

  // True for a key frame, given the payload data after the descriptor of
  // the first packet of a frame (S=1, PID=0): the P bit of the VP8 payload
  // header is 0. Meaningless for ciphertext (see above).
  static bool is_key_frame(BytesView frame_start);

  friend bool operator==(const Vp8PayloadDescriptor&, const Vp8PayloadDescriptor&) = default;
};

}  // namespace conclave::rtp
