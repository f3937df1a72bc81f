// libFuzzer target for the meeting policy: the input is the payload of the
// policy extension of a group context. Decoding must never crash; a policy
// that decodes re-encodes to exactly the input, and the commit check runs
// over it (an Add by the first host, which must pass unless locked).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/codec/tls.h"
#include "conclave/meeting/meeting_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace conclave;
  const BytesView input(data, size);
  mls::GroupContext context;
  context.extensions.push_back(
      mls::Extension{meeting::MeetingPolicy::kExtensionType, Bytes(input.begin(), input.end())});
  auto policy = meeting::policy_of(context);
  if (!policy.ok()) return 0;
  if (!equal(codec::encode(*policy), input)) std::abort();
  std::vector<mls::ResolvedProposal> adds{
      {mls::Proposal{mls::Add{}}, mls::Sender::member(mls::LeafIndex{0}), {}}};
  Status status =
      meeting::check_commit(context, mls::Sender::member(mls::LeafIndex{0}), policy->hosts[0], adds);
  if (status.ok() != (policy->locked == 0)) std::abort();
  return 0;
}
