// Test-only hostile server behaviour (docs/protocol.md, "Test-only hostile
// behaviour"). `conclave server --test-hostile MODE` (refused unless the
// environment has CONCLAVE_TEST_HOSTILE=1) makes the delivery service
// misbehave so that adversarial tests can show members do not depend on
// its honesty. The honest path never calls these; SignalingService asks
// Config::hostile at a few hook points:
//
//   server_add          a KeyPackage upload -> the server proposes an Add of
//                       its own KeyPackage under its external-sender key
//   forge_commit        a KeyPackage upload -> the server broadcasts an Add
//                       commit it signed itself, claiming member leaf 0
//   tamper_commit       sequenced commits reach every member but the
//                       committer with one byte flipped
//   tamper_application  application messages are forwarded with one byte
//                       flipped
//   replay              application messages are forwarded twice
//   fork                the first valid commit of an epoch is held until
//                       another member commits in the same epoch (at most
//                       kForkHoldMs); then each goes to its committer and
//                       half of the members (first: even leaves)
//
// The message builders here are pure (no state), so they are unit-tested
// against real mls::Group members.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/key_package.h"
#include "conclave/mls/public_group.h"

namespace conclave::server {

enum class HostileMode {
  server_add,
  forge_commit,
  tamper_commit,
  tamper_application,
  replay,
  fork,
};

using HostileModes = std::set<HostileMode>;

std::optional<HostileMode> parse_hostile_mode(std::string_view name);
std::string_view hostile_mode_name(HostileMode mode);

namespace hostile {

// How long the fork mode holds a commit waiting for a rival one.
inline constexpr int64_t kForkHoldMs = 5000;

// A copy of `message` with its last byte flipped: the end of a MAC, a
// signature or an AEAD tag, so the message still decodes but fails
// authentication.
Bytes tamper(BytesView message);

// An MLSMessage (PublicMessage) with the server's Add proposal of a
// KeyPackage of its own (Basic credential "conclave-server", the meeting
// extension in its capabilities), signed as external sender
// `sender_index`.
Result<Bytes> server_add_proposal(const mls::PublicGroup& group,
                                  const crypto::SignaturePrivateKey& server_key,
                                  uint32_t sender_index);

// An MLSMessage (PublicMessage) with a commit adding `key_package`,
// claiming to come from member `claimed_leaf`, signed with the server's
// key, with random membership and confirmation tags.
Result<Bytes> forge_add_commit(const mls::PublicGroup& group, const mls::KeyPackage& key_package,
                               mls::LeafIndex claimed_leaf,
                               const crypto::SignaturePrivateKey& server_key);

}  // namespace hostile
}  // namespace conclave::server
