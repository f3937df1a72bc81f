// SrtpKeyDerivation: the session keys of an SRTP master (RFC 3711 section
// 4.3, key derivation rate 0; RFC 7714 section 11 for AES-GCM).
//
//   x(label)   = (master_salt || 00 00) XOR (label << 48)   (112-bit salt
//                 with the 8-bit label at byte 7; a 96-bit GCM master salt
//                 is first padded with two zero bytes to 112 bits)
//   key(label) = AES-CM(master_key, IV = x(label) || 00 00), first n bytes
//
//   label  0 SRTP encryption key (16)   3 SRTCP encryption key (16)
//          1 SRTP auth key (20, CM)     4 SRTCP auth key (20, CM)
//          2 SRTP salt (14 CM, 12 GCM)  5 SRTCP salt (14 CM, 12 GCM)
//
// SrtpSession derives once when it is created.
#pragma once

#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/net/srtp_profile.h"

namespace conclave::net {

// The keys of one direction for SRTP and for SRTCP. The auth keys are
// empty for AEAD_AES_128_GCM, which has no separate MAC.
struct SrtpSessionKeys {
  SecretBytes rtp_encryption;
  SecretBytes rtp_auth;
  SecretBytes rtp_salt;
  SecretBytes rtcp_encryption;
  SecretBytes rtcp_auth;
  SecretBytes rtcp_salt;
};

class SrtpKeyDerivation {
 public:
  // master = master_key || master_salt of the profile's sizes; a wrong
  // length is SrtpErrc::invalid_key.
  static Result<SrtpSessionKeys> derive(SrtpProfile profile, const SecretBytes& master);

  // One session key: the first `length` bytes of the AES-CM PRF for label.
  // master_salt is 14 bytes, or 12 (padded with zeros).
  static Result<SecretBytes> derive_key(BytesView master_key, BytesView master_salt, uint8_t label,
                                        size_t length);
};

}  // namespace conclave::net
