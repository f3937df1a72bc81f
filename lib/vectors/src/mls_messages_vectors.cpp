// check_mls_messages: the mlswg messages.json vectors, one instance of every
// RFC 9420 wire struct per case. Each field must decode as its type (all
// bytes consumed; for MLSMessage fields also the right wire format and, for
// the public messages, the right content type) and re-encode to exactly the
// same bytes. No crypto is checked: signatures and MACs in this file are
// arbitrary. A missing field or bad hex is a failure of that case and
// field, never a crash.
//
// Fields and types:
//   mls_welcome, mls_group_info, mls_key_package      MLSMessage (welcome,
//                                                     group_info, key_package)
//   public_message_{application,proposal,commit}      MLSMessage (public)
//   private_message                                   MLSMessage (private)
//   ratchet_tree                                      optional<Node> <V>
//   group_secrets                                     GroupSecrets
//   {add,update,remove,pre_shared_key,re_init,
//    external_init,group_context_extensions}_proposal the proposal bodies
//   commit                                            Commit
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/codec/tls.h"
#include "conclave/mls/commit.h"
#include "conclave/mls/mls_message.h"
#include "conclave/mls/proposal.h"
#include "conclave/mls/ratchet_tree_node.h"
#include "conclave/mls/welcome.h"
#include "conclave/vectors/json_util.h"
#include "conclave/vectors/runner.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;

// Decodes the field as T, runs `check_value` (returns an error text or ""),
// re-encodes and compares.
template <class T, class Check>
void check_field(CaseCheck& c, const json& v, const char* name, Check&& check_value) {
  auto bytes = hex_field(v, name);
  if (!bytes.ok()) {
    c.fail(name, "missing or not a hex string");
    return;
  }
  auto decoded = codec::decode<T>(*bytes);
  if (!decoded.ok()) {
    c.fail(name, "decoding failed: " + decoded.error().to_string());
    return;
  }
  const std::string problem = check_value(*decoded);
  if (!problem.empty()) c.fail(name, problem);
  const Bytes again = codec::encode(*decoded);
  if (!equal(again, *bytes)) c.fail(name, "re-encoding: " + describe_mismatch(*bytes, again));
}

template <class T>
void check_field(CaseCheck& c, const json& v, const char* name) {
  check_field<T>(c, v, name, [](const T&) { return std::string(); });
}

// An MLSMessage of the given wire format (and, for PublicMessage, content
// type).
void check_message(CaseCheck& c, const json& v, const char* name, mls::WireFormat want,
                   mls::ContentType want_content = mls::ContentType::reserved) {
  check_field<mls::MLSMessage>(c, v, name, [&](const mls::MLSMessage& m) -> std::string {
    if (m.version != mls::ProtocolVersion::mls10) return "version is not mls10";
    if (m.wire_format() != want) {
      return "wire format " + std::string(mls::to_string(m.wire_format())) + ", expected " +
             std::string(mls::to_string(want));
    }
    if (want_content != mls::ContentType::reserved) {
      const mls::PublicMessage* pub = m.public_message();
      if (pub == nullptr || pub->content.content_type() != want_content) {
        return "content type is not " + std::string(mls::to_string(want_content));
      }
    }
    return {};
  });
}

void check_case(const json& v, CaseCheck& c) {
  using mls::ContentType;
  using mls::WireFormat;
  if (!v.is_object()) {
    c.fail("case", "not an object");
    return;
  }
  check_message(c, v, "mls_welcome", WireFormat::mls_welcome);
  check_message(c, v, "mls_group_info", WireFormat::mls_group_info);
  check_message(c, v, "mls_key_package", WireFormat::mls_key_package);
  check_field<mls::RatchetTreeExtension>(c, v, "ratchet_tree");
  check_field<mls::GroupSecrets>(c, v, "group_secrets");
  check_field<mls::Add>(c, v, "add_proposal");
  check_field<mls::Update>(c, v, "update_proposal");
  check_field<mls::Remove>(c, v, "remove_proposal");
  check_field<mls::PreSharedKey>(c, v, "pre_shared_key_proposal");
  check_field<mls::ReInit>(c, v, "re_init_proposal");
  check_field<mls::ExternalInit>(c, v, "external_init_proposal");
  check_field<mls::GroupContextExtensions>(c, v, "group_context_extensions_proposal");
  check_field<mls::Commit>(c, v, "commit");
  check_message(c, v, "public_message_application", WireFormat::mls_public_message,
                ContentType::application);
  check_message(c, v, "public_message_proposal", WireFormat::mls_public_message,
                ContentType::proposal);
  check_message(c, v, "public_message_commit", WireFormat::mls_public_message, ContentType::commit);
  check_message(c, v, "private_message", WireFormat::mls_private_message);
}

}  // namespace

Report check_mls_messages(const nlohmann::json& doc) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not an array of message cases");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    check_case(doc[i], c);
  }
  return report;
}

}  // namespace conclave::vectors
