#include "conclave/mls/group.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "conclave/codec/tls.h"
#include "conclave/crypto/random.h"
#include "conclave/mls/leaf_validation.h"
#include "conclave/mls/sender_key.h"
#include "conclave/mls/transcript_hash.h"

namespace conclave::mls {

namespace {

constexpr std::string_view kFramedContentTbsLabel = "FramedContentTBS";
constexpr std::string_view kLeafNodeTbsLabel = "LeafNodeTBS";
constexpr std::string_view kKeyPackageTbsLabel = "KeyPackageTBS";

uint64_t system_now() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::shared_ptr<const GroupOptions> or_default(std::shared_ptr<const GroupOptions> options) {
  if (options) return options;
  static const auto defaults = std::make_shared<const GroupOptions>();
  return defaults;
}

// The capabilities every leaf we make announces: what this implementation
// supports beyond the defaults (section 7.2: default types are not listed).
Capabilities our_capabilities(const CipherSuite& suite, Capabilities extra) {
  Capabilities c = std::move(extra);
  if (std::find(c.versions.begin(), c.versions.end(), ProtocolVersion::mls10) == c.versions.end()) {
    c.versions.push_back(ProtocolVersion::mls10);
  }
  if (std::find(c.cipher_suites.begin(), c.cipher_suites.end(), suite.id()) ==
      c.cipher_suites.end()) {
    c.cipher_suites.push_back(suite.id());
  }
  for (CredentialType t : {CredentialType::basic, CredentialType::x509}) {
    if (std::find(c.credentials.begin(), c.credentials.end(), t) == c.credentials.end()) {
      c.credentials.push_back(t);
    }
  }
  return c;
}

SecretBytes zeros(size_t n) { return SecretBytes(Bytes(n, 0)); }

// Keeps only the private keys whose node still holds the matching public
// key (proposals blank direct paths).
void prune_keys(TreePrivateKeys& keys, const RatchetTree& tree) {
  keys.retain_matching(tree);
}

Error commit_error(std::string_view rule) { return Error(Errc::invalid_commit, rule); }

}  // namespace

// ---------------------------------------------------------------- KeyPackage

Result<KeyPackageBundle> make_key_package(const CipherSuite& suite, Credential credential,
                                          crypto::SignaturePrivateKey signer,
                                          const KeyPackageOptions& options) {
  CV_TRY(auto init_key, suite.generate_hpke_key_pair());
  CV_TRY(auto encryption_key, suite.generate_hpke_key_pair());
  KeyPackage kp;
  kp.version = ProtocolVersion::mls10;
  kp.cipher_suite = suite.id();
  kp.init_key = init_key.public_key().bytes();
  LeafNode& leaf = kp.leaf_node;
  leaf.encryption_key = encryption_key.public_key().bytes();
  leaf.signature_key = signer.public_key().bytes();
  leaf.credential = std::move(credential);
  leaf.capabilities = our_capabilities(suite, options.capabilities);
  if (options.lifetime.has_value()) {
    leaf.source = *options.lifetime;
  } else {
    const uint64_t now = system_now();
    leaf.source = Lifetime{now - 3600, now + uint64_t{90} * 24 * 3600};
  }
  leaf.extensions = options.leaf_extensions;
  CV_TRY(leaf.signature, suite.sign_with_label(signer, kLeafNodeTbsLabel,
                                               encode_leaf_node_tbs(leaf, {}, LeafIndex{})));
  kp.extensions = options.extensions;
  CV_TRY(kp.signature,
         suite.sign_with_label(signer, kKeyPackageTbsLabel, encode_key_package_tbs(kp)));
  return KeyPackageBundle{std::move(kp), std::move(init_key), std::move(encryption_key),
                          std::move(signer)};
}

// -------------------------------------------------------------------- State

namespace detail {

// What makes an epoch of a member's group, before its framing state.
struct EpochInputs {
  CipherSuite suite;
  GroupContext context;
  RatchetTree tree;
  Bytes interim;
  KeySchedule keys;
  LeafIndex own;
  TreePrivateKeys tree_keys;
  crypto::SignaturePrivateKey signer;
  std::shared_ptr<const GroupOptions> options;
  // (epoch, resumption_psk), newest last, including this epoch's.
  std::deque<std::pair<uint64_t, SecretBytes>> resumption;
  std::optional<ReInit> reinit;
};

}  // namespace detail

using detail::EpochInputs;

struct Group::State : EpochInputs {
  MessageProtection protection;
  ProposalStore store;
};

// Builds the state of an epoch: the framing keys and the resumption history.
static Result<std::unique_ptr<Group::State>> make_state(EpochInputs in) {
  CV_TRY(MessageProtection protection,
         MessageProtection::create(in.keys, in.context, in.tree.leaf_count(),
                                   in.options->secret_tree_limits));
  in.resumption.emplace_back(in.context.epoch, in.keys.resumption_psk());
  while (in.resumption.size() > std::max<size_t>(1, in.options->resumption_psk_epochs)) {
    in.resumption.pop_front();
  }
  return std::unique_ptr<Group::State>(
      new Group::State{{std::move(in)}, std::move(protection), ProposalStore{}});
}

Group::Group(std::unique_ptr<State> state) : state_(std::move(state)) {}
Group::Group(Group&&) noexcept = default;
Group& Group::operator=(Group&&) noexcept = default;
Group::~Group() = default;

StagedCommit::StagedCommit(StagedCommit&&) noexcept = default;
StagedCommit& StagedCommit::operator=(StagedCommit&&) noexcept = default;
StagedCommit::~StagedCommit() = default;

const CipherSuite& Group::suite() const { return state_->suite; }
const GroupContext& Group::context() const { return state_->context; }
const RatchetTree& Group::tree() const { return state_->tree; }
LeafIndex Group::own_leaf() const { return state_->own; }
const LeafNode& Group::own_leaf_node() const { return *state_->tree.leaf(state_->own); }
const Bytes& Group::interim_transcript_hash() const { return state_->interim; }
const SecretBytes& Group::epoch_authenticator() const {
  return state_->keys.epoch_authenticator();
}
const ProposalStore& Group::proposal_store() const { return state_->store; }
const std::optional<ReInit>& Group::pending_reinit() const { return state_->reinit; }

Result<SecretBytes> Group::export_secret(std::string_view label, BytesView context,
                                         size_t length) const {
  return state_->keys.export_secret(label, context, length);
}

std::optional<SecretBytes> Group::resumption_psk(uint64_t epoch) const {
  for (const auto& [e, psk] : state_->resumption) {
    if (e == epoch) return psk;
  }
  return std::nullopt;
}

// ------------------------------------------------------------------- create

Result<Group> Group::create(const CipherSuite& suite, Bytes group_id,
                            const KeyPackageBundle& creator, std::vector<Extension> extensions,
                            std::shared_ptr<const GroupOptions> options) {
  options = or_default(std::move(options));
  if (creator.key_package.cipher_suite != suite.id()) {
    return Error(Errc::cipher_suite_mismatch, "creator KeyPackage of another suite");
  }
  if (has_duplicate_extension_types(extensions)) {
    return Error(Errc::invalid_argument, "duplicate group context extension");
  }
  RatchetTree tree = RatchetTree::with_leaf(suite, creator.key_package.leaf_node);
  GroupContext context;
  context.cipher_suite = suite.id();
  context.group_id = std::move(group_id);
  context.epoch = 0;
  context.tree_hash = tree.root_tree_hash();
  context.extensions = std::move(extensions);

  // Section 11: a random epoch secret; deriving it from a random
  // init_secret and a zero commit secret is as random.
  const SecretBytes init = SecretBytes::adopt(crypto::random_bytes(suite.hash_size()));
  CV_TRY(KeySchedule keys, KeySchedule::from_init_secret(suite, init.view(), {}, {}, context));
  const MAC tag = make_confirmation_tag(suite, keys.confirmation_key().view(), {});
  TranscriptHashes hashes = TranscriptHashes::with_tag(suite, {}, tag);

  TreePrivateKeys tree_keys(LeafIndex{0});
  tree_keys.set_key(LeafIndex{0}.node(), creator.encryption_key);
  CV_TRY(auto state,
         make_state(EpochInputs{suite, std::move(context), std::move(tree),
                                std::move(hashes.interim), std::move(keys), LeafIndex{0},
                                std::move(tree_keys), creator.signer, std::move(options), {},
                                std::nullopt}));
  return Group(std::move(state));
}

// ------------------------------------------------------------ GroupInfo

Result<GroupInfo> Group::group_info() const {
  const State& s = *state_;
  GroupInfo gi;
  gi.group_context = s.context;
  if (s.options->ratchet_tree_extension) {
    gi.extensions.push_back(Extension{ExtensionType::ratchet_tree, s.tree.encode()});
  }
  if (s.options->external_pub_extension) {
    CV_TRY(auto external, s.keys.external_key_pair());
    gi.extensions.push_back(make_extension(ExternalPub{external.public_key().bytes()}));
  }
  // The tag of the commit that started this epoch: MAC(confirmation_key,
  // confirmed_transcript_hash), recomputed (section 12.4.3).
  gi.confirmation_tag = make_confirmation_tag(s.suite, s.keys.confirmation_key().view(),
                                              s.context.confirmed_transcript_hash);
  gi.signer = s.own;
  CV_TRY_STATUS(sign_group_info(s.suite, gi, s.signer));
  return gi;
}

// ----------------------------------------------------------------- sending

SenderLookup Group::sender_lookup() const {
  const State* s = state_.get();
  SenderLookup lookup;
  lookup.is_member = [s](LeafIndex leaf) { return s->tree.leaf(leaf) != nullptr; };
  lookup.signature_key = [s](const FramedContent& content) {
    return sender_signature_key(content, s->tree, s->context.extensions);
  };
  return lookup;
}

ProposalCheckOptions Group::check_options() const {
  ProposalCheckOptions out;
  out.verifier = state_->options->verifier.get();
  out.now = state_->options->now ? state_->options->now() : system_now();
  return out;
}

Result<MLSMessage> Group::propose(Proposal proposal, Bytes authenticated_data) {
  return send_proposal(std::move(proposal), std::move(authenticated_data), std::nullopt);
}

Result<MLSMessage> Group::send_proposal(Proposal proposal, Bytes authenticated_data,
                                        std::optional<crypto::DhPrivateKey> update_key) {
  State& s = *state_;
  if (s.reinit.has_value()) return Error(Errc::invalid_argument, "group ended by ReInit");
  FramedContent content{s.context.group_id, s.context.epoch, Sender::member(s.own),
                        std::move(authenticated_data), std::move(proposal)};
  CV_TRY(auto signed_content,
         s.protection.sign(WireFormat::mls_public_message, std::move(content), s.signer));
  CV_TRY(auto message, s.protection.protect_public(signed_content));
  const ProposalRef ref = s.suite.make_proposal_ref(encode(signed_content));
  s.store.add({ref, std::get<Proposal>(signed_content.content.content),
               signed_content.content.sender, std::move(update_key)});
  return MLSMessage{ProtocolVersion::mls10, std::move(message)};
}

Result<MLSMessage> Group::propose_update(Bytes authenticated_data) {
  State& s = *state_;
  CV_TRY(auto key, s.suite.generate_hpke_key_pair());
  LeafNode leaf = *s.tree.leaf(s.own);
  leaf.encryption_key = key.public_key().bytes();
  leaf.source = LeafNodeUpdateSource{};
  CV_TRY(leaf.signature,
         s.suite.sign_with_label(s.signer, kLeafNodeTbsLabel,
                                 encode_leaf_node_tbs(leaf, s.context.group_id, s.own)));
  // The stored proposal keeps the new leaf's private key until a commit
  // covers it.
  return send_proposal(Proposal{Update{std::move(leaf)}}, std::move(authenticated_data),
                       std::move(key));
}

Result<MLSMessage> Group::protect(BytesView data, BytesView authenticated_data, size_t padding) {
  State& s = *state_;
  if (s.reinit.has_value()) return Error(Errc::invalid_argument, "group ended by ReInit");
  FramedContent content{s.context.group_id, s.context.epoch, Sender::member(s.own),
                        Bytes(authenticated_data.begin(), authenticated_data.end()),
                        ApplicationData{Bytes(data.begin(), data.end())}};
  CV_TRY(auto signed_content,
         s.protection.sign(WireFormat::mls_private_message, std::move(content), s.signer));
  CV_TRY(auto message, s.protection.protect_private(signed_content, padding));
  return MLSMessage{ProtocolVersion::mls10, std::move(message)};
}

namespace {

// psk_secret of the PSKs a commit names: external ones from the options,
// resumption ones from the group's history. Errc::missing_psk
// (MLS-V-COMMIT-007) when one is not held.
Result<SecretBytes> commit_psk_secret(
    const CipherSuite& suite, const std::vector<PreSharedKeyID>& ids, const GroupOptions& options,
    const Bytes& group_id,
    const std::function<std::optional<SecretBytes>(uint64_t)>& resumption) {
  std::vector<PskWithSecret> psks;
  psks.reserve(ids.size());
  for (const auto& id : ids) {
    std::optional<SecretBytes> value;
    if (const auto* r = std::get_if<ResumptionPSK>(&id.content)) {
      if (equal(r->psk_group_id, group_id)) value = resumption(r->psk_epoch);
    } else if (options.external_psks) {
      value = options.external_psks(id);
    }
    if (!value.has_value()) return Error(Errc::missing_psk, "MLS-V-COMMIT-007");
    psks.push_back({id, std::move(*value)});
  }
  return KeySchedule::psk_secret(suite, psks);
}

}  // namespace

Result<CommitResult> Group::commit(const CommitOptions& options) const {
  const State& s = *state_;
  if (s.reinit.has_value()) return Error(Errc::invalid_argument, "group ended by ReInit");
  const CipherSuite& suite = s.suite;

  // The proposals: stored ones by reference (not our own Updates: the path
  // replaces them), then the inline ones.
  std::vector<ResolvedProposal> resolved;
  Commit commit;
  if (options.include_stored_proposals) {
    for (const auto& e : s.store.entries()) {
      if (e.sender.leaf_index() == std::optional<LeafIndex>(s.own) &&
          e.proposal.proposal_type() == ProposalType::update) {
        continue;
      }
      resolved.push_back({e.proposal, e.sender, e.ref});
      commit.proposals.push_back(ProposalOrRef{e.ref});
    }
  }
  for (const auto& p : options.proposals) {
    resolved.push_back({p, Sender::member(s.own), std::nullopt});
    commit.proposals.push_back(ProposalOrRef{p});
  }

  CV_TRY(ProposalEffects effects,
         apply_proposals(s.tree, s.context, resolved, Committer{s.own}, check_options()));
  if (effects.reinit.has_value() && options.force_path) {
    return Error(Errc::invalid_argument, "a ReInit commit has no path");
  }

  GroupContext next_context = s.context;
  next_context.epoch = s.context.epoch + 1;
  next_context.extensions = effects.extensions;

  RatchetTree tree = std::move(effects.tree);
  TreePrivateKeys tree_keys = s.tree_keys;
  SecretBytes commit_secret = zeros(suite.hash_size());
  std::optional<GeneratedUpdatePath> generated;
  if (effects.path_required || options.force_path) {
    std::optional<BytesView> leaf_secret;
    if (options.leaf_secret.has_value()) leaf_secret = BytesView(*options.leaf_secret);
    CV_TRY(auto gen, generate_update_path(tree, s.own, s.signer, next_context, effects.added,
                                          leaf_secret));
    commit.path = gen.path;
    commit_secret = gen.commit_secret;
    tree_keys = gen.keys;
    generated = std::move(gen);
  } else {
    prune_keys(tree_keys, tree);
  }
  next_context.tree_hash = tree.root_tree_hash();

  FramedContent framed{s.context.group_id, s.context.epoch, Sender::member(s.own),
                       options.authenticated_data, std::move(commit)};
  CV_TRY(AuthenticatedContent content,
         s.protection.sign(WireFormat::mls_public_message, std::move(framed), s.signer));

  TranscriptHashes hashes{s.context.confirmed_transcript_hash, s.interim};
  next_context.confirmed_transcript_hash = hashes.next_confirmed(suite, content);
  CV_TRY(SecretBytes psk_secret,
         commit_psk_secret(suite, effects.psks, *s.options, s.context.group_id,
                           [this](uint64_t e) { return resumption_psk(e); }));
  CV_TRY(KeySchedule keys,
         KeySchedule::from_init_secret(suite, s.keys.init_secret().view(), commit_secret.view(),
                                       psk_secret.view(), next_context));
  const MAC tag = make_confirmation_tag(suite, keys.confirmation_key().view(),
                                        next_context.confirmed_transcript_hash);
  content.auth.confirmation_tag = tag;
  CV_TRY(PublicMessage message, s.protection.protect_public(content));
  TranscriptHashes next_hashes =
      TranscriptHashes::with_tag(suite, next_context.confirmed_transcript_hash, tag);

  const SecretBytes joiner_secret = keys.joiner_secret();
  CV_TRY(auto state,
         make_state(EpochInputs{suite, std::move(next_context), std::move(tree),
                                std::move(next_hashes.interim), std::move(keys), s.own,
                                std::move(tree_keys), s.signer, s.options, s.resumption,
                                effects.reinit}));
  Group next(std::move(state));

  std::optional<MLSMessage> welcome_message;
  if (!effects.added.empty()) {
    CV_TRY(GroupInfo gi, next.group_info());
    CV_TRY(Bytes encrypted, encrypt_group_info(suite, joiner_secret.view(), psk_secret.view(), gi));
    Welcome welcome;
    welcome.cipher_suite = suite.id();
    welcome.encrypted_group_info = encrypted;
    for (size_t i = 0; i < effects.added.size(); ++i) {
      GroupSecrets secrets;
      secrets.joiner_secret = joiner_secret;
      secrets.psks = effects.psks;
      if (generated.has_value()) {
        const NodeIndex ancestor = tree_math::common_ancestor(s.own.node(), effects.added[i].node());
        const SecretBytes* ps = generated->keys.path_secret(ancestor);
        if (ps == nullptr) return Error(Errc::invalid_update_path, "no path secret for a joiner");
        secrets.path_secret = PathSecret{*ps};
      }
      CV_TRY(auto entry, encrypt_group_secrets(suite, effects.added_key_packages[i], encrypted,
                                               secrets));
      welcome.secrets.push_back(std::move(entry));
    }
    welcome_message = MLSMessage{ProtocolVersion::mls10, std::move(welcome)};
  }
  return CommitResult{MLSMessage{ProtocolVersion::mls10, std::move(message)},
                      std::move(welcome_message), std::move(next)};
}

// --------------------------------------------------------------- receiving

Result<AuthenticatedContent> Group::unprotect(const MLSMessage& message) {
  State& s = *state_;
  if (const auto* pub = message.public_message()) {
    return s.protection.unprotect_public(*pub, sender_lookup());
  }
  if (const auto* priv = message.private_message()) {
    return s.protection.unprotect_private(*priv, sender_lookup());
  }
  return Error(Errc::invalid_wire_format, "not a PublicMessage or PrivateMessage");
}

Result<Received> Group::handle(const MLSMessage& message) {
  State& s = *state_;
  if (message.version != ProtocolVersion::mls10) {
    return Error(Errc::invalid_argument, "protocol version");
  }
  CV_TRY(AuthenticatedContent content, unprotect(message));
  const FramedContent& framed = content.content;
  switch (framed.content_type()) {
    case ContentType::application: {
      const auto& data = std::get<ApplicationData>(framed.content);
      return Received{ReceivedApplication{*framed.sender.leaf_index(), data.application_data,
                                          framed.authenticated_data}};
    }
    case ContentType::proposal: {
      const auto& proposal = std::get<Proposal>(framed.content);
      // Proposals from the server's external sender key may only remove
      // (the application narrows further through its own policy); a
      // proposal that could not be committed is refused here already.
      if (proposal.proposal_type() == ProposalType::external_init) {
        return Error(Errc::invalid_proposal, "MLS-V-PROP-008");
      }
      const ProposalRef ref = s.suite.make_proposal_ref(encode(content));
      s.store.add({ref, proposal, framed.sender, std::nullopt});
      return Received{ReceivedProposal{ref, proposal, framed.sender}};
    }
    case ContentType::commit: {
      CV_TRY(StagedCommit staged, stage_commit(content));
      return Received{std::move(staged)};
    }
    case ContentType::reserved:
      break;
  }
  return Error(Errc::invalid_argument, "content type");
}

Result<StagedCommit> Group::stage_commit(const AuthenticatedContent& content) const {
  const State& s = *state_;
  const CipherSuite& suite = s.suite;
  const FramedContent& framed = content.content;
  const auto& commit = std::get<Commit>(framed.content);
  if (framed.sender.leaf_index() == std::optional<LeafIndex>(s.own)) {
    // Our own commit comes back from the delivery service: the caller
    // moves to CommitResult::next instead.
    return commit_error("MLS-V-COMMIT-003");
  }

  CV_TRY(std::vector<ResolvedProposal> proposals,
         resolve_proposals(commit, framed.sender, s.store));
  CV_TRY(CheckedCommit checked,
         check_commit(s.tree, s.context, framed, proposals, check_options()));
  ProposalEffects& effects = checked.effects;

  StagedCommit staged;
  staged.committer_ = framed.sender;
  staged.added_ = effects.added;
  staged.removed_ = effects.removed;
  staged.has_path_ = commit.path.has_value();
  staged.epoch_ = s.context.epoch + 1;
  staged.content_ = content;
  staged.proposals_ = std::move(proposals);
  if (std::find(effects.removed.begin(), effects.removed.end(), s.own) != effects.removed.end()) {
    return staged;
  }

  RatchetTree tree = std::move(effects.tree);
  GroupContext next_context = std::move(checked.next_context);
  TreePrivateKeys tree_keys = s.tree_keys;
  // Our own Update proposals covered by reference: our leaf has the new key.
  for (const auto& p : staged.proposals_) {
    if (p.ref.has_value() && p.sender.leaf_index() == std::optional<LeafIndex>(s.own) &&
        p.proposal.proposal_type() == ProposalType::update) {
      const ProposalStore::Entry* e = s.store.find(*p.ref);
      if (e != nullptr && e->update_key.has_value()) {
        tree_keys.set_key(s.own.node(), *e->update_key);
      }
    }
  }
  prune_keys(tree_keys, tree);

  SecretBytes commit_secret = zeros(suite.hash_size());
  if (commit.path.has_value()) {
    CV_TRY(AppliedUpdatePath applied, apply_update_path(tree, checked.committer, *commit.path,
                                                        next_context, tree_keys, effects.added));
    commit_secret = std::move(applied.commit_secret);
  }
  next_context.tree_hash = tree.root_tree_hash();

  TranscriptHashes hashes{s.context.confirmed_transcript_hash, s.interim};
  next_context.confirmed_transcript_hash = hashes.next_confirmed(suite, content);
  CV_TRY(SecretBytes psk_secret,
         commit_psk_secret(suite, effects.psks, *s.options, s.context.group_id,
                           [this](uint64_t e) { return resumption_psk(e); }));
  SecretBytes init_secret = s.keys.init_secret();
  if (effects.external_init.has_value()) {
    CV_TRY(init_secret, s.keys.external_init_secret(*effects.external_init));
  }
  CV_TRY(KeySchedule keys,
         KeySchedule::from_init_secret(suite, init_secret.view(), commit_secret.view(),
                                       psk_secret.view(), next_context));
  if (!content.auth.confirmation_tag.has_value()) return commit_error("MLS-V-FRAME-007");
  CV_TRY_STATUS(verify_confirmation_tag(suite, keys.confirmation_key().view(),
                                        next_context.confirmed_transcript_hash,
                                        *content.auth.confirmation_tag));
  TranscriptHashes next_hashes = TranscriptHashes::with_tag(
      suite, next_context.confirmed_transcript_hash, *content.auth.confirmation_tag);

  CV_TRY(auto state,
         make_state(EpochInputs{suite, std::move(next_context), std::move(tree),
                                std::move(next_hashes.interim), std::move(keys), s.own,
                                std::move(tree_keys), s.signer, s.options, s.resumption,
                                effects.reinit}));
  staged.next_ = std::make_unique<Group>(Group(std::move(state)));
  return staged;
}

std::optional<Group> Group::apply(StagedCommit&& staged) {
  if (staged.next_ == nullptr) return std::nullopt;
  std::optional<Group> out(std::move(*staged.next_));
  staged.next_.reset();
  return out;
}

// -------------------------------------------------------------------- join

namespace {

// The tree of a joiner: given out of band or in the GroupInfo extension.
Result<RatchetTree> joiner_tree(const CipherSuite& suite, const GroupInfo& gi,
                                std::optional<RatchetTree> given) {
  if (given.has_value()) {
    if (!(given->suite() == suite)) return Error(Errc::cipher_suite_mismatch, "MLS-V-WEL-008");
    return std::move(*given);
  }
  const Extension* ext = find_extension(gi.extensions, ExtensionType::ratchet_tree);
  if (ext == nullptr) return Error(Errc::invalid_tree, "MLS-V-WEL-012");
  return RatchetTree::decode(suite, ext->extension_data);
}

// Section 12.4.3.1: the tree checks a joiner makes, the cheap one first.
Status check_joined_tree(const RatchetTree& tree, const GroupContext& context,
                         const GroupOptions& options) {
  if (!equal(tree.root_tree_hash(), context.tree_hash)) {
    return Error(Errc::tree_hash_mismatch, "MLS-V-WEL-010");
  }
  CV_TRY_STATUS(tree.validate(context.group_id, &options.parallel));
  // Section 7.3 for every member: its credential is acceptable to the
  // application (MLS-V-CRED-*).
  if (options.verifier != nullptr) {
    for (uint32_t i = 0; i < tree.leaf_count(); ++i) {
      const LeafNode* leaf = tree.leaf(LeafIndex{i});
      if (leaf == nullptr) continue;
      CV_TRY_STATUS(options.verifier->verify(leaf->credential, leaf->signature_key,
                                             tree.suite().signature_scheme()));
    }
  }
  return {};
}

}  // namespace

Result<Group> Group::join(const Welcome& welcome, const KeyPackageBundle& bundle,
                          std::optional<RatchetTree> ratchet_tree,
                          std::shared_ptr<const GroupOptions> options) {
  options = or_default(std::move(options));
  CV_TRY(CipherSuite suite, CipherSuite::create(bundle.key_package.cipher_suite));
  // The tree is needed for the GroupInfo signer's key; decode it once.
  std::optional<RatchetTree> tree;
  auto signer_key = [&](const GroupInfo& gi) -> Result<Bytes> {
    if (!tree.has_value()) {
      CV_TRY(RatchetTree t, joiner_tree(suite, gi, std::move(ratchet_tree)));
      tree = std::move(t);
    }
    const LeafNode* leaf = tree->leaf(gi.signer);
    if (leaf == nullptr) return Error(Errc::unknown_sender, "MLS-V-WEL-007");
    return leaf->signature_key;
  };
  const PskLookup psks = options->external_psks
                             ? options->external_psks
                             : PskLookup([](const PreSharedKeyID&) -> std::optional<SecretBytes> {
                                 return std::nullopt;
                               });
  CV_TRY(ProcessedWelcome processed,
         process_welcome(welcome, bundle.key_package, bundle.init_key, psks, signer_key));
  if (!tree.has_value()) return Error(Errc::invalid_tree, "MLS-V-WEL-012");
  GroupContext context = processed.group_info.group_context;
  CV_TRY_STATUS(check_joined_tree(*tree, context, *options));

  const auto own = tree->find_leaf_by_encryption_key(bundle.key_package.leaf_node.encryption_key);
  if (!own.has_value() ||
      !(*tree->leaf(*own) == bundle.key_package.leaf_node)) {
    return Error(Errc::invalid_tree, "MLS-V-WEL-011");
  }

  TreePrivateKeys tree_keys(*own);
  tree_keys.set_key(own->node(), bundle.encryption_key);
  if (processed.group_secrets.path_secret.has_value()) {
    // The secret is the one at the lowest node of the committer's filtered
    // direct path above us; the ones above it follow by DeriveSecret.
    const LeafIndex signer = processed.group_info.signer;
    const NodeIndex ancestor = tree_math::common_ancestor(own->node(), signer.node());
    const auto path = tree->filtered_direct_path(signer);
    auto it = std::find(path.begin(), path.end(), ancestor);
    if (it == path.end()) return Error(Errc::invalid_update_path, "MLS-V-WEL-013");
    SecretBytes secret = processed.group_secrets.path_secret->path_secret;
    for (; it != path.end(); ++it) {
      CV_TRY_STATUS(tree_keys.set_path_secret(suite, *it, secret));
      CV_TRY(secret, suite.derive_secret(secret.view(), "path"));
    }
  }
  if (auto st = tree_keys.check_against(*tree); !st.ok()) {
    return Error(Errc::key_mismatch, "MLS-V-WEL-013");
  }

  CV_TRY(auto state,
         make_state(EpochInputs{suite, std::move(context), std::move(*tree),
                                std::move(processed.transcript_hashes.interim),
                                std::move(processed.key_schedule), *own, std::move(tree_keys),
                                bundle.signer, std::move(options), {}, std::nullopt}));
  return Group(std::move(state));
}

Result<ExternalJoinResult> Group::join_external(const GroupInfo& group_info,
                                                const KeyPackageBundle& bundle,
                                                std::optional<RatchetTree> ratchet_tree,
                                                std::optional<LeafIndex> remove_prior,
                                                std::vector<PreSharedKeyID> psk_ids,
                                                std::shared_ptr<const GroupOptions> options) {
  options = or_default(std::move(options));
  CV_TRY(CipherSuite suite, CipherSuite::create(group_info.group_context.cipher_suite));
  if (bundle.key_package.cipher_suite != suite.id()) {
    return Error(Errc::cipher_suite_mismatch, "MLS-V-WEL-008");
  }
  CV_TRY(RatchetTree tree, joiner_tree(suite, group_info, std::move(ratchet_tree)));
  const LeafNode* signer_leaf = tree.leaf(group_info.signer);
  if (signer_leaf == nullptr) return Error(Errc::unknown_sender, "MLS-V-WEL-007");
  CV_TRY_STATUS(verify_group_info_signature(suite, group_info, signer_leaf->signature_key));
  const GroupContext& context = group_info.group_context;
  CV_TRY_STATUS(check_joined_tree(tree, context, *options));
  CV_TRY(auto external_pub, find_extension<ExternalPub>(group_info.extensions));
  if (!external_pub.has_value()) return Error(Errc::invalid_argument, "no external_pub");

  CV_TRY(ExternalInitSecret init, KeySchedule::external_init(suite, external_pub->external_pub));
  std::vector<ResolvedProposal> proposals;
  Commit commit;
  auto add_inline = [&](Proposal p) {
    proposals.push_back({p, Sender::new_member_commit(), std::nullopt});
    commit.proposals.push_back(ProposalOrRef{std::move(p)});
  };
  add_inline(Proposal{ExternalInit{init.kem_output}});
  if (remove_prior.has_value()) add_inline(Proposal{Remove{*remove_prior}});
  for (auto& id : psk_ids) add_inline(Proposal{PreSharedKey{std::move(id)}});

  ProposalCheckOptions check;
  check.verifier = options->verifier.get();
  check.now = options->now ? options->now() : system_now();
  CV_TRY(ProposalEffects effects,
         apply_proposals(tree, context, proposals, Committer{std::nullopt}, check));
  RatchetTree next_tree = std::move(effects.tree);
  LeafNode leaf = bundle.key_package.leaf_node;
  CV_TRY(LeafIndex own, next_tree.add_leaf(leaf));

  GroupContext next_context = context;
  next_context.epoch = context.epoch + 1;
  next_context.extensions = effects.extensions;
  CV_TRY(GeneratedUpdatePath gen,
         generate_update_path(next_tree, own, bundle.signer, next_context, {}));
  commit.path = gen.path;
  next_context.tree_hash = next_tree.root_tree_hash();

  FramedContent framed{context.group_id, context.epoch, Sender::new_member_commit(), {},
                       std::move(commit)};
  AuthenticatedContent content;
  content.wire_format = WireFormat::mls_public_message;
  CV_TRY(content.auth.signature,
         suite.sign_with_label(bundle.signer, kFramedContentTbsLabel,
                               encode_framed_content_tbs(WireFormat::mls_public_message, framed,
                                                         &context)));
  content.content = std::move(framed);

  TranscriptHashes hashes = TranscriptHashes::with_tag(suite, context.confirmed_transcript_hash,
                                                       group_info.confirmation_tag);
  next_context.confirmed_transcript_hash = hashes.next_confirmed(suite, content);
  CV_TRY(SecretBytes psk_secret,
         commit_psk_secret(suite, effects.psks, *options, context.group_id,
                           [](uint64_t) { return std::optional<SecretBytes>(); }));
  CV_TRY(KeySchedule keys,
         KeySchedule::from_init_secret(suite, init.init_secret.view(), gen.commit_secret.view(),
                                       psk_secret.view(), next_context));
  const MAC tag = make_confirmation_tag(suite, keys.confirmation_key().view(),
                                        next_context.confirmed_transcript_hash);
  content.auth.confirmation_tag = tag;
  PublicMessage message{content.content, content.auth, std::nullopt};
  TranscriptHashes next_hashes =
      TranscriptHashes::with_tag(suite, next_context.confirmed_transcript_hash, tag);
  CV_TRY(auto state,
         make_state(EpochInputs{suite, std::move(next_context), std::move(next_tree),
                                std::move(next_hashes.interim), std::move(keys), own,
                                std::move(gen.keys), bundle.signer, std::move(options), {},
                                std::nullopt}));
  return ExternalJoinResult{MLSMessage{ProtocolVersion::mls10, std::move(message)},
                            Group(std::move(state))};
}

}  // namespace conclave::mls
