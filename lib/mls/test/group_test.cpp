#include "conclave/mls/group.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "conclave/crypto/random.h"
#include "conclave/mls/public_group.h"
#include "conclave/mls/transcript_hash.h"
#include "group_test_util.h"

namespace conclave::mls {
namespace {

using namespace group_test;  // NOLINT(google-build-using-namespace)

void expect_same_epoch(const Group& a, const Group& b) {
  EXPECT_EQ(a.epoch(), b.epoch());
  EXPECT_EQ(a.context(), b.context());
  EXPECT_EQ(a.epoch_authenticator(), b.epoch_authenticator());
  EXPECT_EQ(a.export_secret("SFrame 1.0 Base Key", {}, 32).value(),
            b.export_secret("SFrame 1.0 Base Key", {}, 32).value());
  EXPECT_EQ(a.tree(), b.tree());
  EXPECT_EQ(a.interim_transcript_hash(), b.interim_transcript_hash());
}

// Alice creates a group and adds Bob and Carol in one commit.
struct Trio {
  KeyPackageBundle alice_kp = bundle_for("alice");
  KeyPackageBundle bob_kp = bundle_for("bob");
  KeyPackageBundle carol_kp = bundle_for("carol");
  std::optional<Group> alice, bob, carol;

  explicit Trio(std::shared_ptr<const GroupOptions> options = nullptr,
                std::vector<Extension> extensions = {}) {
    alice = Group::create(suite1(), to_bytes("trio"), alice_kp, std::move(extensions), options)
                .value();
    CommitOptions add;
    add.proposals = {Proposal{Add{bob_kp.key_package}}, Proposal{Add{carol_kp.key_package}}};
    auto result = alice->commit(add);
    EXPECT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_TRUE(result->welcome.has_value());
    const Welcome& welcome = *result->welcome->welcome();
    bob = Group::join(welcome, bob_kp, std::nullopt, options).value();
    carol = Group::join(welcome, carol_kp, std::nullopt, options).value();
    alice = std::move(result->next);
  }
};

TEST(Group, CreateStartsAtEpochZeroWithOneMember) {
  const auto kp = bundle_for("alice");
  auto g = Group::create(suite1(), to_bytes("g"), kp).value();
  EXPECT_EQ(g.epoch(), 0u);
  EXPECT_EQ(g.own_leaf(), LeafIndex{0});
  EXPECT_EQ(g.tree().leaf_count(), 1u);
  EXPECT_EQ(g.context().tree_hash, g.tree().root_tree_hash());
  EXPECT_EQ(g.epoch_authenticator().size(), 32u);
}

TEST(Group, AddedMembersAgreeOnEverything) {
  Trio t;
  EXPECT_EQ(t.alice->epoch(), 1u);
  expect_same_epoch(*t.alice, *t.bob);
  expect_same_epoch(*t.alice, *t.carol);
  EXPECT_EQ(t.bob->own_leaf(), LeafIndex{1});
  EXPECT_EQ(t.carol->own_leaf(), LeafIndex{2});
}

TEST(Group, CommittingLeavesTheGroupUnchanged) {
  Trio t;
  const GroupContext before = t.alice->context();
  const SecretBytes auth = t.alice->epoch_authenticator();
  const CommitOptions update = self_update();
  auto first = t.alice->commit(update).value();
  auto second = t.alice->commit(update).value();
  EXPECT_EQ(t.alice->context(), before);
  EXPECT_EQ(t.alice->epoch_authenticator(), auth);
  // Two commits from one state are two different epochs; either can win.
  EXPECT_NE(first.next.epoch_authenticator(), second.next.epoch_authenticator());
  Group bob = follow(*t.bob, second.commit);
  expect_same_epoch(bob, second.next);
}

TEST(Group, ApplicationMessagesFlowAndReplaysAreDropped) {
  Trio t;
  auto message = t.alice->protect(to_bytes("hello"), to_bytes("ad")).value();
  ASSERT_NE(message.private_message(), nullptr);
  for (Group* g : {&*t.bob, &*t.carol}) {
    auto received = g->handle(message);
    ASSERT_TRUE(received.ok()) << received.error().to_string();
    const auto& app = std::get<ReceivedApplication>(*received);
    EXPECT_EQ(app.data, to_bytes("hello"));
    EXPECT_EQ(app.authenticated_data, to_bytes("ad"));
    EXPECT_EQ(app.sender, LeafIndex{0});
  }
  auto replay = t.bob->handle(message);
  expect_rule(replay, "MLS-V-ST-003");
}

TEST(Group, UpdatesAndRemovesMoveEveryoneToTheSameEpoch) {
  Trio t;
  const CommitOptions update = self_update();
  auto r1 = t.bob->commit(update).value();
  Group alice = follow(*t.alice, r1.commit);
  Group carol = follow(*t.carol, r1.commit);
  Group bob = std::move(r1.next);
  expect_same_epoch(alice, bob);
  expect_same_epoch(alice, carol);

  CommitOptions remove;
  remove.proposals = {Proposal{Remove{LeafIndex{1}}}};
  auto r2 = carol.commit(remove).value();
  EXPECT_EQ(std::get<PublicMessage>(r2.commit.message).content.content_type(),
            ContentType::commit);
  Group alice2 = follow(alice, r2.commit);
  expect_same_epoch(alice2, r2.next);
  EXPECT_EQ(alice2.tree().leaf(LeafIndex{1}), nullptr);

  // Bob learns he is removed and has no next group.
  auto received = bob.handle(r2.commit);
  ASSERT_TRUE(received.ok()) << received.error().to_string();
  auto& staged = std::get<StagedCommit>(*received);
  EXPECT_TRUE(staged.removes_me());
  EXPECT_FALSE(Group::apply(std::move(staged)).has_value());

  // The removed member cannot read the next epoch.
  auto after = alice2.protect(to_bytes("without bob")).value();
  EXPECT_FALSE(bob.handle(after).ok());
}

TEST(Group, UpdateProposalByReferenceGivesTheProposerItsNewKey) {
  Trio t;
  auto proposal = t.bob->propose_update().value();
  ASSERT_TRUE(std::holds_alternative<ReceivedProposal>(t.alice->handle(proposal).value()));
  ASSERT_TRUE(std::holds_alternative<ReceivedProposal>(t.carol->handle(proposal).value()));
  auto result = t.alice->commit().value();
  const auto& framed = std::get<PublicMessage>(result.commit.message).content;
  ASSERT_EQ(std::get<Commit>(framed.content).proposals.size(), 1u);
  Group bob = follow(*t.bob, result.commit);
  Group carol = follow(*t.carol, result.commit);
  expect_same_epoch(bob, result.next);
  expect_same_epoch(carol, result.next);
  // Bob's new leaf key works: he decrypts the next path secret sent to him.
  const CommitOptions update = self_update();
  auto r2 = carol.commit(update).value();
  Group bob2 = follow(bob, r2.commit);
  expect_same_epoch(bob2, r2.next);
}

TEST(Group, ExternalCommitJoinsAndResyncs) {
  Trio t;
  auto info = t.alice->group_info().value();
  const auto dave_kp = bundle_for("dave");
  auto joined = Group::join_external(info, dave_kp).value();
  EXPECT_EQ(std::get<PublicMessage>(joined.commit.message).content.sender.sender_type(),
            SenderType::new_member_commit);
  Group alice = follow(*t.alice, joined.commit);
  Group bob = follow(*t.bob, joined.commit);
  expect_same_epoch(alice, joined.group);
  expect_same_epoch(bob, joined.group);
  EXPECT_EQ(joined.group.own_leaf(), LeafIndex{3});

  // Dave lost his state: he rejoins, removing his old leaf.
  auto info2 = alice.group_info().value();
  const auto dave2_kp = bundle_for("dave");  // same identity, new keys
  auto rejoined = Group::join_external(info2, dave2_kp, std::nullopt, LeafIndex{3}).value();
  Group alice2 = follow(alice, rejoined.commit);
  expect_same_epoch(alice2, rejoined.group);
  EXPECT_EQ(alice2.tree().leaf_count(), 4u);

  // Someone else's leaf cannot be taken over by a resync.
  auto info3 = alice2.group_info().value();
  auto mallory = Group::join_external(info3, bundle_for("mallory"), std::nullopt, LeafIndex{1});
  ASSERT_TRUE(mallory.ok());
  auto refused = alice2.handle(mallory->commit);
  expect_rule(refused, "MLS-V-COMMIT-006");
}

TEST(Group, ExternalSenderRemoveIsCommittedByAMember) {
  const CipherSuite suite = suite1();
  auto server = suite.generate_signature_key().value();
  ExternalSenders senders;
  senders.external_senders.push_back(
      {server.public_key().bytes(), Credential::basic(to_bytes("server"))});
  Trio t(nullptr, {make_extension(senders)});

  FramedContent content{t.alice->group_id(), t.alice->epoch(), Sender::external(0), {},
                        Proposal{Remove{LeafIndex{2}}}};
  AuthenticatedContent auth;
  auth.content = content;
  auth.auth.signature =
      suite
          .sign_with_label(server, "FramedContentTBS",
                           encode_framed_content_tbs(WireFormat::mls_public_message, content,
                                                     nullptr))
          .value();
  MLSMessage proposal{ProtocolVersion::mls10, PublicMessage{content, auth.auth, std::nullopt}};
  ASSERT_TRUE(std::holds_alternative<ReceivedProposal>(t.alice->handle(proposal).value()));
  ASSERT_TRUE(std::holds_alternative<ReceivedProposal>(t.bob->handle(proposal).value()));
  auto result = t.alice->commit().value();
  Group bob = follow(*t.bob, result.commit);
  expect_same_epoch(bob, result.next);
  EXPECT_EQ(bob.tree().leaf(LeafIndex{2}), nullptr);

  // The same proposal signed by another key is refused.
  auto impostor = suite.generate_signature_key().value();
  auth.auth.signature =
      suite
          .sign_with_label(impostor, "FramedContentTBS",
                           encode_framed_content_tbs(WireFormat::mls_public_message, content,
                                                     nullptr))
          .value();
  MLSMessage forged{ProtocolVersion::mls10, PublicMessage{content, auth.auth, std::nullopt}};
  auto refused = t.carol->handle(forged);
  expect_rule(refused, "MLS-V-FRAME-008");
}

TEST(Group, ExternalPskIsNeededOnBothSides) {
  const Bytes psk_id = to_bytes("meeting psk");
  auto with_psk = std::make_shared<GroupOptions>();
  with_psk->external_psks = [psk_id](const PreSharedKeyID& id) -> std::optional<SecretBytes> {
    const auto* e = std::get_if<ExternalPSK>(&id.content);
    if (e != nullptr && e->psk_id == psk_id) return SecretBytes(to_bytes("secret"));
    return std::nullopt;
  };
  Trio t(with_psk);
  PreSharedKeyID id{ExternalPSK{psk_id}, crypto::random_bytes(32)};
  CommitOptions options;
  options.proposals = {Proposal{PreSharedKey{id}}};
  auto result = t.alice->commit(options).value();
  Group bob = follow(*t.bob, result.commit);
  expect_same_epoch(bob, result.next);

  // A client without the PSK cannot follow.
  auto bare = std::make_shared<GroupOptions>();
  KeyPackageBundle a = bundle_for("a"), b = bundle_for("b");
  auto ga = Group::create(suite1(), to_bytes("p"), a, {}, with_psk).value();
  CommitOptions add;
  add.proposals = {Proposal{Add{b.key_package}}};
  auto added = ga.commit(add).value();
  Group gb = Group::join(*added.welcome->welcome(), b, std::nullopt, bare).value();
  auto r = added.next.commit(options).value();
  auto refused = gb.handle(r.commit);
  expect_rule(refused, "MLS-V-COMMIT-007");
}

TEST(Group, GroupContextExtensionsReachEveryone) {
  Trio t;
  ApplicationId app{to_bytes("conclave")};
  CommitOptions options;
  options.proposals = {Proposal{GroupContextExtensions{{make_extension(app)}}}};
  auto result = t.alice->commit(options).value();
  Group carol = follow(*t.carol, result.commit);
  expect_same_epoch(carol, result.next);
  ASSERT_EQ(carol.context().extensions.size(), 1u);
  EXPECT_EQ(carol.context().extensions[0].extension_type, ExtensionType::application_id);
}

TEST(Group, ReInitEndsTheGroup) {
  Trio t;
  ReInit reinit{to_bytes("trio-2"), ProtocolVersion::mls10, suite1().id(), {}};
  CommitOptions options;
  options.proposals = {Proposal{reinit}};
  auto result = t.alice->commit(options).value();
  Group bob = follow(*t.bob, result.commit);
  ASSERT_TRUE(bob.pending_reinit().has_value());
  EXPECT_EQ(*bob.pending_reinit(), reinit);
  EXPECT_FALSE(bob.protect(to_bytes("x")).ok());
  EXPECT_FALSE(result.next.commit().ok());
}

// ------------------------------------------------------------- negatives

TEST(Group, CommitterCannotRemoveItself) {
  Trio t;
  CommitOptions options;
  options.proposals = {Proposal{Remove{LeafIndex{0}}}};
  auto r = t.alice->commit(options);
  expect_rule(r, "MLS-V-PROP-002");
}

TEST(Group, AddingAMemberTwiceIsRefused) {
  Trio t;
  CommitOptions options;
  options.proposals = {Proposal{Add{t.bob_kp.key_package}}};
  auto r = t.alice->commit(options);
  expect_rule(r, "MLS-V-PROP-004");
}

TEST(Group, TamperedCommitIsRefusedAndChangesNothing) {
  Trio t;
  const CommitOptions update = self_update();
  auto result = t.alice->commit(update).value();
  MLSMessage tampered = result.commit;
  auto& tag = *std::get<PublicMessage>(tampered.message).auth.confirmation_tag;
  tag[0] ^= 1;
  auto refused = t.bob->handle(tampered);
  ASSERT_FALSE(refused.ok());
  // The membership tag covers the confirmation tag.
  EXPECT_EQ(refused.error().detail(), "MLS-V-FRAME-006");
  EXPECT_EQ(t.bob->epoch(), 1u);
  Group bob = follow(*t.bob, result.commit);
  expect_same_epoch(bob, result.next);
}

TEST(Group, OwnCommitComesBackAsAnError) {
  Trio t;
  auto result = t.alice->commit().value();
  auto r = t.alice->handle(result.commit);
  expect_rule(r, "MLS-V-COMMIT-003");
}

TEST(Group, CommitOfAnUnknownProposalIsRefused) {
  Trio t;
  auto proposal = t.bob->propose(Proposal{Remove{LeafIndex{2}}}).value();
  ASSERT_TRUE(t.alice->handle(proposal).ok());
  auto result = t.alice->commit().value();  // covers Bob's proposal by reference
  auto refused = t.carol->handle(result.commit);  // Carol never saw it
  expect_rule(refused, "MLS-V-COMMIT-005");
}

TEST(Group, CommitOfAnotherEpochIsRefused) {
  Trio t;
  const CommitOptions update = self_update();
  auto r1 = t.alice->commit(update).value();
  auto r2 = r1.next.commit(update).value();
  auto refused = t.bob->handle(r2.commit);
  expect_rule(refused, "MLS-V-FRAME-003");
}

TEST(Group, WelcomeWithAnotherTreeIsRefused) {
  const auto a = bundle_for("a"), b = bundle_for("b");
  auto ga = Group::create(suite1(), to_bytes("w"), a).value();
  CommitOptions add;
  add.proposals = {Proposal{Add{b.key_package}}};
  auto result = ga.commit(add).value();
  // An out-of-band tree that is not the group's: the tree hash differs.
  auto other = Group::create(suite1(), to_bytes("w"), bundle_for("x")).value();
  auto joined = Group::join(*result.welcome->welcome(), b, other.tree());
  ASSERT_FALSE(joined.ok());
}

TEST(Group, KeyPackageCarriesTheSuiteAndVerifies) {
  const auto kp = bundle_for("k");
  EXPECT_EQ(kp.key_package.cipher_suite, suite1().id());
  EXPECT_EQ(kp.key_package.init_key, kp.init_key.public_key().bytes());
  EXPECT_NE(kp.key_package.init_key, kp.key_package.leaf_node.encryption_key);
  EXPECT_TRUE(suite1()
                  .verify_with_label(kp.key_package.leaf_node.signature_key, "KeyPackageTBS",
                                     encode_key_package_tbs(kp.key_package),
                                     kp.key_package.signature)
                  .ok());
}

}  // namespace
}  // namespace conclave::mls

namespace conclave::mls {
namespace {

// Every cipher suite through the whole life of a group: create, add with a
// Welcome, commits with and without a path, a removal, application data.
class GroupAllSuites : public ::testing::TestWithParam<CipherSuiteId> {};

TEST_P(GroupAllSuites, CreateAddUpdateRemoveAndTalk) {
  const CipherSuite suite = CipherSuite::create(GetParam()).value();
  const auto a = bundle_for("a", suite), b = bundle_for("b", suite), c = bundle_for("c", suite);
  Group alice = Group::create(suite, to_bytes("suites"), a).value();
  CommitOptions add;
  add.proposals = {Proposal{Add{b.key_package}}, Proposal{Add{c.key_package}}};
  add.force_path = true;
  auto r1 = alice.commit(add).value();
  Group bob = Group::join(*r1.welcome->welcome(), b).value();
  Group carol = Group::join(*r1.welcome->welcome(), c).value();
  alice = std::move(r1.next);
  expect_same_epoch(alice, bob);
  expect_same_epoch(alice, carol);

  const CommitOptions update = self_update();
  auto r2 = carol.commit(update).value();
  alice = follow(alice, r2.commit);
  bob = follow(bob, r2.commit);
  carol = std::move(r2.next);
  expect_same_epoch(alice, carol);

  CommitOptions remove;
  remove.proposals = {Proposal{Remove{LeafIndex{2}}}};
  auto r3 = bob.commit(remove).value();
  alice = follow(alice, r3.commit);
  bob = std::move(r3.next);
  expect_same_epoch(alice, bob);

  auto message = bob.protect(to_bytes("suite check")).value();
  auto received = alice.handle(message);
  ASSERT_TRUE(received.ok()) << received.error().to_string();
  EXPECT_EQ(std::get<ReceivedApplication>(*received).data, to_bytes("suite check"));
}

INSTANTIATE_TEST_SUITE_P(
    Suites, GroupAllSuites,
    ::testing::Values(CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519,
                      CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256,
                      CipherSuiteId::mls_128_dhkemx25519_chacha20poly1305_sha256_ed25519,
                      CipherSuiteId::mls_256_dhkemx448_aes256gcm_sha512_ed448,
                      CipherSuiteId::mls_256_dhkemp521_aes256gcm_sha512_p521,
                      CipherSuiteId::mls_256_dhkemx448_chacha20poly1305_sha512_ed448,
                      CipherSuiteId::mls_256_dhkemp384_aes256gcm_sha384_p384));

}  // namespace
}  // namespace conclave::mls

namespace conclave::mls {
namespace {

// An application's Authentication Service that refuses one identity.
class RefuseIdentity final : public CredentialVerifier {
 public:
  explicit RefuseIdentity(std::string name) : name_(std::move(name)) {}
  Status verify(const Credential& credential, BytesView, crypto::SignatureScheme) const override {
    const auto* basic = std::get_if<BasicCredential>(&credential.content);
    if (basic != nullptr && basic->identity == to_bytes(name_)) {
      return Error(Errc::invalid_credential, "MLS-V-CRED-001");
    }
    return {};
  }

 private:
  std::string name_;
};

TEST(Group, TheApplicationVerifiesEveryCredential) {
  auto options = std::make_shared<GroupOptions>();
  options->verifier = std::make_shared<RefuseIdentity>("mallory");
  const auto a = bundle_for("alice"), m = bundle_for("mallory"), b = bundle_for("bob");
  Group alice = Group::create(suite1(), to_bytes("as"), a, {}, options).value();
  // Alice's verifier refuses to add Mallory.
  CommitOptions add_mallory;
  add_mallory.proposals = {Proposal{Add{m.key_package}}};
  auto refused = alice.commit(add_mallory);
  expect_rule(refused, "MLS-V-CRED-001");

  // A group without that policy adds Mallory; Bob's client, with the
  // policy, refuses to join a group that has her.
  Group lax = Group::create(suite1(), to_bytes("lax"), bundle_for("carol")).value();
  CommitOptions add_both;
  add_both.proposals = {Proposal{Add{m.key_package}}, Proposal{Add{b.key_package}}};
  auto r = lax.commit(add_both).value();
  auto joined = Group::join(*r.welcome->welcome(), b, std::nullopt, options);
  expect_rule(joined, "MLS-V-CRED-001");
  EXPECT_TRUE(Group::join(*r.welcome->welcome(), b).ok());
}

}  // namespace
}  // namespace conclave::mls

namespace conclave::mls {
namespace {

TEST(Group, ResumptionPskOfAnEarlierEpoch) {
  Trio t;
  const CommitOptions update = self_update();
  auto r1 = t.alice->commit(update).value();
  Group bob = follow(*t.bob, r1.commit);
  Group alice = std::move(r1.next);
  // Epoch 2 injects the resumption PSK of epoch 1, which both kept.
  ASSERT_TRUE(alice.resumption_psk(1).has_value());
  PreSharedKeyID id{ResumptionPSK{ResumptionPSKUsage::application, alice.group_id(), 1},
                    crypto::random_bytes(32)};
  CommitOptions options;
  options.proposals = {Proposal{PreSharedKey{id}}};
  auto r2 = alice.commit(options).value();
  Group bob2 = follow(bob, r2.commit);
  expect_same_epoch(bob2, r2.next);
  // An epoch nobody kept cannot be named.
  PreSharedKeyID unknown{ResumptionPSK{ResumptionPSKUsage::application, alice.group_id(), 99},
                         crypto::random_bytes(32)};
  options.proposals = {Proposal{PreSharedKey{unknown}}};
  auto refused = alice.commit(options);
  expect_rule(refused, "MLS-V-COMMIT-007");
}

}  // namespace
}  // namespace conclave::mls

namespace conclave::mls {
namespace {

// A group driven through 120 commits chosen by a seeded generator, in the
// spirit of passive-client-random: Adds by reference and inline, Removes,
// Updates, commits with and without a path, by whichever member the
// generator picks. Every member and the server's PublicGroup must agree on
// the epoch after every commit.
TEST(Group, SoakOfRandomCommitsKeepsEveryoneInAgreement) {
  std::mt19937 rng(20261129);
  std::map<uint32_t, Group> members;  // by leaf
  auto first = bundle_for("m0");
  members.emplace(0, Group::create(suite1(), to_bytes("soak"), first).value());
  PublicGroup server = PublicGroup::create(members.at(0).group_info().value()).value();
  int next_name = 1;

  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  for (int round = 0; round < 120; ++round) {
    auto it = members.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(pick(members.size())));
    const uint32_t committer_leaf = it->first;
    Group& committer = it->second;

    CommitOptions options;
    std::vector<KeyPackageBundle> joining;
    const size_t action = members.size() < 3 ? 0 : pick(4);
    if (action == 0) {  // add one or two, inline
      for (size_t k = 0; k <= pick(2); ++k) {
        joining.push_back(bundle_for("m" + std::to_string(next_name++)));
        options.proposals.push_back(Proposal{Add{joining.back().key_package}});
      }
      options.force_path = pick(2) == 0;
    } else if (action == 1) {  // remove someone else
      auto victim = members.begin();
      do {
        victim = members.begin();
        std::advance(victim, static_cast<std::ptrdiff_t>(pick(members.size())));
      } while (victim->first == committer_leaf);
      options.proposals.push_back(Proposal{Remove{LeafIndex{victim->first}}});
    } else if (action == 2) {  // another member proposes an Add; the committer covers it
      auto proposer = members.begin();
      std::advance(proposer, static_cast<std::ptrdiff_t>(pick(members.size())));
      joining.push_back(bundle_for("m" + std::to_string(next_name++)));
      auto proposal = proposer->second.propose(Proposal{Add{joining.back().key_package}}).value();
      ASSERT_TRUE(server.handle_proposal(std::get<PublicMessage>(proposal.message)).ok());
      for (auto& [leaf, g] : members) {
        if (leaf != proposer->first) {
          ASSERT_TRUE(g.handle(proposal).ok());
        }
      }
    } else {  // a self update
      options.force_path = true;
    }

    auto result = committer.commit(options);
    ASSERT_TRUE(result.ok()) << "round " << round << ": " << result.error().to_string();
    auto staged = server.stage_commit(std::get<PublicMessage>(result->commit.message));
    ASSERT_TRUE(staged.ok()) << "round " << round << ": " << staged.error().to_string();
    server = std::move(staged->next);

    std::map<uint32_t, Group> next;
    for (auto& [leaf, g] : members) {
      if (leaf == committer_leaf) continue;
      auto received = g.handle(result->commit);
      ASSERT_TRUE(received.ok()) << "round " << round << ": " << received.error().to_string();
      auto applied = Group::apply(std::get<StagedCommit>(std::move(received).value()));
      if (applied.has_value()) next.emplace(leaf, std::move(*applied));
    }
    next.emplace(committer_leaf, std::move(result->next));
    for (const auto& b : joining) {
      Group g = Group::join(*result->welcome->welcome(), b).value();
      const uint32_t leaf = g.own_leaf().value;
      next.emplace(leaf, std::move(g));
    }
    members = std::move(next);

    const Group& reference = members.begin()->second;
    EXPECT_EQ(server.context(), reference.context()) << "round " << round;
    EXPECT_EQ(server.members().size(), members.size()) << "round " << round;
    for (const auto& [leaf, g] : members) {
      EXPECT_EQ(g.own_leaf().value, leaf);
      EXPECT_EQ(g.epoch_authenticator(), reference.epoch_authenticator()) << "round " << round;
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_EQ(server.epoch(), 120u);
}

}  // namespace
}  // namespace conclave::mls
