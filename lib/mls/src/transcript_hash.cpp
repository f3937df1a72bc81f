#include "conclave/mls/transcript_hash.h"

#include <utility>

namespace conclave::mls {

Bytes TranscriptHashes::next_confirmed(const CipherSuite& suite, WireFormat wire_format,
                                       const FramedContent& content, BytesView signature) const {
  const Bytes input = encode_confirmed_transcript_hash_input(wire_format, content, signature);
  return suite.hash(concat({interim, input}));
}

Bytes TranscriptHashes::next_confirmed(const CipherSuite& suite,
                                       const AuthenticatedContent& commit) const {
  return next_confirmed(suite, commit.wire_format, commit.content, commit.auth.signature);
}

TranscriptHashes TranscriptHashes::with_tag(const CipherSuite& suite, Bytes confirmed,
                                            BytesView confirmation_tag) {
  const Bytes input = encode_interim_transcript_hash_input(confirmation_tag);
  Bytes interim = suite.hash(concat({confirmed, input}));
  return {std::move(confirmed), std::move(interim)};
}

MAC make_confirmation_tag(const CipherSuite& suite, BytesView confirmation_key,
                          BytesView confirmed_transcript_hash) {
  return suite.mac(confirmation_key, confirmed_transcript_hash);
}

Status verify_confirmation_tag(const CipherSuite& suite, BytesView confirmation_key,
                               BytesView confirmed_transcript_hash, BytesView confirmation_tag) {
  const MAC want = make_confirmation_tag(suite, confirmation_key, confirmed_transcript_hash);
  if (!constant_time_equal(want, confirmation_tag)) {
    return Error(Errc::mac_mismatch, "MLS-V-TH-001");
  }
  return {};
}

}  // namespace conclave::mls
