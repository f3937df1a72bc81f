// libFuzzer target: SrtpSession on hostile bytes, both profiles.
//
// The first byte chooses the profile (bit 0: AES-CM/HMAC-SHA1 or AES-GCM),
// the kind (bit 1: RTP or RTCP) and the mode (bit 2); the rest is the
// packet.
//   mode 0  unprotect the bytes with an inbound session keyed with a fixed
//           master, then again (the state a failure left must still work)
//   mode 1  protect the bytes with the outbound session of the same master
//           (a hostile header through the SFU's rewriting) and unprotect
//           the result: it must open and give back exactly the input,
//           and opening it a second time must be a replay
// Nothing may crash, abort or read outside the buffer (ASan).
// Seeds: a few protected RTP/RTCP packets (scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "conclave/net/srtp_session.h"

namespace {

using namespace conclave;
using namespace conclave::net;

SecretBytes fixed_master(SrtpProfile profile) {
  Bytes m(srtp_master_length(profile));
  for (size_t i = 0; i < m.size(); ++i) m[i] = static_cast<uint8_t>(0x10 + i);
  return SecretBytes(m);
}

SrtpSession session(SrtpProfile profile, SrtpDirection direction) {
  auto s = SrtpSession::create(profile, direction, fixed_master(profile));
  if (!s.ok()) std::abort();
  return std::move(s).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > SrtpSession::kMaxPacketSize) return 0;
  const uint8_t mode = data[0];
  const SrtpProfile profile =
      (mode & 1) != 0 ? SrtpProfile::aead_aes_128_gcm : SrtpProfile::aes128_cm_sha1_80;
  const bool rtcp = (mode & 2) != 0;
  const bool round_trip = (mode & 4) != 0;
  const size_t length = size - 1;
  std::vector<uint8_t> buffer(data + 1, data + size);
  buffer.resize(length + SrtpSession::kMaxTrailer);

  SrtpSession in = session(profile, SrtpDirection::inbound);
  auto unprotect = [&](std::vector<uint8_t>& b, size_t n) {
    return rtcp ? in.unprotect_rtcp(b, n) : in.unprotect_rtp(b, n);
  };
  if (!round_trip) {
    std::vector<uint8_t> copy = buffer;
    (void)unprotect(buffer, length);
    (void)unprotect(copy, length);
    return 0;
  }
  SrtpSession out = session(profile, SrtpDirection::outbound);
  auto sealed = rtcp ? out.protect_rtcp(buffer, length) : out.protect_rtp(buffer, length);
  if (!sealed.ok()) return 0;
  if (*sealed > buffer.size()) std::abort();
  std::vector<uint8_t> copy(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*sealed));
  copy.resize(*sealed + SrtpSession::kMaxTrailer);
  auto opened = unprotect(buffer, *sealed);
  if (!opened.ok() || *opened != length || std::memcmp(buffer.data(), data + 1, length) != 0) {
    std::abort();
  }
  auto again = unprotect(copy, *sealed);
  if (again.ok() || !again.error().is(SrtpErrc::replay)) std::abort();
  return 0;
}
