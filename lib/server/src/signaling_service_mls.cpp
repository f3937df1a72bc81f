// SignalingService, phase 2: the MLS delivery service (docs/protocol.md,
// "The MLS delivery service"). Every handler checks everything before it
// changes anything; MLS payloads, keys and chat never reach the log (types,
// sizes, epochs and participant ids do).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "conclave/base/encoding.h"
#include "conclave/meeting/meeting_policy.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/leaf_validation.h"
#include "conclave/mls/mls_message.h"
#include "conclave/server/signaling_service.h"

#include "short_id.h"

namespace conclave::server {
namespace {

using nlohmann::json;

constexpr auto kSuite = mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519;
constexpr std::string_view kServer = "server";

const mls::CipherSuite& suite1() {
  static const mls::CipherSuite suite = mls::CipherSuite::create(kSuite).value();
  return suite;
}

bool same_bytes(BytesView a, BytesView b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

const mls::BasicCredential* basic_credential(const mls::LeafNode& leaf) {
  return std::get_if<mls::BasicCredential>(&leaf.credential.content);
}

}  // namespace

std::optional<Bytes> SignalingService::payload_field(Participant& p, const Envelope& e,
                                                     std::string_view name) {
  bool ok = true;
  auto text = e.string_field(name, 1, config_.max_message_bytes, ok);
  if (!ok || !text) {
    send_error(p, ProtocolError::invalid_field, e.id,
               std::string(name) + ": required base64url string");
    return std::nullopt;
  }
  auto bytes = from_base64url(*text);
  if (!bytes.ok()) {
    send_error(p, ProtocolError::invalid_field, e.id, std::string(name) + ": not base64url");
    return std::nullopt;
  }
  return std::move(bytes).value();
}

SignalingService::Room* SignalingService::member_room(Participant& p, const Envelope& e) {
  if (p.state != State::joined) {
    send_error(p, ProtocolError::out_of_order, e.id, "join the meeting first");
    return nullptr;
  }
  Room& room = rooms_.at(p.meeting_id);
  if (!room.group) {
    send_error(p, ProtocolError::no_group, e.id);
    return nullptr;
  }
  if (!p.leaf) {
    send_error(p, ProtocolError::not_member, e.id);
    return nullptr;
  }
  return &room;
}

// ------------------------------------------------------------ key_package

void SignalingService::handle_key_package(Participant& p, const Envelope& e) {
  if (p.state == State::connected) {
    send_error(p, ProtocolError::out_of_order, e.id, "say hello first");
    return;
  }
  if (p.leaf) {
    send_error(p, ProtocolError::out_of_order, e.id, "already a member of the group");
    return;
  }
  if (p.key_package_uploaded) {
    send_error(p, ProtocolError::out_of_order, e.id, "a KeyPackage was already uploaded");
    return;
  }
  auto bytes = payload_field(p, e, "key_package");
  if (!bytes) return;
  auto message = mls::decode_mls_message(*bytes);
  if (!message.ok() || message->key_package() == nullptr) {
    send_error(p, ProtocolError::invalid_message, e.id,
               "key_package: not an MLSMessage KeyPackage");
    return;
  }
  const mls::KeyPackage& kp = *message->key_package();
  if (kp.cipher_suite != kSuite) {
    send_error(p, ProtocolError::invalid_field, e.id, "key_package: cipher suite 1 only");
    return;
  }
  const mls::LeafValidationContext context{suite1()};
  if (auto valid = mls::validate_key_package(kp, context); !valid.ok()) {
    send_error(p, ProtocolError::invalid_field, e.id, "key_package: " + valid.error().to_string());
    return;
  }
  const mls::BasicCredential* credential = basic_credential(kp.leaf_node);
  if (credential == nullptr || !same_bytes(credential->identity, to_bytes(p.display_name))) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "key_package: the credential must be Basic with your display name");
    return;
  }
  const auto& extensions = kp.leaf_node.capabilities.extensions;
  if (std::find(extensions.begin(), extensions.end(), meeting::MeetingPolicy::kExtensionType) ==
      extensions.end()) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "key_package: the capabilities must list the meeting policy extension");
    return;
  }
  Room& room = rooms_.at(p.meeting_id);
  const Bytes& key = kp.leaf_node.signature_key;
  bool taken = room.group && room.group->sequencer.group().tree().find_leaf_by_signature_key(key);
  for (const auto& [number, other] : participants_) {
    if (other.meeting_id == p.meeting_id && other.key_package &&
        same_bytes(other.signature_key, key)) {
      taken = true;
    }
  }
  if (taken) {
    send_error(p, ProtocolError::invalid_field, e.id, "key_package: signature key already in use");
    return;
  }

  p.key_package = std::move(*bytes);
  p.signature_key = key;
  p.key_package_uploaded = true;
  send(p, make_ack(e.id));
  spdlog::info("signaling: KeyPackage from {} in {} ({} bytes)", p.participant_id,
               short_id(p.meeting_id), p.key_package->size());
  if (p.state == State::joined) offer_candidate(room, p);
  hostile_on_key_package(room, kp);
}

json SignalingService::add_request(const Participant& candidate) const {
  json request = make_message("add_request");
  request["participant"] = participant_json(candidate);
  request["key_package"] = to_base64url(*candidate.key_package);
  return request;
}

void SignalingService::offer_candidate(Room& room, const Participant& candidate) {
  if (!room.group || !candidate.key_package || candidate.leaf || candidate.state != State::joined) {
    return;
  }
  const std::string text = add_request(candidate).dump();
  for (const auto& [leaf, number] : room.group->leaves) {
    const Participant& member = participants_.at(number);
    if (member.host && member.connection) member.connection->send(text);
  }
}

void SignalingService::offer_candidates_to(Room& room, const Participant& host) {
  if (!room.group || !host.host || !host.leaf || !host.connection) return;
  for (uint64_t number : room.joined) {
    const Participant& candidate = participants_.at(number);
    if (!candidate.key_package || candidate.leaf) continue;
    send(host, add_request(candidate));
  }
}

// ------------------------------------------------------------- group_info

void SignalingService::handle_group_info(Participant& p, const Envelope& e) {
  if (p.state != State::joined) {
    send_error(p, ProtocolError::out_of_order, e.id, "join the meeting first");
    return;
  }
  if (!p.host) {
    send_error(p, ProtocolError::forbidden, e.id, "only a host creates the group");
    return;
  }
  Room& room = rooms_.at(p.meeting_id);
  if (room.group) {
    send_error(p, ProtocolError::out_of_order, e.id, "the meeting already has a group");
    return;
  }
  auto bytes = payload_field(p, e, "group_info");
  if (!bytes) return;
  auto message = mls::decode_mls_message(*bytes);
  if (!message.ok() || message->group_info() == nullptr) {
    send_error(p, ProtocolError::invalid_message, e.id, "group_info: not an MLSMessage GroupInfo");
    return;
  }
  auto sequencer = MeetingSequencer::create(*bytes);
  if (!sequencer.ok()) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "group_info: " + sequencer.error().to_string());
    return;
  }
  const mls::PublicGroup& group = sequencer->group();
  const auto members = group.members();
  if (group.suite().id() != kSuite || members.size() != 1) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "group_info: a suite 1 group with exactly one member");
    return;
  }
  const mls::LeafNode* leaf = group.tree().leaf(members[0]);
  const mls::BasicCredential* credential = leaf == nullptr ? nullptr : basic_credential(*leaf);
  if (credential == nullptr || !same_bytes(credential->identity, to_bytes(p.display_name))) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "group_info: the member's credential must be Basic with your display name");
    return;
  }
  auto senders = mls::find_extension<mls::ExternalSenders>(group.context().extensions);
  if (!senders.ok() || !senders->has_value() || (*senders)->external_senders.empty() ||
      (*senders)->external_senders[0] != external_sender_) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "group_info: the server must be external sender 0");
    return;
  }
  auto policy = meeting::policy_of(group.context());
  if (!policy.ok() || !policy->is_host(leaf->signature_key)) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "group_info: the meeting policy must name your key as a host");
    return;
  }

  const mls::LeafIndex own = members[0];
  room.group.emplace(std::move(sequencer).value());
  room.group->leaves[own] = p.number;
  p.leaf = own;
  p.key_package.reset();
  json ack = make_ack(e.id);
  ack["epoch"] = room.group->sequencer.epoch();
  send(p, ack);
  spdlog::info("signaling: {} created the group of {} at epoch {}", p.participant_id,
               short_id(p.meeting_id), room.group->sequencer.epoch());
  offer_candidates_to(room, p);
}

// ----------------------------------------------------------------- commit

void SignalingService::handle_commit(Participant& p, const Envelope& e) {
  Room* room = member_room(p, e);
  if (room == nullptr) return;
  GroupState& g = *room->group;
  auto bytes = payload_field(p, e, "commit");
  if (!bytes) return;
  auto message = mls::decode_mls_message(*bytes);
  const mls::PublicMessage* pub = message.ok() ? message->public_message() : nullptr;
  if (pub == nullptr || pub->content.content_type() != mls::ContentType::commit) {
    send_error(p, ProtocolError::invalid_message, e.id, "commit: not a PublicMessage commit");
    return;
  }
  const mls::GroupContext& context = g.sequencer.group().context();
  if (!same_bytes(pub->content.group_id, context.group_id)) {
    send_error(p, ProtocolError::invalid_message, e.id, "commit: another group");
    return;
  }
  if (pub->content.sender.leaf_index() != p.leaf) {
    send_error(p, ProtocolError::invalid_message, e.id, "commit: not sent from your leaf");
    return;
  }
  if (pub->content.epoch < context.epoch) {
    json err = make_error(ProtocolError::stale_commit, e.id);
    err["epoch"] = context.epoch;
    send(p, err);
    return;
  }
  if (pub->content.epoch > context.epoch) {
    send_error(p, ProtocolError::invalid_message, e.id, "commit: an epoch that has not started");
    return;
  }
  std::optional<Bytes> welcome;
  if (e.body.contains("welcome") && !e.body["welcome"].is_null()) {
    welcome = payload_field(p, e, "welcome");
    if (!welcome) return;
    auto decoded = mls::decode_mls_message(*welcome);
    if (!decoded.ok() || decoded->welcome() == nullptr) {
      send_error(p, ProtocolError::invalid_message, e.id, "welcome: not an MLSMessage Welcome");
      return;
    }
  }
  auto staged = g.sequencer.stage_commit(*bytes);
  if (!staged.ok()) {
    send_error(p, ProtocolError::invalid_commit, e.id, staged.error().to_string());
    return;
  }
  const mls::PublicGroup::Staged& s = staged->staged;
  const mls::LeafNode* committer_leaf = g.sequencer.group().tree().leaf(s.committer_leaf);
  const BytesView committer_key =
      committer_leaf == nullptr ? BytesView{} : BytesView(committer_leaf->signature_key);
  if (auto policy = meeting::check_commit(context, s.committer, committer_key, s.proposals);
      !policy.ok()) {
    send_error(p, ProtocolError::policy_violation, e.id, policy.error().to_string());
    return;
  }
  std::vector<std::pair<mls::LeafIndex, uint64_t>> added;
  for (mls::LeafIndex leaf : s.added) {
    const mls::LeafNode* node = s.next.tree().leaf(leaf);
    const Participant* candidate = nullptr;
    for (uint64_t number : room->joined) {
      const Participant& other = participants_.at(number);
      if (node != nullptr && other.key_package && !other.leaf &&
          same_bytes(other.signature_key, node->signature_key)) {
        candidate = &other;
      }
    }
    if (candidate == nullptr) {
      send_error(p, ProtocolError::invalid_commit, e.id,
                 "the commit adds someone who is not waiting to be added");
      return;
    }
    added.emplace_back(leaf, candidate->number);
  }
  if (!added.empty() && !welcome) {
    send_error(p, ProtocolError::invalid_commit, e.id, "a commit that adds needs a Welcome");
    return;
  }
  CheckedCommit checked{std::move(staged).value(),
                        std::move(welcome),
                        p.number,
                        p.participant_id,
                        *p.leaf,
                        std::move(added),
                        e.id};

  if (has_mode(HostileMode::fork)) {
    if (!g.held) {
      spdlog::warn("signaling: HOSTILE fork: holding the commit of {} for epoch {}",
                   p.participant_id, context.epoch);
      g.held = HeldCommit{std::move(checked), clock_.now()};
      return;
    }
    if (g.held->commit.committer != p.number) {
      fork_commits(*room, std::move(checked));
      return;
    }
    json err = make_error(ProtocolError::stale_commit, e.id);
    err["epoch"] = context.epoch;
    send(p, err);
    return;
  }
  sequence_commit(*room, std::move(checked), nullptr);
}

void SignalingService::sequence_commit(Room& room, CheckedCommit commit,
                                       const std::set<uint64_t>* recipients) {
  GroupState& g = *room.group;
  const size_t commit_size = commit.staged.message.size();
  const Participant* committer_before = find_participant(commit.committer);
  const std::string meeting_id = committer_before ? committer_before->meeting_id : std::string();
  MeetingSequencer::Accepted accepted = g.sequencer.accept(std::move(commit.staged));
  const Bytes& bytes = g.sequencer.last_commit();
  g.log.push_back(LoggedCommit{accepted.epoch, bytes, commit.committer_id});
  while (g.log.size() > kCommitLogSize) g.log.pop_front();
  g.proposals.clear();
  g.remove_proposed.clear();

  if (Participant* committer = find_participant(commit.committer)) {
    json ack = make_ack(commit.in_reply_to);
    ack["epoch"] = accepted.epoch;
    send(*committer, ack);
  }
  json broadcast = make_message("commit");
  broadcast["commit"] = to_base64url(bytes);
  broadcast["epoch"] = accepted.epoch;
  broadcast["committer"] = commit.committer_id;
  const std::string text = broadcast.dump();
  std::string tampered;
  if (has_mode(HostileMode::tamper_commit)) {
    broadcast["commit"] = to_base64url(hostile::tamper(bytes));
    tampered = broadcast.dump();
  }
  // Every member of the ended epoch, the removed ones included.
  for (const auto& [leaf, number] : g.leaves) {
    if (recipients != nullptr && !recipients->contains(number)) continue;
    const Participant& member = participants_.at(number);
    if (!member.connection) continue;
    const bool tamper = !tampered.empty() && number != commit.committer;
    member.connection->send(tamper ? tampered : text);
  }

  std::vector<uint64_t> removed;
  for (mls::LeafIndex leaf : accepted.removed) {
    g.departed.erase(leaf);
    auto it = g.leaves.find(leaf);
    if (it == g.leaves.end()) continue;
    removed.push_back(it->second);
    participants_.at(it->second).leaf.reset();
    g.leaves.erase(it);
  }
  std::vector<uint64_t> new_hosts;
  for (const auto& [leaf, number] : commit.added) {
    Participant* joiner = find_participant(number);
    if (joiner == nullptr || joiner->leaf) continue;
    joiner->leaf = leaf;
    joiner->key_package.reset();
    g.leaves[leaf] = number;
    json welcome = make_message("welcome");
    welcome["welcome"] = to_base64url(commit.welcome.value_or(Bytes{}));
    welcome["epoch"] = accepted.epoch;
    send(*joiner, welcome);
    if (joiner->host) new_hosts.push_back(number);
  }
  spdlog::info("signaling: commit by {} in {} sequenced: epoch {}, {} added, {} removed, {} bytes",
               commit.committer_id, short_id(meeting_id), accepted.epoch, accepted.added.size(),
               accepted.removed.size(), commit_size);

  // Departures not yet committed are proposed again in the new epoch.
  std::vector<mls::LeafIndex> pending(g.departed.begin(), g.departed.end());
  for (mls::LeafIndex leaf : pending) {
    if (g.sequencer.group().tree().leaf(leaf) == nullptr) {
      g.departed.erase(leaf);
    } else {
      propose_server_remove(room, leaf);
    }
  }
  for (uint64_t number : new_hosts) offer_candidates_to(room, participants_.at(number));

  // Last: closing the removed may end the room (never while the committer
  // is in it, but the fork mode releases commits late).
  for (uint64_t number : removed) {
    Participant* gone = find_participant(number);
    if (gone == nullptr) continue;
    json notice = make_message("removed");
    notice["reason"] = "removed";
    send(*gone, notice);
    if (gone->connection) gone->connection->close(net::CloseCode::normal);
    remove_participant(number, "left");
  }
}

// ------------------------------------------------------------ departures

void SignalingService::propose_server_remove(Room& room, mls::LeafIndex leaf) {
  GroupState& g = *room.group;
  if (g.remove_proposed.contains(leaf)) return;
  auto proposal = g.sequencer.propose_remove(leaf, server_key_, 0);
  if (!proposal.ok()) {
    spdlog::warn("signaling: cannot propose the Remove of leaf {}: {}", leaf.value,
                 proposal.error().to_string());
    return;
  }
  g.remove_proposed.insert(leaf);
  g.proposals.push_back(LoggedProposal{*proposal, std::string(kServer)});
  json message = make_message("proposal");
  message["proposal"] = to_base64url(*proposal);
  message["epoch"] = g.sequencer.epoch();
  message["proposer"] = kServer;
  send_to_members(room, message);
  spdlog::info("signaling: server proposes the Remove of leaf {} at epoch {}", leaf.value,
               g.sequencer.epoch());
}

void SignalingService::member_departed(Room& room, Participant& p) {
  media_leave(p);
  if (!room.group || !p.leaf) return;
  GroupState& g = *room.group;
  const mls::LeafIndex leaf = *p.leaf;
  p.leaf.reset();
  g.leaves.erase(leaf);
  if (g.leaves.empty()) {
    spdlog::info("signaling: the last member left {}; its group ends", short_id(p.meeting_id));
    room.group.reset();
    return;
  }
  g.departed.insert(leaf);
  propose_server_remove(room, leaf);
}

void SignalingService::handle_remove(Participant& p, const Envelope& e) {
  auto target_id = host_command_target(p, e);
  if (!target_id) return;
  Room& room = rooms_.at(p.meeting_id);
  if (!room.group) {
    send_error(p, ProtocolError::no_group, e.id);
    return;
  }
  const Participant* target = nullptr;
  for (const auto& [leaf, number] : room.group->leaves) {
    if (participants_.at(number).participant_id == *target_id) target = &participants_.at(number);
  }
  if (target == nullptr) {
    send_error(p, ProtocolError::unknown_participant, e.id, "no such member of the group");
    return;
  }
  // Kept until a commit removes the leaf: proposed again in later epochs.
  room.group->departed.insert(*target->leaf);
  send(p, make_ack(e.id));
  spdlog::info("signaling: host {} removes {} from {}", p.participant_id, target->participant_id,
               short_id(p.meeting_id));
  propose_server_remove(room, *target->leaf);
}

// --------------------------------------------------------------- proposal

void SignalingService::handle_proposal(Participant& p, const Envelope& e) {
  Room* room = member_room(p, e);
  if (room == nullptr) return;
  GroupState& g = *room->group;
  auto bytes = payload_field(p, e, "proposal");
  if (!bytes) return;
  auto message = mls::decode_mls_message(*bytes);
  const mls::PublicMessage* pub = message.ok() ? message->public_message() : nullptr;
  if (pub == nullptr || pub->content.content_type() != mls::ContentType::proposal) {
    send_error(p, ProtocolError::invalid_message, e.id, "proposal: not a PublicMessage proposal");
    return;
  }
  const mls::GroupContext& context = g.sequencer.group().context();
  if (!same_bytes(pub->content.group_id, context.group_id) || pub->content.epoch != context.epoch) {
    send_error(p, ProtocolError::invalid_message, e.id, "proposal: another group or epoch");
    return;
  }
  if (pub->content.sender.leaf_index() != p.leaf) {
    send_error(p, ProtocolError::invalid_message, e.id, "proposal: not sent from your leaf");
    return;
  }
  const auto& proposal = std::get<mls::Proposal>(pub->content.content);
  if (auto policy = meeting::check_proposal(proposal, pub->content.sender); !policy.ok()) {
    send_error(p, ProtocolError::policy_violation, e.id, policy.error().to_string());
    return;
  }
  auto stored = g.sequencer.submit_proposal(*bytes);
  if (!stored.ok()) {
    send_error(p, ProtocolError::invalid_proposal, e.id, stored.error().to_string());
    return;
  }
  g.proposals.push_back(LoggedProposal{*bytes, p.participant_id});
  send(p, make_ack(e.id));
  json broadcast = make_message("proposal");
  broadcast["proposal"] = to_base64url(*bytes);
  broadcast["epoch"] = context.epoch;
  broadcast["proposer"] = p.participant_id;
  send_to_members(*room, broadcast);
  spdlog::info("signaling: proposal by {} at epoch {} ({} bytes)", p.participant_id, context.epoch,
               bytes->size());
}

// ------------------------------------------------------------ application

void SignalingService::handle_application(Participant& p, const Envelope& e) {
  Room* room = member_room(p, e);
  if (room == nullptr) return;
  auto bytes = payload_field(p, e, "message");
  if (!bytes) return;
  auto message = mls::decode_mls_message(*bytes);
  const mls::PrivateMessage* priv = message.ok() ? message->private_message() : nullptr;
  const mls::GroupContext& context = room->group->sequencer.group().context();
  if (priv == nullptr || priv->content_type != mls::ContentType::application) {
    send_error(p, ProtocolError::invalid_message, e.id,
               "message: not a PrivateMessage with application data");
    return;
  }
  if (!same_bytes(priv->group_id, context.group_id) || priv->epoch != context.epoch) {
    send_error(p, ProtocolError::invalid_message, e.id, "message: another group or epoch");
    return;
  }
  json forward = make_message("application");
  forward["message"] =
      to_base64url(has_mode(HostileMode::tamper_application) ? hostile::tamper(*bytes) : *bytes);
  forward["sender"] = p.participant_id;
  send_to_members(*room, forward, p.number);
  if (has_mode(HostileMode::replay)) send_to_members(*room, forward, p.number);
}

// --------------------------------------------------------------- catch_up

void SignalingService::handle_catch_up(Participant& p, const Envelope& e) {
  Room* room = member_room(p, e);
  if (room == nullptr) return;
  GroupState& g = *room->group;
  auto it = e.body.find("epoch");
  if (it == e.body.end() || !it->is_number_unsigned()) {
    send_error(p, ProtocolError::invalid_field, e.id, "epoch: required non-negative integer");
    return;
  }
  const uint64_t from = it->get<uint64_t>();
  const uint64_t current = g.sequencer.epoch();
  if (from > current) {
    send_error(p, ProtocolError::invalid_field, e.id, "epoch: later than the group's");
    return;
  }
  if (from < current && (g.log.empty() || g.log.front().epoch > from + 1)) {
    send_error(p, ProtocolError::invalid_field, e.id,
               "epoch: too old for the server's commit log; join again");
    return;
  }
  for (const LoggedCommit& entry : g.log) {
    if (entry.epoch <= from) continue;
    json commit = make_message("commit");
    commit["commit"] = to_base64url(entry.message);
    commit["epoch"] = entry.epoch;
    commit["committer"] = entry.committer;
    send(p, commit);
  }
  for (const LoggedProposal& entry : g.proposals) {
    json proposal = make_message("proposal");
    proposal["proposal"] = to_base64url(entry.message);
    proposal["epoch"] = current;
    proposal["proposer"] = entry.proposer;
    send(p, proposal);
  }
  json ack = make_ack(e.id);
  ack["epoch"] = current;
  send(p, ack);
}

// ------------------------------------------------- test-only hostile modes

void SignalingService::hostile_on_key_package(Room& room, const mls::KeyPackage& key_package) {
  if (!room.group) return;
  GroupState& g = *room.group;
  if (has_mode(HostileMode::server_add)) {
    auto proposal = hostile::server_add_proposal(g.sequencer.group(), server_key_, 0);
    if (proposal.ok()) {
      spdlog::warn(
          "signaling: HOSTILE server_add: proposing an Add of the server's own KeyPackage");
      json message = make_message("proposal");
      message["proposal"] = to_base64url(*proposal);
      message["epoch"] = g.sequencer.epoch();
      message["proposer"] = kServer;
      send_to_members(room, message);
    }
  }
  if (has_mode(HostileMode::forge_commit) && !g.leaves.empty()) {
    const auto& [claimed, owner] = *g.leaves.begin();
    auto commit = hostile::forge_add_commit(g.sequencer.group(), key_package, claimed, server_key_);
    if (commit.ok()) {
      spdlog::warn("signaling: HOSTILE forge_commit: an Add commit claiming leaf {}",
                   claimed.value);
      json message = make_message("commit");
      message["commit"] = to_base64url(*commit);
      message["epoch"] = g.sequencer.epoch() + 1;
      message["committer"] = participants_.at(owner).participant_id;
      send_to_members(room, message);
    }
  }
}

void SignalingService::deliver_rival_commit(Room& room, const CheckedCommit& commit,
                                            const std::set<uint64_t>& recipients) {
  const uint64_t epoch = commit.staged.staged.next.epoch();
  if (Participant* committer = find_participant(commit.committer)) {
    json ack = make_ack(commit.in_reply_to);
    ack["epoch"] = epoch;
    send(*committer, ack);
  }
  json broadcast = make_message("commit");
  broadcast["commit"] = to_base64url(commit.staged.message);
  broadcast["epoch"] = epoch;
  broadcast["committer"] = commit.committer_id;
  for (const auto& [leaf, number] : room.group->leaves) {
    if (recipients.contains(number)) send(participants_.at(number), broadcast);
  }
  for (const auto& [leaf, number] : commit.added) {
    Participant* joiner = find_participant(number);
    if (joiner == nullptr || !commit.welcome) continue;
    json welcome = make_message("welcome");
    welcome["welcome"] = to_base64url(*commit.welcome);
    welcome["epoch"] = epoch;
    send(*joiner, welcome);
  }
}

void SignalingService::fork_commits(Room& room, CheckedCommit second) {
  GroupState& g = *room.group;
  HeldCommit first = std::move(*g.held);
  g.held.reset();
  std::set<uint64_t> side_first, side_second;
  for (const auto& [leaf, number] : g.leaves) {
    if (number == first.commit.committer) {
      side_first.insert(number);
    } else if (number == second.committer) {
      side_second.insert(number);
    } else {
      (leaf.value % 2 == 0 ? side_first : side_second).insert(number);
    }
  }
  spdlog::warn("signaling: HOSTILE fork: epoch {} split between {} and {}", g.sequencer.epoch(),
               first.commit.committer_id, second.committer_id);
  deliver_rival_commit(room, second, side_second);
  sequence_commit(room, std::move(first.commit), &side_first);
}

void SignalingService::release_held_commit(Room& room) {
  GroupState& g = *room.group;
  HeldCommit held = std::move(*g.held);
  g.held.reset();
  const Participant* committer = find_participant(held.commit.committer);
  if (committer == nullptr || !committer->leaf) return;
  sequence_commit(room, std::move(held.commit), nullptr);
}

}  // namespace conclave::server
