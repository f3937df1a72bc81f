#include "conclave/server/hostile.h"

#include <array>
#include <utility>

#include "conclave/crypto/random.h"
#include "conclave/meeting/meeting_policy.h"
#include "conclave/mls/group.h"
#include "conclave/mls/mls_message.h"

namespace conclave::server {
namespace {

constexpr std::array<std::pair<HostileMode, std::string_view>, 6> kNames = {{
    {HostileMode::server_add, "server_add"},
    {HostileMode::forge_commit, "forge_commit"},
    {HostileMode::tamper_commit, "tamper_commit"},
    {HostileMode::tamper_application, "tamper_application"},
    {HostileMode::replay, "replay"},
    {HostileMode::fork, "fork"},
}};

}  // namespace

std::optional<HostileMode> parse_hostile_mode(std::string_view name) {
  for (const auto& [mode, text] : kNames) {
    if (text == name) return mode;
  }
  return std::nullopt;
}

std::string_view hostile_mode_name(HostileMode mode) {
  for (const auto& [m, text] : kNames) {
    if (m == mode) return text;
  }
  return "unknown";
}

namespace hostile {

Bytes tamper(BytesView message) {
  Bytes out(message.begin(), message.end());
  if (!out.empty()) out.back() ^= 0x01;
  return out;
}

Result<Bytes> server_add_proposal(const mls::PublicGroup& group,
                                  const crypto::SignaturePrivateKey& server_key,
                                  uint32_t sender_index) {
  const mls::CipherSuite& suite = group.suite();
  mls::KeyPackageOptions options;
  options.capabilities.extensions.push_back(meeting::MeetingPolicy::kExtensionType);
  CV_TRY(mls::KeyPackageBundle own,
         mls::make_key_package(suite, mls::Credential::basic(to_bytes("conclave-server")),
                               server_key, options));
  const mls::GroupContext& context = group.context();
  mls::FramedContent content{context.group_id,
                             context.epoch,
                             mls::Sender::external(sender_index),
                             {},
                             mls::Proposal{mls::Add{std::move(own.key_package)}}};
  CV_TRY(Bytes signature,
         suite.sign_with_label(server_key, "FramedContentTBS",
                               mls::encode_framed_content_tbs(mls::WireFormat::mls_public_message,
                                                              content, nullptr)));
  mls::PublicMessage message{
      std::move(content), {std::move(signature), std::nullopt}, std::nullopt};
  return mls::encode(mls::MLSMessage{mls::ProtocolVersion::mls10, std::move(message)});
}

Result<Bytes> forge_add_commit(const mls::PublicGroup& group, const mls::KeyPackage& key_package,
                               mls::LeafIndex claimed_leaf,
                               const crypto::SignaturePrivateKey& server_key) {
  const mls::CipherSuite& suite = group.suite();
  const mls::GroupContext& context = group.context();
  mls::Commit commit;
  commit.proposals.push_back(mls::ProposalOrRef{mls::Proposal{mls::Add{key_package}}});
  mls::FramedContent content{
      context.group_id, context.epoch, mls::Sender::member(claimed_leaf), {}, std::move(commit)};
  // Members sign FramedContentTBS with the GroupContext.
  CV_TRY(Bytes signature,
         suite.sign_with_label(server_key, "FramedContentTBS",
                               mls::encode_framed_content_tbs(mls::WireFormat::mls_public_message,
                                                              content, &context)));
  mls::PublicMessage message{std::move(content),
                             {std::move(signature), crypto::random_bytes(suite.hash_size())},
                             crypto::random_bytes(suite.hash_size())};
  return mls::encode(mls::MLSMessage{mls::ProtocolVersion::mls10, std::move(message)});
}

}  // namespace hostile
}  // namespace conclave::server
