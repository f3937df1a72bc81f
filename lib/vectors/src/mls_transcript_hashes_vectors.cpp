// check_mls_transcript_hashes: the mlswg transcript-hashes.json vectors
// (RFC 9420 sections 6.1 and 8.2). Each case gives a Commit as an
// AuthenticatedContent, the confirmation_key and interim_transcript_hash_before:
//   1. Hash(interim_before || ConfirmedTranscriptHashInput) ==
//      confirmed_transcript_hash_after;
//   2. the commit's confirmation_tag == MAC(confirmation_key,
//      confirmed_transcript_hash_after);
//   3. Hash(confirmed_after || InterimTranscriptHashInput{tag}) ==
//      interim_transcript_hash_after.
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/mls/framed_content.h"
#include "conclave/mls/transcript_hash.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

void check_case(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  auto key = need_hex(v, "confirmation_key", "confirmation_key", c);
  auto content = need_hex(v, "authenticated_content", "authenticated_content", c);
  auto interim_before =
      need_hex(v, "interim_transcript_hash_before", "interim_transcript_hash_before", c);
  auto confirmed_after =
      need_hex(v, "confirmed_transcript_hash_after", "confirmed_transcript_hash_after", c);
  auto interim_after =
      need_hex(v, "interim_transcript_hash_after", "interim_transcript_hash_after", c);
  if (!key || !content || !interim_before || !confirmed_after || !interim_after) return;

  auto ac = mls::decode_authenticated_content(*content);
  if (!ac.ok()) return fail_error(c, "authenticated_content", ac.error());
  if (ac->content.content_type() != mls::ContentType::commit ||
      !ac->auth.confirmation_tag.has_value()) {
    return c.fail("authenticated_content", "not a commit with a confirmation tag");
  }
  const Bytes& tag = *ac->auth.confirmation_tag;

  const mls::TranscriptHashes before{{}, *interim_before};
  const Bytes confirmed = before.next_confirmed(suite, *ac);
  expect_bytes(c, "confirmed_transcript_hash_after", *confirmed_after, confirmed);

  if (auto st = mls::verify_confirmation_tag(suite, *key, *confirmed_after, tag); !st.ok()) {
    c.fail("authenticated_content.confirmation_tag",
           describe_mismatch(mls::make_confirmation_tag(suite, *key, *confirmed_after), tag));
  }

  const auto after = mls::TranscriptHashes::with_tag(suite, *confirmed_after, tag);
  expect_bytes(c, "interim_transcript_hash_after", *interim_after, after.interim);
}

}  // namespace

Report check_mls_transcript_hashes(const json& doc) {
  return check_suite_cases(
      doc, [](const auto& suite, const auto& v, auto& c) { check_case(suite, v, c); });
}

}  // namespace conclave::vectors
