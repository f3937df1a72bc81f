// check_mls_message_protection: the mlswg message-protection.json vectors
// (RFC 9420 section 6). Per case (one per suite), for each payload —
// proposal, commit, application — with a 2-leaf secret tree and the sender
// at leaf 1:
//   1. <payload>_pub (not for application) unprotects (membership tag and
//      signature verified) to the raw payload;
//   2. the payload protected by us as a PublicMessage unprotects again —
//      and for application data, protecting as PublicMessage is refused;
//   3. <payload>_priv unprotects (sender data, secret tree, signature) to
//      the raw payload;
//   4. the payload protected by us as a PrivateMessage (sent from one
//      state, received with a fresh one) unprotects again.
// The commits carry a confirmation tag that cannot be checked from these
// inputs (no confirmation key); our own commits carry an arbitrary tag of
// KDF.Nh bytes.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "conclave/codec/tls.h"
#include "conclave/mls/message_protection.h"
#include "conclave/mls/mls_message.h"
#include "conclave/mls/proposal.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

constexpr mls::LeafIndex kSender{1};
constexpr uint32_t kLeaves = 2;

struct Inputs {
  mls::CipherSuite suite;
  mls::GroupContext context;
  crypto::SignaturePrivateKey signature_priv;
  Bytes signature_pub;
  Bytes encryption_secret;
  Bytes sender_data_secret;
  Bytes membership_key;
};

std::optional<Inputs> read_inputs(const json& v, CaseCheck& c) {
  auto suite = need_suite(v, c);
  auto group_id = need_hex(v, "group_id", "group_id", c);
  auto epoch = need_uint(v, "epoch", "epoch", c);
  auto tree_hash = need_hex(v, "tree_hash", "tree_hash", c);
  auto cth = need_hex(v, "confirmed_transcript_hash", "confirmed_transcript_hash", c);
  auto priv = need_hex(v, "signature_priv", "signature_priv", c);
  auto pub = need_hex(v, "signature_pub", "signature_pub", c);
  auto encryption_secret = need_hex(v, "encryption_secret", "encryption_secret", c);
  auto sender_data_secret = need_hex(v, "sender_data_secret", "sender_data_secret", c);
  auto membership_key = need_hex(v, "membership_key", "membership_key", c);
  if (!suite || !group_id || !epoch || !tree_hash || !cth || !priv || !pub || !encryption_secret ||
      !sender_data_secret || !membership_key) {
    return std::nullopt;
  }
  auto key = suite->import_signature_private_key(*priv);
  if (!key.ok()) {
    fail_error(c, "signature_priv", key.error());
    return std::nullopt;
  }
  if (!equal(key->public_key().bytes(), *pub)) {
    c.fail("signature_pub", describe_mismatch(*pub, key->public_key().bytes()));
    return std::nullopt;
  }
  mls::GroupContext context;
  context.cipher_suite = suite->id();
  context.group_id = std::move(*group_id);
  context.epoch = *epoch;
  context.tree_hash = std::move(*tree_hash);
  context.confirmed_transcript_hash = std::move(*cth);
  return Inputs{*suite,
                std::move(context),
                std::move(key).value(),
                std::move(*pub),
                std::move(*encryption_secret),
                std::move(*sender_data_secret),
                std::move(*membership_key)};
}

// A fresh framing state of the epoch (each message starts from one, as the
// vectors were made with one per message).
Result<mls::MessageProtection> make_state(const Inputs& in) {
  CV_TRY(mls::SecretTree tree,
         mls::SecretTree::create(in.suite, SecretBytes(in.encryption_secret), kLeaves));
  return mls::MessageProtection::create(in.suite, in.context, SecretBytes(in.membership_key),
                                        SecretBytes(in.sender_data_secret), std::move(tree));
}

mls::SenderLookup senders(const Inputs& in) {
  mls::SenderLookup out;
  out.is_member = [](mls::LeafIndex leaf) { return leaf.value < kLeaves; };
  out.signature_key = [&in](const mls::FramedContent& content) -> Result<Bytes> {
    if (content.sender != mls::Sender::member(kSender)) {
      return Error(mls::Errc::unknown_sender, "not the vector's sender");
    }
    return in.signature_pub;
  };
  return out;
}

// The raw payload of a vector as FramedContent content.
std::optional<mls::MessageContent> read_payload(const json& v, const char* name, CaseCheck& c) {
  auto raw = need_hex(v, name, name, c);
  if (!raw) return std::nullopt;
  const std::string field = name;
  if (field == "application") return mls::MessageContent{mls::ApplicationData{std::move(*raw)}};
  if (field == "proposal") {
    auto proposal = codec::decode<mls::Proposal>(*raw);
    if (!proposal.ok()) {
      fail_error(c, field, proposal.error());
      return std::nullopt;
    }
    return mls::MessageContent{std::move(proposal).value()};
  }
  auto commit = codec::decode<mls::Commit>(*raw);
  if (!commit.ok()) {
    fail_error(c, field, commit.error());
    return std::nullopt;
  }
  return mls::MessageContent{std::move(commit).value()};
}

// Checks the unprotected content against the payload and the vector's sender.
void expect_content(CaseCheck& c, const std::string& field, const Inputs& in,
                    const mls::AuthenticatedContent& got, const mls::MessageContent& want,
                    mls::WireFormat wire_format) {
  if (got.content.content != want) {
    c.fail(field, "content differs from the raw payload");
    return;
  }
  if (got.wire_format != wire_format) c.fail(field, "wrong wire format");
  if (got.content.sender != mls::Sender::member(kSender)) c.fail(field, "wrong sender");
  if (!equal(got.content.group_id, in.context.group_id) || got.content.epoch != in.context.epoch) {
    c.fail(field, "wrong group or epoch");
  }
}

void check_public_vector(CaseCheck& c, const json& v, const Inputs& in, const std::string& field,
                         const mls::MessageContent& payload) {
  auto msg = need_message(v, field.c_str(), field, c);
  if (!msg) return;
  const mls::PublicMessage* pub = msg->public_message();
  if (pub == nullptr) return c.fail(field, "not a PublicMessage");
  auto state = make_state(in);
  if (!state.ok()) return fail_error(c, field, state.error());
  auto got = state->unprotect_public(*pub, senders(in));
  if (!got.ok()) return fail_error(c, field, got.error());
  expect_content(c, field, in, *got, payload, mls::WireFormat::mls_public_message);
}

void check_private_vector(CaseCheck& c, const json& v, const Inputs& in, const std::string& field,
                          const mls::MessageContent& payload) {
  auto msg = need_message(v, field.c_str(), field, c);
  if (!msg) return;
  const mls::PrivateMessage* priv = msg->private_message();
  if (priv == nullptr) return c.fail(field, "not a PrivateMessage");
  auto state = make_state(in);
  if (!state.ok()) return fail_error(c, field, state.error());
  auto got = state->unprotect_private(*priv, senders(in));
  if (!got.ok()) return fail_error(c, field, got.error());
  expect_content(c, field, in, *got, payload, mls::WireFormat::mls_private_message);
}

mls::FramedContent framed(const Inputs& in, const mls::MessageContent& payload) {
  mls::FramedContent content;
  content.group_id = in.context.group_id;
  content.epoch = in.context.epoch;
  content.sender = mls::Sender::member(kSender);
  content.content = payload;
  return content;
}

// Signs the payload for `wire_format`, with a stand-in confirmation tag
// for a commit.
Result<mls::AuthenticatedContent> sign(const mls::MessageProtection& state, const Inputs& in,
                                       mls::WireFormat wire_format,
                                       const mls::MessageContent& payload) {
  CV_TRY(mls::AuthenticatedContent content,
         state.sign(wire_format, framed(in, payload), in.signature_priv));
  if (content.content.content_type() == mls::ContentType::commit) {
    content.auth.confirmation_tag = Bytes(in.suite.hash_size(), 0x5a);
  }
  return content;
}

void check_public_round_trip(CaseCheck& c, const Inputs& in, const std::string& field,
                             const mls::MessageContent& payload) {
  const std::string name = field + " (protected by us)";
  auto sender = make_state(in);
  auto receiver = make_state(in);
  if (!sender.ok() || !receiver.ok()) return c.fail(name, "cannot set up the epoch");
  auto content = sign(*sender, in, mls::WireFormat::mls_public_message, payload);
  if (!content.ok()) return fail_error(c, name, content.error());
  auto msg = sender->protect_public(*content);
  const bool application = std::holds_alternative<mls::ApplicationData>(payload);
  if (application) {
    if (msg.ok() || !msg.error().is(mls::Errc::invalid_wire_format)) {
      c.fail(name, "application data as PublicMessage was not refused");
    }
    return;
  }
  if (!msg.ok()) return fail_error(c, name, msg.error());
  // Through the wire and back.
  auto decoded =
      mls::decode_mls_message(mls::encode(mls::MLSMessage{mls::ProtocolVersion::mls10, *msg}));
  if (!decoded.ok() || decoded->public_message() == nullptr) {
    return c.fail(name, "does not decode as an MLSMessage");
  }
  auto got = receiver->unprotect_public(*decoded->public_message(), senders(in));
  if (!got.ok()) return fail_error(c, name, got.error());
  expect_content(c, name, in, *got, payload, mls::WireFormat::mls_public_message);
  if (got->auth != content->auth) c.fail(name, "auth differs");
}

void check_private_round_trip(CaseCheck& c, const Inputs& in, const std::string& field,
                              const mls::MessageContent& payload) {
  const std::string name = field + " (protected by us)";
  auto sender = make_state(in);
  auto receiver = make_state(in);
  if (!sender.ok() || !receiver.ok()) return c.fail(name, "cannot set up the epoch");
  auto content = sign(*sender, in, mls::WireFormat::mls_private_message, payload);
  if (!content.ok()) return fail_error(c, name, content.error());
  auto msg = sender->protect_private(*content, 7);
  if (!msg.ok()) return fail_error(c, name, msg.error());
  auto decoded =
      mls::decode_mls_message(mls::encode(mls::MLSMessage{mls::ProtocolVersion::mls10, *msg}));
  if (!decoded.ok() || decoded->private_message() == nullptr) {
    return c.fail(name, "does not decode as an MLSMessage");
  }
  auto got = receiver->unprotect_private(*decoded->private_message(), senders(in));
  if (!got.ok()) return fail_error(c, name, got.error());
  expect_content(c, name, in, *got, payload, mls::WireFormat::mls_private_message);
  if (got->auth != content->auth) c.fail(name, "auth differs");
}

void check_payload(CaseCheck& c, const json& v, const Inputs& in, const char* name) {
  auto payload = read_payload(v, name, c);
  if (!payload) return;
  const std::string field = name;
  if (field != "application") check_public_vector(c, v, in, field + "_pub", *payload);
  check_public_round_trip(c, in, field + "_pub", *payload);
  check_private_vector(c, v, in, field + "_priv", *payload);
  check_private_round_trip(c, in, field + "_priv", *payload);
}

}  // namespace

Report check_mls_message_protection(const json& doc) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not a JSON array");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    auto in = read_inputs(doc[i], c);
    if (!in) continue;
    for (const char* name : {"proposal", "commit", "application"}) {
      check_payload(c, doc[i], *in, name);
    }
  }
  return report;
}

}  // namespace conclave::vectors
