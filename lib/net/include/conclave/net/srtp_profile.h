// SrtpProfile: the DTLS-SRTP protection profiles Conclave negotiates (RFC
// 5764 section 4.1.2, RFC 7714 section 14.2) and their master key and salt
// sizes. DtlsTransport offers and selects them in the use_srtp extension;
// SrtpSession protects with them.
//
//   profile              IANA id  cipher       tag  key  salt  OpenSSL name
//   aes128_cm_sha1_80    0x0001   AES-128-CM   10   16   14    SRTP_AES128_CM_SHA1_80
//   aead_aes_128_gcm     0x0007   AES-128-GCM  16   16   12    SRTP_AEAD_AES_128_GCM
//
// A master is key || salt, as the SRTP key derivation (RFC 3711 section
// 4.3, RFC 7714 section 11) takes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace conclave::net {

enum class SrtpProfile : uint16_t {
  aes128_cm_sha1_80 = 0x0001,
  aead_aes_128_gcm = 0x0007,
};

// The IANA SRTPProtectionProfile value.
constexpr uint16_t srtp_profile_id(SrtpProfile profile) { return static_cast<uint16_t>(profile); }

constexpr size_t srtp_master_key_length(SrtpProfile) { return 16; }

constexpr size_t srtp_master_salt_length(SrtpProfile profile) {
  return profile == SrtpProfile::aead_aes_128_gcm ? 12 : 14;
}

constexpr size_t srtp_master_length(SrtpProfile profile) {
  return srtp_master_key_length(profile) + srtp_master_salt_length(profile);
}

// The authentication tag appended to each SRTP and SRTCP packet.
constexpr size_t srtp_tag_length(SrtpProfile profile) {
  return profile == SrtpProfile::aead_aes_128_gcm ? 16 : 10;
}

// "SRTP_AES128_CM_SHA1_80" or "SRTP_AEAD_AES_128_GCM": the names RFC 5764
// and RFC 7714 register, which OpenSSL's use_srtp configuration also uses.
constexpr std::string_view to_string(SrtpProfile profile) {
  return profile == SrtpProfile::aead_aes_128_gcm ? "SRTP_AEAD_AES_128_GCM"
                                                   : "SRTP_AES128_CM_SHA1_80";
}

}  // namespace conclave::net
