// GroupContext (RFC 9420 section 8.1): the summary of a group's state that
// every member agrees on in an epoch. It enters the key schedule, the
// signatures of members (FramedContentTBS) and GroupInfo.
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     ProtocolVersion version = mls10;
//     CipherSuite cipher_suite;
//     opaque group_id<V>;
//     uint64 epoch;
//     opaque tree_hash<V>;
//     opaque confirmed_transcript_hash<V>;
//     Extension extensions<V>;
// } GroupContext;
struct GroupContext {
  ProtocolVersion version = ProtocolVersion::mls10;
  CipherSuiteId cipher_suite = CipherSuiteId::reserved;
  Bytes group_id;
  uint64_t epoch = 0;
  Bytes tree_hash;
  Bytes confirmed_transcript_hash;
  std::vector<Extension> extensions;
  CV_TLS_FIELDS(version, cipher_suite, group_id, epoch, tree_hash, confirmed_transcript_hash,
                extensions)
  bool operator==(const GroupContext&) const = default;
};

// The wire encoding of a GroupContext (instantiated in group_context.cpp).
Bytes encode(const GroupContext& context);
Result<GroupContext> decode_group_context(BytesView data);

}  // namespace conclave::mls
