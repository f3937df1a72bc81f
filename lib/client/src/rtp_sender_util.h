// What VideoSender and AudioSender share when writing RTP headers: the
// checks of their extension IDs, the extensions every packet carries (MID,
// abs-send-time, transport-wide sequence number), and random initial
// values. Internal to lib/client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/client/media_errc.h"
#include "conclave/client/rtp_extension_ids.h"
#include "conclave/client/transport_sequence_counter.h"
#include "conclave/crypto/random.h"
#include "conclave/rtp/abs_send_time.h"
#include "conclave/rtp/mid.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/rtp/transport_sequence_number.h"

namespace conclave::client::detail {

// The MID value to send (empty when the MID is not sent).
inline Result<Bytes> checked_mid(const RtpExtensionIds& ids) {
  if (ids.mid == 0) return Bytes{};
  auto mid = rtp::Mid::serialize(ids.mid_value);
  if (!mid.ok()) return Error(MediaErrc::invalid_config, "mid_value");
  return std::move(mid).value();
}

inline Status check_transport_cc(const RtpExtensionIds& ids, const TransportSequenceCounter* c) {
  if (ids.transport_cc != 0 && c == nullptr) {
    return Error(MediaErrc::invalid_config, "transport_cc without a counter");
  }
  return {};
}

// The most a header with these extensions can take: the fixed header, the
// extension block header, and each element in the two-byte form (the
// larger one) with its value, padded to 32 bits. `extra` lists the values
// of the other extensions the sender adds.
inline size_t header_reserve(const RtpExtensionIds& ids, size_t mid_size,
                             std::initializer_list<size_t> extra) {
  size_t block = 0;
  if (ids.mid != 0) block += 2 + mid_size;
  if (ids.abs_send_time != 0) block += 2 + rtp::AbsSendTime::kSize;
  if (ids.transport_cc != 0) block += 2 + rtp::TransportSequenceNumber::kSize;
  for (size_t e : extra) block += 2 + e;
  if (block == 0) return rtp::RtpPacket::kFixedHeaderSize;
  return rtp::RtpPacket::kFixedHeaderSize + 4 + (block + 3) / 4 * 4;
}

inline Bytes abs_send_time(const Clock& clock) {
  const auto us = clock.now().time_since_epoch().count();
  return rtp::AbsSendTime::serialize(
      rtp::AbsSendTime::from_microseconds(static_cast<uint64_t>(us < 0 ? 0 : us)));
}

// MID, abs-send-time and the transport-wide sequence number, for the IDs set.
inline void add_common_extensions(rtp::RtpPacketBuilder& b, const RtpExtensionIds& ids,
                                  BytesView mid, const Clock& clock,
                                  TransportSequenceCounter* transport_sequence) {
  if (ids.mid != 0) b.add_extension(ids.mid, mid);
  if (ids.abs_send_time != 0) b.add_extension(ids.abs_send_time, abs_send_time(clock));
  if (ids.transport_cc != 0 && transport_sequence != nullptr) {
    b.add_extension(ids.transport_cc,
                    rtp::TransportSequenceNumber::serialize(transport_sequence->next()));
  }
}

}  // namespace conclave::client::detail
