// Pre-shared key identifiers (RFC 9420 section 8.4): PreSharedKeyID names an
// external PSK or the resumption PSK of some group and epoch, plus a fresh
// nonce; PSKLabel is the per-PSK input of the psk_secret chain.
//
//   PreSharedKeyID id{ExternalPSK{psk_id}, nonce};
//   PreSharedKeyID id{ResumptionPSK{ResumptionPSKUsage::application, group_id, epoch}, nonce};
#pragma once

#include <cstdint>
#include <variant>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// case external: opaque psk_id<V>;
struct ExternalPSK {
  static constexpr PSKType kType = PSKType::external;
  Bytes psk_id;
  CV_TLS_FIELDS(psk_id)
  bool operator==(const ExternalPSK&) const = default;
};

// case resumption: ResumptionPSKUsage usage; opaque psk_group_id<V>; uint64 psk_epoch;
struct ResumptionPSK {
  static constexpr PSKType kType = PSKType::resumption;
  ResumptionPSKUsage usage = ResumptionPSKUsage::application;
  Bytes psk_group_id;
  uint64_t psk_epoch = 0;
  CV_TLS_FIELDS(usage, psk_group_id, psk_epoch)
  bool operator==(const ResumptionPSK&) const = default;
};

// struct {
//   PSKType psktype;
//   select (PreSharedKeyID.psktype) {
//     case external:
//       opaque psk_id<V>;
//
//     case resumption:
//       ResumptionPSKUsage usage;
//       opaque psk_group_id<V>;
//       uint64 psk_epoch;
//   };
//   opaque psk_nonce<V>;
// } PreSharedKeyID;
struct PreSharedKeyID {
  std::variant<ExternalPSK, ResumptionPSK> content;
  Bytes psk_nonce;
  CV_TLS_FIELDS(content, psk_nonce)
  bool operator==(const PreSharedKeyID&) const = default;

  PSKType psktype() const { return codec::variant_tag(content); }
};

// struct {
//     PreSharedKeyID id;
//     uint16 index;
//     uint16 count;
// } PSKLabel;
struct PSKLabel {
  PreSharedKeyID id;
  uint16_t index = 0;
  uint16_t count = 0;
  CV_TLS_FIELDS(id, index, count)
  bool operator==(const PSKLabel&) const = default;
};

// Wire encodings (instantiated in psk.cpp).
Bytes encode(const PreSharedKeyID& id);
Bytes encode(const PSKLabel& label);
Result<PreSharedKeyID> decode_pre_shared_key_id(BytesView data);

}  // namespace conclave::mls
