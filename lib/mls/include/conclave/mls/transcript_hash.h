// Transcript hashes and the confirmation tag (RFC 9420 sections 6.1 and
// 8.2). Each Commit moves the pair of hashes forward:
//
//   interim[n-1] ─┐
//                 ├─ Hash(interim[n-1] || ConfirmedTranscriptHashInput) = confirmed[n]
//   commit (wire_format, content, signature)            │
//                                                       ├─ MAC(confirmation_key[n], .)
//                                                       │      = confirmation_tag
//                 Hash(confirmed[n] || InterimTranscriptHashInput{tag}) = interim[n]
//
// The confirmation key comes from epoch n's key schedule, whose GroupContext
// already holds confirmed[n]; so a committer or a receiver computes
// next_confirmed() first, runs the key schedule, then makes or checks the
// tag, then builds the epoch's TranscriptHashes with with_tag(). A joiner
// takes confirmed[n] and the tag from the GroupInfo.
//
//   Bytes confirmed = prev.next_confirmed(suite, commit);      // commit: AuthenticatedContent
//   CV_TRY(auto ks, KeySchedule::from_init_secret(..., context_with(confirmed)));
//   CV_TRY_STATUS(verify_confirmation_tag(suite, ks.confirmation_key().view(),
//                                         confirmed, *commit.auth.confirmation_tag));
//   TranscriptHashes next = TranscriptHashes::with_tag(suite, confirmed, tag);
#pragma once

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

struct TranscriptHashes {
  Bytes confirmed;  // confirmed_transcript_hash_[n]; empty for epoch 0
  Bytes interim;    // interim_transcript_hash_[n]; empty for epoch 0

  // confirmed_transcript_hash_[n+1] =
  //   Hash(interim || ConfirmedTranscriptHashInput{wire_format, content, signature})
  // for the Commit that ends this epoch.
  Bytes next_confirmed(const CipherSuite& suite, WireFormat wire_format,
                       const FramedContent& content, BytesView signature) const;
  Bytes next_confirmed(const CipherSuite& suite, const AuthenticatedContent& commit) const;

  // The hashes of an epoch from its confirmed hash and confirmation tag:
  // interim = Hash(confirmed || InterimTranscriptHashInput{tag}).
  static TranscriptHashes with_tag(const CipherSuite& suite, Bytes confirmed,
                                   BytesView confirmation_tag);

  bool operator==(const TranscriptHashes&) const = default;
};

// MAC(confirmation_key, confirmed_transcript_hash).
MAC make_confirmation_tag(const CipherSuite& suite, BytesView confirmation_key,
                          BytesView confirmed_transcript_hash);
// Compares in constant time; Errc::mac_mismatch with detail MLS-V-TH-001.
Status verify_confirmation_tag(const CipherSuite& suite, BytesView confirmation_key,
                               BytesView confirmed_transcript_hash, BytesView confirmation_tag);

}  // namespace conclave::mls
