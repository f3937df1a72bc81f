#include "conclave/client/meeting_session.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <variant>

#include "conclave/base/encoding.h"
#include "conclave/client/errc.h"
#include "conclave/codec/tls.h"
#include "conclave/crypto/random.h"
#include "conclave/meeting/meeting_policy.h"
#include "conclave/meeting/security_code.h"

namespace conclave::client {

namespace {

using std::chrono::milliseconds;

constexpr int kMaxAddAttempts = 3;
constexpr milliseconds kRetryBackoff{1000};
constexpr milliseconds kLeaveTimeout{3000};

// ------------------------------------------------------------ JSON access
// Received JSON is read only through these: a missing field or one of the
// wrong type is nullopt, never an exception.

const Json* field(const Json& m, const char* key) {
  if (!m.is_object()) return nullptr;
  auto it = m.find(key);
  return it == m.end() ? nullptr : &*it;
}

std::optional<std::string> string_field(const Json& m, const char* key) {
  const Json* f = field(m, key);
  if (f == nullptr || !f->is_string()) return std::nullopt;
  return f->get<std::string>();
}

std::optional<uint64_t> uint_field(const Json& m, const char* key) {
  const Json* f = field(m, key);
  if (f == nullptr || !f->is_number_unsigned()) return std::nullopt;
  return f->get<uint64_t>();
}

bool bool_field(const Json& m, const char* key) {
  const Json* f = field(m, key);
  return f != nullptr && f->is_boolean() && f->get<bool>();
}

// The id a reply names (in_reply_to), as a string.
std::string reply_id(const Json& m) {
  const Json* f = field(m, "in_reply_to");
  if (f == nullptr) return {};
  if (f->is_string()) return f->get<std::string>();
  if (f->is_number_unsigned()) return std::to_string(f->get<uint64_t>());
  return {};
}

Result<Bytes> bytes_field(const Json& m, const char* key) {
  auto text = string_field(m, key);
  if (!text) return Error(Errc::invalid_message, "missing MLS payload field");
  auto bytes = from_base64url(*text);
  if (!bytes.ok()) return Error(Errc::invalid_message, "payload is not base64url");
  return std::move(bytes).value();
}

Result<mls::MLSMessage> mls_field(const Json& m, const char* key) {
  CV_TRY(Bytes bytes, bytes_field(m, key));
  return mls::decode_mls_message(bytes);
}

std::string identity_of(const mls::LeafNode& leaf) {
  if (const auto* basic = std::get_if<mls::BasicCredential>(&leaf.credential.content)) {
    return std::string(basic->identity.begin(), basic->identity.end());
  }
  return "(x509)";
}

std::string to_b64(const mls::MLSMessage& message) { return to_base64url(mls::encode(message)); }

std::optional<uint64_t> framed_epoch(const mls::MLSMessage& message) {
  if (const auto* pub = message.public_message()) return pub->content.epoch;
  if (const auto* priv = message.private_message()) return priv->epoch;
  return std::nullopt;
}

milliseconds random_commit_delay() {
  Bytes r = crypto::random_bytes(2);
  const auto v = static_cast<unsigned>((r[0] << 8) | r[1]);
  return milliseconds(200 + static_cast<int64_t>(v % 801U));
}

struct AddRequest {
  std::string participant_id;
  std::string display_name;
  bool host = false;
  mls::KeyPackage key_package;
  int attempts = 0;
  TimePoint not_before{};
};

struct PendingCommit {
  std::string request_id;
  Bytes commit;  // the encoded MLSMessage, compared with the broadcast
  mls::Group next;
  TimePoint deadline;
  std::vector<Bytes> adds;  // signature keys of the joiners it adds
};

}  // namespace

std::string_view to_string(EndReason reason) {
  switch (reason) {
    case EndReason::left: return "left";
    case EndReason::removed: return "removed";
    case EndReason::denied: return "denied";
    case EndReason::failed: return "failed";
  }
  return "unknown";
}

struct MeetingSession::State {
  SessionConfig config;
  mls::CipherSuite suite;
  mls::KeyPackageBundle bundle;
  Bytes own_key;  // our signature public key (wire form)

  std::optional<TimePoint> started;
  uint64_t next_id = 1;
  std::vector<Json> outgoing;
  std::vector<Json> events;

  std::string hello_id;
  std::string key_package_id;
  std::string leave_id;
  std::optional<TimePoint> leave_deadline;
  std::string meeting_id;
  std::optional<std::string> resume_token;
  std::optional<mls::ExternalSender> server;
  bool key_package_sent = false;
  bool server_locked = false;

  std::optional<mls::Group> group;
  std::optional<mls::Group> pending_group;  // created, group_info not yet acknowledged
  std::string group_info_id;
  std::optional<PendingCommit> pending;
  std::vector<AddRequest> add_requests;
  std::optional<TimePoint> proposals_due;
  std::optional<bool> desired_locked;
  std::optional<uint64_t> catch_up_from;  // a catch_up we asked for at this epoch
  TimePoint last_now{};                   // the latest time we were given
  std::optional<TimePoint> retry_after;   // after a lost race, until the winner arrives

  State(SessionConfig c, mls::CipherSuite s, mls::KeyPackageBundle b)
      : config(std::move(c)), suite(std::move(s)), bundle(std::move(b)) {
    own_key = bundle.key_package.leaf_node.signature_key;
  }
};

Result<std::unique_ptr<MeetingSession>> MeetingSession::create(SessionConfig config) {
  CV_TRY(mls::CipherSuite suite,
         mls::CipherSuite::create(
             mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519));
  CV_TRY(crypto::SignaturePrivateKey signer, suite.generate_signature_key());
  mls::KeyPackageOptions options;
  options.capabilities.extensions.push_back(meeting::MeetingPolicy::kExtensionType);
  CV_TRY(mls::KeyPackageBundle bundle,
         mls::make_key_package(suite, mls::Credential::basic(to_bytes(config.display_name)),
                               std::move(signer), options));
  auto state = std::make_unique<State>(std::move(config), std::move(suite), std::move(bundle));
  return std::unique_ptr<MeetingSession>(new MeetingSession(std::move(state)));
}

MeetingSession::MeetingSession(std::unique_ptr<State> state) : s_(std::move(state)) {}
MeetingSession::~MeetingSession() = default;

// ------------------------------------------------------------ outputs

std::string MeetingSession::send(std::string type, Json fields) {
  std::string id = "c" + std::to_string(s_->next_id++);
  Json m = fields.is_object() ? std::move(fields) : Json::object();
  m["v"] = 1;
  m["type"] = std::move(type);
  m["id"] = id;
  s_->outgoing.push_back(std::move(m));
  return id;
}

void MeetingSession::emit(std::string event, Json fields, TimePoint now) {
  Json e = fields.is_object() ? std::move(fields) : Json::object();
  e["event"] = std::move(event);
  const TimePoint start = s_->started.value_or(now);
  const auto ms = std::chrono::duration_cast<milliseconds>(now - start).count();
  e["time"] = static_cast<double>(ms) / 1000.0;
  s_->events.push_back(std::move(e));
}

void MeetingSession::reject(std::string_view what, const Error& error, TimePoint now) {
  Json fields{{"what", std::string(what)}, {"reason", error.to_string()}};
  if (!error.detail().empty()) fields["rule"] = error.detail();
  emit("rejected", std::move(fields), now);
}

void MeetingSession::reject(std::string_view what, std::string_view reason, TimePoint now) {
  emit("rejected", {{"what", std::string(what)}, {"reason", std::string(reason)}}, now);
}

void MeetingSession::end(EndReason reason, TimePoint now, std::string_view detail) {
  if (phase_ == Phase::ended) return;
  phase_ = Phase::ended;
  end_reason_ = reason;
  Json fields{{"reason", to_string(reason)}};
  if (!detail.empty()) fields["detail"] = std::string(detail);
  emit("left", std::move(fields), now);
  s_->pending.reset();
  s_->pending_group.reset();
  s_->proposals_due.reset();
  s_->leave_deadline.reset();
}

std::vector<Json> MeetingSession::take_outgoing() { return std::exchange(s_->outgoing, {}); }
std::vector<Json> MeetingSession::take_events() { return std::exchange(s_->events, {}); }

// --------------------------------------------------------------- state

const mls::Group* MeetingSession::group() const {
  return s_->group ? &*s_->group : nullptr;
}

std::optional<uint64_t> MeetingSession::epoch() const {
  if (!s_->group) return std::nullopt;
  return s_->group->epoch();
}

std::string MeetingSession::security_code() const {
  if (!s_->group) return {};
  return meeting::security_code(s_->group->epoch_authenticator().view());
}

std::vector<RosterEntry> MeetingSession::roster() const {
  std::vector<RosterEntry> out;
  if (!s_->group) return out;
  const mls::Group& g = *s_->group;
  auto policy = meeting::policy_of(g.context());
  for (uint32_t i = 0; i < g.tree().leaf_count(); ++i) {
    const mls::LeafNode* leaf = g.tree().leaf(mls::LeafIndex{i});
    if (leaf == nullptr) continue;
    RosterEntry entry;
    entry.leaf = mls::LeafIndex{i};
    entry.name = identity_of(*leaf);
    entry.host = policy.ok() && policy->is_host(leaf->signature_key);
    entry.self = g.own_leaf() == mls::LeafIndex{i};
    out.push_back(std::move(entry));
  }
  return out;
}

bool MeetingSession::has_pending_commit() const { return s_->pending.has_value(); }

const mls::KeyPackageBundle& MeetingSession::key_package() const { return s_->bundle; }

// ---------------------------------------------------------- connection

void MeetingSession::connected(TimePoint now) {
  if (!s_->started) s_->started = now;
  if (phase_ == Phase::ended) return;
  Json hello{{"meeting_id", s_->config.meeting_id}, {"display_name", s_->config.display_name}};
  if (s_->config.passcode) hello["passcode"] = *s_->config.passcode;
  if (s_->config.host_key) hello["host_key"] = *s_->config.host_key;
  if (s_->resume_token) hello["resume_token"] = *s_->resume_token;
  s_->hello_id = send("hello", std::move(hello));
  // Membership survives a resume; everything else waits for `joined`.
  if (phase_ != Phase::member) phase_ = Phase::connecting;
}

bool MeetingSession::disconnected(TimePoint now) {
  if (phase_ == Phase::ended) return false;
  if (!s_->leave_id.empty()) {
    end(EndReason::left, now);
    return false;
  }
  // Without a resume token the next hello makes a new participant, which
  // uploads its KeyPackage again.
  if (!s_->resume_token) s_->key_package_sent = false;
  s_->outgoing.clear();
  return true;
}

void MeetingSession::closed_by_server(TimePoint now) {
  if (phase_ == Phase::ended) return;
  if (!s_->leave_id.empty()) end(EndReason::left, now);
}

// -------------------------------------------------------------- inputs

void MeetingSession::receive_text(std::string_view text, TimePoint now) {
  Json m = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded() || !m.is_object()) {
    if (!s_->started) s_->started = now;
    emit("error", {{"code", "malformed"}, {"message", "the server sent a message that is not a JSON object"}},
         now);
    return;
  }
  receive(m, now);
}

void MeetingSession::receive(const Json& m, TimePoint now) {
  if (!s_->started) s_->started = now;
  s_->last_now = std::max(s_->last_now, now);
  if (phase_ == Phase::ended) return;
  auto type = string_field(m, "type");
  if (!type) {
    emit("error", {{"code", "malformed"}, {"message", "a server message without a type"}}, now);
    return;
  }
  try {
    const std::string& t = *type;
    if (t == "joined") on_joined(m, now);
    else if (t == "lobby") on_lobby(m, now);
    else if (t == "ack") on_ack(m, now);
    else if (t == "error") on_error(m, now);
    else if (t == "add_request") on_add_request(m, now);
    else if (t == "welcome") on_welcome(m, now);
    else if (t == "commit") on_commit(m, now);
    else if (t == "proposal") on_proposal(m, now);
    else if (t == "application") on_application(m, now);
    else if (t == "participant_waiting") on_participant_waiting(m, now);
    else if (t == "meeting_updated") on_meeting_updated(m, now);
    else if (t == "denied") end(EndReason::denied, now);
    else if (t == "removed") end(EndReason::removed, now, string_field(m, "reason").value_or(""));
    // participant_joined/left, lobby_left, pong: nothing to do; unknown
    // types are ignored (forward compatibility).
  } catch (const Json::exception& e) {
    // The accessors above do not throw; this is the last line of defence
    // against a JSON corner they missed.
    emit("error", {{"code", "malformed"}, {"message", e.what()}}, now);
  }
  maybe_commit(now);
}

void MeetingSession::on_joined(const Json& m, TimePoint now) {
  // Only as the answer to hello, or after an admit from the lobby.
  if (phase_ != Phase::connecting && phase_ != Phase::lobby &&
      !(phase_ == Phase::member && reply_id(m) == s_->hello_id)) {
    emit("error", {{"code", "out_of_order"}, {"message", "joined while already joined"}}, now);
    return;
  }
  participant_id_ = string_field(m, "participant_id").value_or("");
  role_ = string_field(m, "role").value_or("participant");
  const bool resumed = bool_field(m, "resumed");
  if (const Json* meeting = field(m, "meeting")) {
    s_->meeting_id = string_field(*meeting, "meeting_id").value_or(s_->config.meeting_id);
    s_->server_locked = bool_field(*meeting, "locked");
  }
  if (auto token = string_field(m, "resume_token")) s_->resume_token = *token;
  if (auto sender = bytes_field(m, "external_sender"); sender.ok()) {
    auto decoded = codec::decode<mls::ExternalSender>(*sender);
    if (decoded.ok()) {
      s_->server = std::move(decoded).value();
    } else {
      emit("error", {{"code", "invalid_message"}, {"message", "joined: external_sender does not decode"}},
           now);
    }
  }
  std::optional<uint64_t> server_epoch;
  if (const Json* g = field(m, "group"); g != nullptr && g->is_object()) {
    server_epoch = uint_field(*g, "epoch");
  }

  if (resumed && !s_->group && s_->pending_group && server_epoch) {
    // Our group_info was taken before the drop (nobody else could have
    // created the group we were creating under our own host role).
    mls::Group g = std::move(*s_->pending_group);
    s_->pending_group.reset();
    adopt(std::move(g), now);
  }
  emit("joined",
       {{"participant_id", participant_id_},
        {"role", role_},
        {"meeting_id", s_->meeting_id.empty() ? s_->config.meeting_id : s_->meeting_id},
        {"resumed", resumed}},
       now);
  if (s_->group) {
    phase_ = Phase::member;
    if (resumed) {
      s_->catch_up_from = s_->group->epoch();
      send("catch_up", {{"epoch", s_->group->epoch()}});
    }
  } else {
    phase_ = Phase::joined;
    if (role_ == "host" && !server_epoch && s_->server && !s_->pending_group) {
      create_group(now);
    } else if (!s_->pending_group) {
      upload_key_package();
    }
  }
  if (role_ == "host" && s_->config.admit == AdmitPolicy::all) {
    if (const Json* lobby = field(m, "lobby"); lobby != nullptr && lobby->is_array()) {
      for (const Json& p : *lobby) {
        if (auto id = string_field(p, "participant_id")) send("admit", {{"participant_id", *id}});
      }
    }
  }
}

void MeetingSession::on_lobby(const Json& m, TimePoint now) {
  participant_id_ = string_field(m, "participant_id").value_or("");
  phase_ = Phase::lobby;
  emit("lobby", {{"participant_id", participant_id_}, {"meeting_id", s_->config.meeting_id}}, now);
  upload_key_package();
}

void MeetingSession::upload_key_package() {
  if (s_->key_package_sent || s_->group) return;
  mls::MLSMessage kp{mls::ProtocolVersion::mls10, s_->bundle.key_package};
  s_->key_package_id = send("key_package", {{"key_package", to_b64(kp)}});
  s_->key_package_sent = true;
}

void MeetingSession::create_group(TimePoint now) {
  auto group = mls::Group::create(s_->suite, crypto::random_bytes(16), s_->bundle,
                                  meeting::initial_extensions(s_->own_key, *s_->server));
  if (!group.ok()) {
    emit("error", {{"code", "group_create"}, {"message", group.error().to_string()}}, now);
    upload_key_package();
    return;
  }
  auto info = group->group_info();
  if (!info.ok()) {
    emit("error", {{"code", "group_create"}, {"message", info.error().to_string()}}, now);
    upload_key_package();
    return;
  }
  mls::MLSMessage message{mls::ProtocolVersion::mls10, std::move(info).value()};
  s_->group_info_id = send("group_info", {{"group_info", to_b64(message)}});
  s_->pending_group = std::move(group).value();
}

void MeetingSession::on_ack(const Json& m, TimePoint now) {
  const std::string id = reply_id(m);
  if (id.empty()) return;
  if (id == s_->group_info_id && s_->pending_group) {
    mls::Group g = std::move(*s_->pending_group);
    s_->pending_group.reset();
    adopt(std::move(g), now);
  } else if (id == s_->leave_id) {
    end(EndReason::left, now);
  }
  // A commit's ack needs nothing: the commit itself comes back as `commit`.
}

void MeetingSession::on_error(const Json& m, TimePoint now) {
  const std::string id = reply_id(m);
  const std::string code = string_field(m, "code").value_or("unknown");
  const std::string message = string_field(m, "message").value_or("");
  Json event{{"code", code}, {"message", message}};
  if (!id.empty()) event["in_reply_to"] = id;

  if (!id.empty() && id == s_->hello_id) {
    emit("error", std::move(event), now);
    end(EndReason::failed, now, code);
    return;
  }
  if (!id.empty() && id == s_->group_info_id && s_->pending_group) {
    // Another host was faster (or the server refused our group): be added
    // like everyone else.
    s_->pending_group.reset();
    emit("error", std::move(event), now);
    upload_key_package();
    return;
  }
  if (!id.empty() && id == s_->key_package_id && code == "invalid_field") {
    emit("error", std::move(event), now);
    end(EndReason::failed, now, "key_package refused");
    return;
  }
  if (s_->pending && id == s_->pending->request_id) {
    std::vector<Bytes> adds = std::move(s_->pending->adds);
    s_->pending.reset();
    if (code == "stale_commit") {
      // Lost the race: the winner comes as `commit` (it usually came
      // already), and what still needs doing is redone against its epoch.
      // Should it not come, retry after a pause.
      s_->retry_after = now + kRetryBackoff;
      return;
    }
    emit("error", std::move(event), now);
    for (auto& request : s_->add_requests) {
      if (std::find(adds.begin(), adds.end(), request.key_package.leaf_node.signature_key) !=
          adds.end()) {
        request.attempts++;
        request.not_before = now + kRetryBackoff;
      }
    }
    return;
  }
  if (code == "stale_commit") return;  // about a commit we already dropped
  emit("error", std::move(event), now);
}

void MeetingSession::on_add_request(const Json& m, TimePoint now) {
  if (!s_->group) return;
  auto policy = meeting::policy_of(s_->group->context());
  if (!policy.ok() || !policy->is_host(s_->own_key)) {
    reject("add_request", Error(Errc::not_host), now);
    return;
  }
  const Json* participant = field(m, "participant");
  auto id = participant ? string_field(*participant, "participant_id") : std::nullopt;
  auto name = participant ? string_field(*participant, "display_name") : std::nullopt;
  if (!id || !name) {
    reject("add_request", Error(Errc::invalid_message, "participant"), now);
    return;
  }
  auto message = mls_field(m, "key_package");
  if (!message.ok()) {
    reject("add_request", message.error(), now);
    return;
  }
  const mls::KeyPackage* kp = message->key_package();
  if (kp == nullptr) {
    reject("add_request", Error(Errc::wrong_kind, "key_package"), now);
    return;
  }
  // The roster shows credential names: the joiner must be who the server
  // announced.
  if (identity_of(kp->leaf_node) != *name) {
    reject("add_request", Error(Errc::name_mismatch), now);
    return;
  }
  const Bytes& key = kp->leaf_node.signature_key;
  for (const auto& r : s_->add_requests) {
    if (r.key_package.leaf_node.signature_key == key) return;  // already queued
  }
  if (s_->group->tree().find_leaf_by_signature_key(key)) return;  // already in
  AddRequest request;
  request.participant_id = *id;
  request.display_name = *name;
  request.host = participant != nullptr && string_field(*participant, "role") == "host";
  request.key_package = *kp;
  request.not_before = now;
  s_->add_requests.push_back(std::move(request));
}

void MeetingSession::on_welcome(const Json& m, TimePoint now) {
  if (s_->group) {
    reject("welcome", Error(Errc::already_member), now);
    return;
  }
  auto message = mls_field(m, "welcome");
  if (!message.ok()) {
    reject("welcome", message.error(), now);
    return;
  }
  const mls::Welcome* welcome = message->welcome();
  if (welcome == nullptr) {
    reject("welcome", Error(Errc::wrong_kind, "welcome"), now);
    return;
  }
  auto group = mls::Group::join(*welcome, s_->bundle);
  if (!group.ok()) {
    reject("welcome", group.error(), now);
    return;
  }
  // CV-POLICY-007: a meeting's group carries its policy.
  if (auto policy = meeting::policy_of(group->context()); !policy.ok()) {
    reject("welcome", policy.error(), now);
    return;
  }
  adopt(std::move(group).value(), now);
}

void MeetingSession::on_commit(const Json& m, TimePoint now) {
  if (!s_->group) return;  // not a member yet: the Welcome brings us in
  auto bytes = bytes_field(m, "commit");
  if (!bytes.ok()) {
    reject("commit", bytes.error(), now);
    return;
  }
  if (s_->pending && *bytes == s_->pending->commit) {
    mls::Group next = std::move(s_->pending->next);
    s_->pending.reset();
    adopt(std::move(next), now);
    return;
  }
  auto message = mls::decode_mls_message(*bytes);
  if (!message.ok()) {
    reject("commit", message.error(), now);
    return;
  }
  auto epoch = framed_epoch(*message);
  if (!epoch) {
    reject("commit", Error(Errc::wrong_kind, "commit"), now);
    return;
  }
  const uint64_t current = s_->group->epoch();
  if (*epoch < current) {
    reject("commit", Error(Errc::old_epoch), now);
    return;
  }
  if (*epoch > current) {
    reject("commit", Error(Errc::future_epoch), now);
    if (s_->catch_up_from != current) {
      s_->catch_up_from = current;
      send("catch_up", {{"epoch", current}});
    }
    return;
  }
  if (const auto* pub = message->public_message()) {
    if (pub->content.sender == mls::Sender::member(s_->group->own_leaf())) {
      reject("commit", Error(Errc::own_commit), now);
      return;
    }
  }
  auto received = s_->group->handle(*message);
  if (!received.ok()) {
    reject("commit", received.error(), now);
    return;
  }
  auto* staged = std::get_if<mls::StagedCommit>(&*received);
  if (staged == nullptr) {
    reject("commit", Error(Errc::wrong_kind, "commit"), now);
    return;
  }
  Bytes committer_key;
  if (auto leaf = staged->committer().leaf_index()) {
    if (const mls::LeafNode* node = s_->group->tree().leaf(*leaf)) {
      committer_key = node->signature_key;
    }
  }
  if (auto ok = meeting::check_commit(s_->group->context(), staged->committer(), committer_key,
                                      staged->proposals());
      !ok.ok()) {
    reject("commit", ok.error(), now);
    return;
  }
  auto next = mls::Group::apply(std::move(*staged));
  if (!next) {
    end(EndReason::removed, now);
    return;
  }
  // Whatever we had pending was for the epoch that just ended.
  s_->pending.reset();
  adopt(std::move(*next), now);
}

void MeetingSession::on_proposal(const Json& m, TimePoint now) {
  if (!s_->group) return;
  auto message = mls_field(m, "proposal");
  if (!message.ok()) {
    reject("proposal", message.error(), now);
    return;
  }
  // Checked before handle(): a stored proposal would ride along in our
  // next commit.
  const mls::PublicMessage* pub = message->public_message();
  const mls::Proposal* proposal =
      pub != nullptr ? std::get_if<mls::Proposal>(&pub->content.content) : nullptr;
  if (proposal == nullptr) {
    reject("proposal", Error(Errc::wrong_kind, "proposal as PublicMessage"), now);
    return;
  }
  const uint64_t current = s_->group->epoch();
  if (pub->content.epoch != current) {
    reject("proposal", Error(pub->content.epoch < current ? Errc::old_epoch : Errc::future_epoch),
           now);
    return;
  }
  if (auto ok = meeting::check_proposal(*proposal, pub->content.sender); !ok.ok()) {
    reject("proposal", ok.error(), now);
    return;
  }
  auto received = s_->group->handle(*message);
  if (!received.ok()) {
    reject("proposal", received.error(), now);
    return;
  }
  if (!std::holds_alternative<mls::ReceivedProposal>(*received)) {
    reject("proposal", Error(Errc::wrong_kind, "proposal"), now);
    return;
  }
  if (!s_->proposals_due) {
    auto delay = s_->config.commit_delay ? s_->config.commit_delay() : random_commit_delay();
    s_->proposals_due = now + delay;
  }
}

void MeetingSession::on_application(const Json& m, TimePoint now) {
  if (!s_->group) return;
  auto message = mls_field(m, "message");
  if (!message.ok()) {
    reject("application", message.error(), now);
    return;
  }
  if (message->private_message() == nullptr) {
    reject("application", Error(Errc::wrong_kind, "application as PrivateMessage"), now);
    return;
  }
  auto received = s_->group->handle(*message);
  if (!received.ok()) {
    reject("application", received.error(), now);
    return;
  }
  const auto* app = std::get_if<mls::ReceivedApplication>(&*received);
  if (app == nullptr) {
    reject("application", Error(Errc::wrong_kind, "application data"), now);
    return;
  }
  const std::string_view text(reinterpret_cast<const char*>(app->data.data()), app->data.size());
  Json body = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto chat = string_field(body, "text");
  if (body.is_discarded() || string_field(body, "type") != "chat" || !chat) {
    reject("application", Error(Errc::bad_application), now);
    return;
  }
  std::string name;
  if (const mls::LeafNode* leaf = s_->group->tree().leaf(app->sender)) name = identity_of(*leaf);
  emit("chat",
       {{"from", name},
        {"participant_id", string_field(m, "sender").value_or("")},
        {"leaf", app->sender.value},
        {"text", *chat},
        {"epoch", s_->group->epoch()}},
       now);
}

void MeetingSession::on_participant_waiting(const Json& m, TimePoint now) {
  const Json* p = field(m, "participant");
  auto id = p ? string_field(*p, "participant_id") : std::nullopt;
  if (!id) return;
  emit("waiting",
       {{"participant_id", *id}, {"display_name", string_field(*p, "display_name").value_or("")}},
       now);
  if (role_ == "host" && s_->config.admit == AdmitPolicy::all) {
    send("admit", {{"participant_id", *id}});
  }
}

void MeetingSession::on_meeting_updated(const Json& m, TimePoint now) {
  const Json* meeting = field(m, "meeting");
  if (meeting == nullptr) return;
  const bool locked = bool_field(*meeting, "locked");
  s_->server_locked = locked;
  emit("meeting", {{"locked", locked}, {"waiting_room", bool_field(*meeting, "waiting_room")}},
       now);
  // Hosts carry the lock into the group, where every member enforces it.
  if (role_ == "host" && s_->group) s_->desired_locked = locked;
}

// ------------------------------------------------------------- epochs

void MeetingSession::adopt(mls::Group group, TimePoint now) {
  s_->group = std::move(group);
  phase_ = Phase::member;
  s_->proposals_due.reset();  // the store is empty in a new epoch
  s_->catch_up_from.reset();
  s_->retry_after.reset();
  const mls::RatchetTree& tree = s_->group->tree();
  std::erase_if(s_->add_requests, [&](const AddRequest& r) {
    return tree.find_leaf_by_signature_key(r.key_package.leaf_node.signature_key).has_value();
  });
  announce_epoch(now);
}

void MeetingSession::announce_epoch(TimePoint now) {
  const uint64_t epoch = s_->group->epoch();
  // `locked`: the group policy's lock (every member refuses Adds while it is set).
  auto policy = meeting::policy_of(s_->group->context());
  const bool locked = policy.ok() && policy->locked != 0;
  emit("epoch", {{"epoch", epoch}, {"security_code", security_code()}, {"locked", locked}}, now);
  Json members = Json::array();
  for (const auto& entry : roster()) {
    members.push_back(
        {{"leaf", entry.leaf.value}, {"name", entry.name}, {"host", entry.host}, {"self", entry.self}});
  }
  emit("roster", {{"epoch", epoch}, {"members", std::move(members)}}, now);
}

// ------------------------------------------------------------ actions

Status MeetingSession::say(std::string_view text, TimePoint now) {
  if (phase_ == Phase::ended) return Errc::ended;
  if (!s_->group) return Errc::not_member;
  const std::string body = Json{{"type", "chat"}, {"text", std::string(text)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  CV_TRY(mls::MLSMessage message, s_->group->protect(as_bytes(body)));
  send("application", {{"message", to_b64(message)}});
  emit("chat",
       {{"from", s_->config.display_name},
        {"participant_id", participant_id_},
        {"leaf", s_->group->own_leaf().value},
        {"text", std::string(text)},
        {"epoch", s_->group->epoch()},
        {"self", true}},
       now);
  return {};
}

void MeetingSession::leave(TimePoint now) {
  if (phase_ == Phase::ended || !s_->leave_id.empty()) return;
  if (phase_ == Phase::idle) {
    end(EndReason::left, now);
    return;
  }
  s_->leave_id = send("leave", Json::object());
  s_->leave_deadline = now + kLeaveTimeout;
  s_->pending.reset();
  s_->proposals_due.reset();
  s_->add_requests.clear();
}

Status MeetingSession::set_locked(bool locked, TimePoint now) {
  if (phase_ == Phase::ended) return Errc::ended;
  if (!s_->group) return Errc::not_member;
  CV_TRY(meeting::MeetingPolicy policy, meeting::policy_of(s_->group->context()));
  if (!policy.is_host(s_->own_key)) return Errc::not_host;
  s_->desired_locked = locked;
  maybe_commit(now);
  return {};
}

void MeetingSession::tick(TimePoint now) {
  if (!s_->started) s_->started = now;
  s_->last_now = std::max(s_->last_now, now);
  if (phase_ == Phase::ended) return;
  if (s_->leave_deadline && now >= *s_->leave_deadline) {
    end(EndReason::left, now);
    return;
  }
  if (s_->pending && now >= s_->pending->deadline) {
    emit("error", {{"code", "commit_timeout"}, {"message", "the server did not answer our commit"}},
         now);
    for (auto& request : s_->add_requests) {
      if (std::find(s_->pending->adds.begin(), s_->pending->adds.end(),
                    request.key_package.leaf_node.signature_key) != s_->pending->adds.end()) {
        request.attempts++;
      }
    }
    s_->pending.reset();
  }
  maybe_commit(now);
}

std::optional<TimePoint> MeetingSession::next_deadline() const {
  if (phase_ == Phase::ended) return std::nullopt;
  std::optional<TimePoint> best;
  auto consider = [&](TimePoint t) {
    if (!best || t < *best) best = t;
  };
  if (s_->leave_deadline) consider(*s_->leave_deadline);
  if (s_->pending) {
    consider(s_->pending->deadline);
  } else if (s_->retry_after) {
    consider(*s_->retry_after);
  } else if (s_->group && s_->leave_id.empty()) {
    if (s_->proposals_due) consider(*s_->proposals_due);
    // Requests due now were tried when time last moved; only later
    // retries need a timer.
    for (const auto& r : s_->add_requests) {
      if (r.attempts < kMaxAddAttempts && r.not_before > s_->last_now) consider(r.not_before);
    }
  }
  return best;
}

void MeetingSession::maybe_commit(TimePoint now) {
  if (phase_ != Phase::member || !s_->group || s_->pending || !s_->leave_id.empty()) return;
  if (s_->retry_after) {
    if (now < *s_->retry_after) return;
    s_->retry_after.reset();
  }
  mls::Group& g = *s_->group;
  auto policy = meeting::policy_of(g.context());
  if (!policy.ok()) return;
  const bool host = policy->is_host(s_->own_key);
  const mls::LeafIndex me = g.own_leaf();

  // Adds (hosts only, never while the group is locked).
  std::vector<mls::Proposal> inline_proposals;
  std::vector<Bytes> adds;
  meeting::MeetingPolicy next_policy = *policy;
  bool policy_changed = false;
  std::erase_if(s_->add_requests, [&](const AddRequest& r) {
    if (r.attempts < kMaxAddAttempts) return false;
    emit("error",
         {{"code", "add_failed"},
          {"message", "could not add " + r.display_name + " (" + r.participant_id + ")"}},
         now);
    return true;
  });
  if (host && !policy->locked) {
    for (const auto& r : s_->add_requests) {
      if (r.not_before > now) continue;
      inline_proposals.push_back(mls::Proposal{mls::Add{r.key_package}});
      adds.push_back(r.key_package.leaf_node.signature_key);
      if (r.host && !next_policy.is_host(r.key_package.leaf_node.signature_key)) {
        next_policy.hosts.push_back(r.key_package.leaf_node.signature_key);
        policy_changed = true;
      }
    }
  }
  if (host && s_->desired_locked) {
    const uint8_t want = *s_->desired_locked ? 1 : 0;
    if (next_policy.locked != want) {
      next_policy.locked = want;
      policy_changed = true;
    }
  }
  if (policy_changed) {
    std::vector<mls::Extension> extensions = g.context().extensions;
    for (auto& ext : extensions) {
      if (ext.extension_type == meeting::MeetingPolicy::kExtensionType) {
        ext = mls::make_extension(next_policy);
      }
    }
    inline_proposals.push_back(mls::Proposal{mls::GroupContextExtensions{std::move(extensions)}});
  }

  // Stored proposals (the server's Removes): due after the random delay,
  // never one that removes us (that is someone else's commit to make).
  const auto& store = g.proposal_store();
  bool removes_me = false;
  for (const auto& entry : store.entries()) {
    if (const auto* remove = std::get_if<mls::Remove>(&entry.proposal.content)) {
      if (remove->removed == me) removes_me = true;
    }
  }
  const bool store_due = !store.empty() && s_->proposals_due && now >= *s_->proposals_due;
  bool include_store = !store.empty() && !removes_me && (store_due || !inline_proposals.empty());
  if (inline_proposals.empty() && !include_store) {
    if (store_due) s_->proposals_due.reset();  // nothing we may commit
    return;
  }

  // Our own commit must pass the checks every member runs.
  auto check = [&](bool with_store) {
    std::vector<mls::ResolvedProposal> resolved;
    for (const auto& p : inline_proposals) resolved.push_back({p, mls::Sender::member(me), {}});
    if (with_store) {
      for (const auto& e : store.entries()) resolved.push_back({e.proposal, e.sender, e.ref});
    }
    return meeting::check_commit(g.context(), mls::Sender::member(me), s_->own_key, resolved);
  };
  if (include_store && !check(true).ok()) {
    include_store = false;
    s_->proposals_due.reset();
  }
  if (inline_proposals.empty() && !include_store) return;
  if (auto ok = check(include_store); !ok.ok()) {
    emit("error", {{"code", "commit_refused"}, {"message", ok.error().to_string()}}, now);
    for (auto& r : s_->add_requests) r.attempts = kMaxAddAttempts;
    s_->desired_locked.reset();
    return;
  }

  mls::CommitOptions options;
  options.proposals = std::move(inline_proposals);
  options.include_stored_proposals = include_store;
  auto result = g.commit(options);
  if (!result.ok()) {
    emit("error", {{"code", "commit_failed"}, {"message", result.error().to_string()}}, now);
    for (auto& r : s_->add_requests) {
      r.attempts++;
      r.not_before = now + kRetryBackoff;
    }
    s_->proposals_due.reset();
    s_->desired_locked.reset();
    return;
  }
  Json fields{{"commit", to_b64(result->commit)}};
  if (result->welcome) fields["welcome"] = to_b64(*result->welcome);
  PendingCommit pending{std::string(), mls::encode(result->commit), std::move(result->next),
                        now + s_->config.commit_timeout, std::move(adds)};
  pending.request_id = send("commit", std::move(fields));
  s_->pending = std::move(pending);
}

}  // namespace conclave::client
