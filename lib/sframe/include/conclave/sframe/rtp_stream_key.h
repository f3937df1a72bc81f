// Per-SSRC keys of the RTP payload format for SFrame
// (draft-ietf-avtcore-rtp-sframe, editor's copy of 2026-03; a draft, not an
// RFC, so the label may still change).
//
// A sender that sends several RTP streams under one base_key MAY first
// derive one key per stream from the stream's SSRC and use that key as the
// stream's base_key for derive_key_salt (RFC 9605 section 4.4.2):
//
//   stream_key = HKDF-Expand(HKDF-Extract(salt = SSRC as 4 bytes BE,
//                                         ikm = base_key),
//                            "SFrame 1.0 RTP Stream", Hash.Nh)
//
// The output depends only on the suite's hash, so suites 1-4 agree with each
// other, as do 5-8.
#pragma once

#include <cstdint>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/sframe/cipher_suite.h"

namespace conclave::sframe {

// Errc::invalid_key for an empty base_key.
Result<SecretBytes> derive_rtp_stream_key(const CipherSuite& suite, uint32_t ssrc,
                                          BytesView base_key);

}  // namespace conclave::sframe
