// Leaf node and KeyPackage validation (RFC 9420 sections 7.3, 10.1): a
// positive case per source and one negative test per rule ID
// (MLS-V-LEAF-001..015, MLS-V-KP-001..007, MLS-V-TREE-011), with leaves
// signed by real keys of suite 1.
#include "conclave/mls/leaf_validation.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "conclave/mls/group_context.h"
#include "conclave/mls/treekem.h"

namespace conclave::mls {
namespace {

const Bytes kGroupId = to_bytes("group");
constexpr auto kUnknownExt = static_cast<ExtensionType>(0xff00);
constexpr auto kUnknownProposal = static_cast<ProposalType>(0xff01);
constexpr auto kGreaseExt = static_cast<ExtensionType>(0x0a0a);

CipherSuite suite() {
  return CipherSuite::create(CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519).value();
}

void expect_rule(const Status& st, Errc code, std::string_view rule) {
  ASSERT_FALSE(st.ok()) << "expected " << rule;
  EXPECT_TRUE(st.error().is(code)) << st.error().to_string();
  EXPECT_EQ(st.error().detail(), rule);
}

void expect_ok(const Status& st) { EXPECT_TRUE(st.ok()) << st.error().to_string(); }

struct Client {
  crypto::SignaturePrivateKey signer;
  crypto::DhPrivateKey hpke;
  LeafNode leaf;

  // Signs the leaf again after a change (group context for update/commit).
  void sign(LeafIndex index = {}) {
    const bool in_group = leaf.leaf_node_source() != LeafNodeSource::key_package;
    leaf.signature = suite()
                         .sign_with_label(signer, "LeafNodeTBS",
                                          encode_leaf_node_tbs(leaf, in_group ? BytesView(kGroupId)
                                                                              : BytesView{},
                                                               in_group ? index : LeafIndex{}))
                         .value();
  }
  // The same member with a fresh encryption key and another source.
  LeafNode renewed(std::variant<Lifetime, LeafNodeUpdateSource, LeafNodeCommitSource> source,
                   LeafIndex index) {
    Client copy{signer, suite().generate_hpke_key_pair().value(), leaf};
    copy.leaf.encryption_key = copy.hpke.public_key().bytes();
    copy.leaf.source = std::move(source);
    copy.sign(index);
    return copy.leaf;
  }
};

Client make_client(const std::string& name) {
  const CipherSuite s = suite();
  Client c{s.generate_signature_key().value(), s.generate_hpke_key_pair().value(), {}};
  c.leaf.encryption_key = c.hpke.public_key().bytes();
  c.leaf.signature_key = c.signer.public_key().bytes();
  c.leaf.credential = Credential::basic(to_bytes(name));
  c.leaf.capabilities.versions = {ProtocolVersion::mls10};
  c.leaf.capabilities.cipher_suites = {s.id()};
  c.leaf.capabilities.credentials = {CredentialType::basic};
  c.leaf.source = Lifetime{1000, 2000};
  c.sign();
  return c;
}

KeyPackage make_key_package(const Client& c) {
  const CipherSuite s = suite();
  KeyPackage kp;
  kp.cipher_suite = s.id();
  kp.init_key = s.generate_hpke_key_pair().value().public_key().bytes();
  kp.leaf_node = c.leaf;
  return kp;
}

void sign_key_package(KeyPackage& kp, const Client& c) {
  kp.signature =
      suite().sign_with_label(c.signer, "KeyPackageTBS", encode_key_package_tbs(kp)).value();
}

// A group of n clients (leaves 0..n-1).
struct Group {
  explicit Group(size_t n) {
    for (size_t i = 0; i < n; ++i) clients.push_back(make_client("member" + std::to_string(i)));
    tree.emplace(RatchetTree::with_leaf(suite(), clients[0].leaf));
    for (size_t i = 1; i < n; ++i) EXPECT_TRUE(tree->add_leaf(clients[i].leaf).ok());
  }
  std::vector<Client> clients;
  std::optional<RatchetTree> tree;
};

class LeafValidation : public ::testing::Test {
 protected:
  CipherSuite suite_ = suite();
  LeafValidationContext ctx_{suite_, kGroupId, {}};
};

// ------------------------------------------------------------- positives

TEST_F(LeafValidation, AcceptsAKeyPackageLeaf) {
  const Client c = make_client("alice");
  expect_ok(validate_leaf_node(c.leaf, ctx_));
  ctx_.now = 1500;
  expect_ok(validate_leaf_node(c.leaf, ctx_));
  Group g(3);
  ctx_.tree = &*g.tree;
  const BasicCredentialVerifier verifier;
  ctx_.verifier = &verifier;
  expect_ok(validate_leaf_node(c.leaf, ctx_));
}

TEST_F(LeafValidation, AcceptsUpdateAndCommitLeaves) {
  Group g(3);
  ctx_.tree = &*g.tree;
  const BasicCredentialVerifier verifier;
  ctx_.verifier = &verifier;
  ctx_.leaf_index = LeafIndex{1};
  ctx_.replacing = LeafIndex{1};
  ctx_.source = LeafNodeSource::update;
  expect_ok(validate_leaf_node(g.clients[1].renewed(LeafNodeUpdateSource{}, LeafIndex{1}), ctx_));
  ctx_.source = LeafNodeSource::commit;
  expect_ok(validate_leaf_node(
      g.clients[1].renewed(LeafNodeCommitSource{to_bytes("ph")}, LeafIndex{1}), ctx_));
}

// ------------------------------------------------------------ the rules

TEST_F(LeafValidation, SourceMustBeTheExpectedOne) {  // MLS-V-LEAF-001
  Client c = make_client("alice");
  ctx_.source = LeafNodeSource::update;
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-001");
  ctx_.source = LeafNodeSource::commit;
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-001");
  const LeafNode update = c.renewed(LeafNodeUpdateSource{}, LeafIndex{0});
  ctx_.source = LeafNodeSource::key_package;
  expect_rule(validate_leaf_node(update, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-001");
}

TEST_F(LeafValidation, DuplicateExtensionTypesAreRefused) {  // MLS-V-LEAF-002
  Client c = make_client("alice");
  c.leaf.extensions = {make_extension(ApplicationId{to_bytes("a")}),
                       make_extension(ApplicationId{to_bytes("b")})};
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-002");
}

TEST_F(LeafValidation, EncryptionKeyMustBeOfTheSuite) {  // MLS-V-LEAF-003
  Client c = make_client("alice");
  c.leaf.encryption_key = to_bytes("short");
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-003");
}

TEST_F(LeafValidation, VersionMustBeSupported) {  // MLS-V-LEAF-004
  Client c = make_client("alice");
  c.leaf.capabilities.versions = {static_cast<ProtocolVersion>(2)};
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::incompatible_capabilities, "MLS-V-LEAF-004");
}

TEST_F(LeafValidation, CipherSuiteMustBeSupported) {  // MLS-V-LEAF-005
  Client c = make_client("alice");
  c.leaf.capabilities.cipher_suites = {CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256};
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::incompatible_capabilities, "MLS-V-LEAF-005");
}

TEST_F(LeafValidation, OwnCredentialTypeMustBeListed) {  // MLS-V-LEAF-006
  Client c = make_client("alice");
  c.leaf.capabilities.credentials = {CredentialType::x509};
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::incompatible_capabilities, "MLS-V-LEAF-006");
}

TEST_F(LeafValidation, NonDefaultLeafExtensionsMustBeListed) {  // MLS-V-LEAF-007
  Client c = make_client("alice");
  c.leaf.extensions = {Extension{kUnknownExt, to_bytes("x")}};
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::incompatible_capabilities, "MLS-V-LEAF-007");
  c.leaf.capabilities.extensions = {kUnknownExt};
  c.sign();
  expect_ok(validate_leaf_node(c.leaf, ctx_));
  // Default types (application_id) are never listed.
  c.leaf.extensions.push_back(make_extension(ApplicationId{to_bytes("app")}));
  c.sign();
  expect_ok(validate_leaf_node(c.leaf, ctx_));
}

TEST_F(LeafValidation, RequiredCapabilitiesMustBeMet) {  // MLS-V-LEAF-008
  const Client c = make_client("alice");
  auto with = [&](RequiredCapabilities rc) {
    std::vector<Extension> ext{make_extension(rc)};
    LeafValidationContext ctx{suite_, kGroupId, ext};
    return validate_leaf_node(c.leaf, ctx);
  };
  expect_rule(with({{kUnknownExt}, {}, {}}), Errc::incompatible_capabilities, "MLS-V-LEAF-008");
  expect_rule(with({{}, {kUnknownProposal}, {}}), Errc::incompatible_capabilities,
              "MLS-V-LEAF-008");
  expect_rule(with({{}, {}, {CredentialType::x509}}), Errc::incompatible_capabilities,
              "MLS-V-LEAF-008");
  // Default extension and proposal types need not be listed; credential
  // types always must.
  expect_ok(with({{ExtensionType::external_senders, ExtensionType::ratchet_tree},
                  {ProposalType::add, ProposalType::group_context_extensions},
                  {CredentialType::basic}}));
  // A malformed required_capabilities extension is met by nobody.
  std::vector<Extension> bad{Extension{ExtensionType::required_capabilities, to_bytes("\x01")}};
  LeafValidationContext ctx{suite_, kGroupId, bad};
  expect_rule(validate_leaf_node(c.leaf, ctx), Errc::incompatible_capabilities, "MLS-V-LEAF-008");
}

TEST_F(LeafValidation, GroupExtensionsMustBeSupported) {  // MLS-V-LEAF-009
  Client c = make_client("alice");
  std::vector<Extension> ext{Extension{kUnknownExt, {}},
                             make_extension(ExternalSenders{})};
  ctx_.group_extensions = ext;
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::incompatible_capabilities, "MLS-V-LEAF-009");
  c.leaf.capabilities.extensions = {kUnknownExt};
  c.sign();
  expect_ok(validate_leaf_node(c.leaf, ctx_));
}

TEST_F(LeafValidation, LifetimeMustIncludeNow) {  // MLS-V-LEAF-010
  const Client c = make_client("alice");  // [1000, 2000]
  for (uint64_t now : {uint64_t{1000}, uint64_t{2000}}) {
    ctx_.now = now;
    expect_ok(validate_leaf_node(c.leaf, ctx_));
  }
  for (uint64_t now : {uint64_t{999}, uint64_t{2001}}) {
    ctx_.now = now;
    expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_lifetime, "MLS-V-LEAF-010");
  }
}

TEST_F(LeafValidation, LifetimeMustNotExceedTheMaximum) {  // MLS-V-LEAF-011
  Client c = make_client("alice");  // 1000 seconds
  ctx_.max_lifetime = 1000;
  expect_ok(validate_leaf_node(c.leaf, ctx_));
  ctx_.max_lifetime = 999;
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_lifetime, "MLS-V-LEAF-011");
  c.leaf.source = Lifetime{2000, 1000};  // inverted
  c.sign();
  ctx_.max_lifetime = 5000;
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_lifetime, "MLS-V-LEAF-011");
}

TEST_F(LeafValidation, CredentialTypesMustBeMutuallySupported) {  // MLS-V-TREE-011
  Group g(2);
  ctx_.tree = &*g.tree;
  // A newcomer with an x509 credential: member leaves support only basic.
  Client x = make_client("x509 user");
  x.leaf.credential = Credential{X509Credential{{Certificate{to_bytes("der")}}}};
  x.leaf.capabilities.credentials = {CredentialType::basic, CredentialType::x509};
  x.sign();
  expect_rule(validate_leaf_node(x.leaf, ctx_), Errc::incompatible_capabilities, "MLS-V-TREE-011");
  // A basic newcomer fits.
  expect_ok(validate_leaf_node(make_client("y").leaf, ctx_));
  // A member supporting x509 as well accepts the x509 newcomer.
  Client m = make_client("m");
  m.leaf.capabilities.credentials = {CredentialType::basic, CredentialType::x509};
  m.sign();
  RatchetTree t = RatchetTree::with_leaf(suite_, m.leaf);
  ctx_.tree = &t;
  expect_ok(validate_leaf_node(x.leaf, ctx_));
  // ...but a newcomer not supporting the members' basic type is refused.
  Client z = make_client("z");
  z.leaf.credential = x.leaf.credential;
  z.leaf.capabilities.credentials = {CredentialType::x509};
  z.sign();
  expect_rule(validate_leaf_node(z.leaf, ctx_), Errc::incompatible_capabilities, "MLS-V-TREE-011");
  // The member being replaced does not count.
  ctx_.replacing = LeafIndex{0};
  ctx_.leaf_index = LeafIndex{0};
  ctx_.source = LeafNodeSource::update;
  Client z2{z.signer, z.hpke, z.leaf};
  z2.leaf.source = LeafNodeUpdateSource{};
  z2.sign(LeafIndex{0});
  expect_ok(validate_leaf_node(z2.leaf, ctx_));
}

TEST_F(LeafValidation, UpdateMustChangeTheEncryptionKey) {  // MLS-V-LEAF-012
  Group g(2);
  ctx_.tree = &*g.tree;
  ctx_.leaf_index = LeafIndex{1};
  ctx_.replacing = LeafIndex{1};
  ctx_.source = LeafNodeSource::update;
  Client same = g.clients[1];
  same.leaf.source = LeafNodeUpdateSource{};
  same.sign(LeafIndex{1});
  expect_rule(validate_leaf_node(same.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-012");
  // A commit may keep it (section 7.3 asks only Updates to change it).
  ctx_.source = LeafNodeSource::commit;
  same.leaf.source = LeafNodeCommitSource{};
  same.sign(LeafIndex{1});
  expect_ok(validate_leaf_node(same.leaf, ctx_));
}

TEST_F(LeafValidation, EncryptionKeyMustBeUnique) {  // MLS-V-LEAF-013
  Group g(3);
  // Member 0 commits: parent nodes with fresh keys appear.
  GroupContext gc;
  gc.cipher_suite = suite_.id();
  gc.group_id = kGroupId;
  ASSERT_TRUE(generate_update_path(*g.tree, LeafIndex{0}, g.clients[0].signer, gc).ok());
  ctx_.tree = &*g.tree;

  // A newcomer reusing member 2's encryption key.
  Client c = make_client("copycat");
  c.leaf.encryption_key = g.clients[2].leaf.encryption_key;
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-013");

  // ... or the key of a parent node (the root, on member 0's path).
  const NodeIndex root = tree_math::root(g.tree->leaf_count());
  ASSERT_NE(g.tree->encryption_key(root), nullptr);
  c.leaf.encryption_key = *g.tree->encryption_key(root);
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-013");

  // Member 0's commit may reuse the keys its own commit replaces.
  ctx_.replacing = LeafIndex{0};
  ctx_.leaf_index = LeafIndex{0};
  ctx_.source = LeafNodeSource::commit;
  Client own{g.clients[0].signer, g.clients[0].hpke, *g.tree->leaf(LeafIndex{0})};
  own.leaf.encryption_key = *g.tree->encryption_key(root);
  own.sign(LeafIndex{0});
  expect_ok(validate_leaf_node(own.leaf, ctx_));
  // but not member 1's leaf key.
  own.leaf.encryption_key = g.clients[1].leaf.encryption_key;
  own.sign(LeafIndex{0});
  expect_rule(validate_leaf_node(own.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-013");
}

TEST_F(LeafValidation, SignatureKeyMustBeUnique) {  // MLS-V-LEAF-014
  Group g(2);
  ctx_.tree = &*g.tree;
  // A second device of member 1 using the same signature key.
  Client c = make_client("member1 again");
  c.signer = g.clients[1].signer;
  c.leaf.signature_key = g.clients[1].leaf.signature_key;
  c.sign();
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-014");
  // Member 1 updating its own leaf keeps its signature key.
  ctx_.replacing = LeafIndex{1};
  ctx_.leaf_index = LeafIndex{1};
  ctx_.source = LeafNodeSource::update;
  expect_ok(validate_leaf_node(g.clients[1].renewed(LeafNodeUpdateSource{}, LeafIndex{1}), ctx_));
}

TEST_F(LeafValidation, SignatureMustVerify) {  // MLS-V-LEAF-015
  Client c = make_client("alice");
  c.leaf.signature.back() ^= 1;
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_signature, "MLS-V-LEAF-015");
  // A field changed after signing.
  c = make_client("alice");
  c.leaf.credential = Credential::basic(to_bytes("mallory"));
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_leaf_signature, "MLS-V-LEAF-015");
  // Update leaves are bound to the group and the leaf index.
  c = make_client("alice");
  const LeafNode update = c.renewed(LeafNodeUpdateSource{}, LeafIndex{3});
  ctx_.source = LeafNodeSource::update;
  ctx_.leaf_index = LeafIndex{3};
  expect_ok(validate_leaf_node(update, ctx_));
  ctx_.leaf_index = LeafIndex{2};
  expect_rule(validate_leaf_node(update, ctx_), Errc::invalid_leaf_signature, "MLS-V-LEAF-015");
  ctx_.leaf_index = LeafIndex{3};
  const Bytes other_group = to_bytes("other");
  ctx_.group_id = other_group;
  expect_rule(validate_leaf_node(update, ctx_), Errc::invalid_leaf_signature, "MLS-V-LEAF-015");
}

TEST_F(LeafValidation, CredentialGoesThroughTheVerifier) {  // MLS-V-CRED-*
  Client c = make_client("");
  expect_ok(validate_leaf_node(c.leaf, ctx_));  // no verifier: not checked
  const BasicCredentialVerifier verifier;
  ctx_.verifier = &verifier;
  expect_rule(validate_leaf_node(c.leaf, ctx_), Errc::invalid_credential, "MLS-V-CRED-001");
}

TEST_F(LeafValidation, ReplacedCredentialNeedsAValidSuccessor) {  // MLS-V-CRED-009
  Group g(2);
  const BasicCredentialVerifier verifier;
  ctx_.tree = &*g.tree;
  ctx_.verifier = &verifier;
  ctx_.replacing = LeafIndex{1};
  ctx_.leaf_index = LeafIndex{1};
  ctx_.source = LeafNodeSource::update;
  Client c = g.clients[1];
  c.leaf.credential = Credential::basic(to_bytes("someone else"));
  const LeafNode update = c.renewed(LeafNodeUpdateSource{}, LeafIndex{1});
  expect_rule(validate_leaf_node(update, ctx_), Errc::invalid_credential, "MLS-V-CRED-009");
}

// ------------------------------------------------------------ KeyPackage

class KeyPackageValidation : public LeafValidation {
 protected:
  Client client_ = make_client("alice");
  KeyPackage kp_ = make_key_package(client_);
  void SetUp() override { sign_key_package(kp_, client_); }
};

TEST_F(KeyPackageValidation, AcceptsAValidKeyPackage) {
  expect_ok(validate_key_package(kp_, ctx_));
  Group g(2);
  const BasicCredentialVerifier verifier;
  ctx_.tree = &*g.tree;
  ctx_.verifier = &verifier;
  ctx_.now = 1500;
  // ctx.source / replacing are ignored for KeyPackages.
  ctx_.source = LeafNodeSource::commit;
  ctx_.replacing = LeafIndex{0};
  expect_ok(validate_key_package(kp_, ctx_));
}

TEST_F(KeyPackageValidation, VersionMustMatch) {  // MLS-V-KP-001
  kp_.version = static_cast<ProtocolVersion>(2);
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_key_package, "MLS-V-KP-001");
}

TEST_F(KeyPackageValidation, CipherSuiteMustMatch) {  // MLS-V-KP-002
  kp_.cipher_suite = CipherSuiteId::mls_128_dhkemx25519_chacha20poly1305_sha256_ed25519;
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::cipher_suite_mismatch, "MLS-V-KP-002");
}

TEST_F(KeyPackageValidation, InitKeyMustBeOfTheSuite) {  // MLS-V-KP-003
  kp_.init_key = Bytes(31, 1);
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_key_package, "MLS-V-KP-003");
}

TEST_F(KeyPackageValidation, InitKeyMustDifferFromTheEncryptionKey) {  // MLS-V-KP-004
  kp_.init_key = kp_.leaf_node.encryption_key;
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_key_package, "MLS-V-KP-004");
}

TEST_F(KeyPackageValidation, DuplicateExtensionTypesAreRefused) {  // MLS-V-KP-005
  kp_.extensions = {Extension{kGreaseExt, {}}, Extension{kGreaseExt, to_bytes("x")}};
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_key_package, "MLS-V-KP-005");
}

TEST_F(KeyPackageValidation, ExtensionsMustBeInTheCapabilities) {  // MLS-V-KP-006
  kp_.extensions = {Extension{kUnknownExt, {}}};
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_key_package, "MLS-V-KP-006");
  // GREASE extensions are ignored; listed ones are fine.
  kp_.extensions = {Extension{kGreaseExt, to_bytes("grease")}};
  sign_key_package(kp_, client_);
  expect_ok(validate_key_package(kp_, ctx_));
  client_.leaf.capabilities.extensions = {kUnknownExt};
  client_.sign();
  kp_.leaf_node = client_.leaf;
  kp_.extensions = {Extension{kUnknownExt, {}}};
  sign_key_package(kp_, client_);
  expect_ok(validate_key_package(kp_, ctx_));
}

TEST_F(KeyPackageValidation, SignatureMustVerify) {  // MLS-V-KP-007
  kp_.signature.front() ^= 1;
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_signature, "MLS-V-KP-007");
  // Signed by another key than the leaf's.
  const Client other = make_client("bob");
  sign_key_package(kp_, other);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_signature, "MLS-V-KP-007");
}

TEST_F(KeyPackageValidation, LeafIsValidatedAsAKeyPackageLeaf) {
  // The leaf's own rules apply, with the key_package source.
  ctx_.now = 2500;
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_lifetime, "MLS-V-LEAF-010");
  ctx_.now.reset();
  kp_.leaf_node = client_.renewed(LeafNodeUpdateSource{}, LeafIndex{0});
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_leaf_node, "MLS-V-LEAF-001");
  kp_ = make_key_package(client_);
  kp_.leaf_node.signature.back() ^= 1;
  sign_key_package(kp_, client_);
  expect_rule(validate_key_package(kp_, ctx_), Errc::invalid_leaf_signature, "MLS-V-LEAF-015");
  // And the credential.
  Client nameless = make_client("");
  KeyPackage kp = make_key_package(nameless);
  sign_key_package(kp, nameless);
  expect_ok(validate_key_package(kp, ctx_));
  const BasicCredentialVerifier verifier;
  ctx_.verifier = &verifier;
  expect_rule(validate_key_package(kp, ctx_), Errc::invalid_credential, "MLS-V-CRED-001");
}

// ------------------------------------------------------------ helpers

TEST(LeafValidationHelpers, DefaultTypes) {
  for (uint16_t t = 1; t <= 5; ++t) EXPECT_TRUE(is_default_extension_type(ExtensionType{t}));
  EXPECT_FALSE(is_default_extension_type(ExtensionType::reserved));
  EXPECT_FALSE(is_default_extension_type(ExtensionType{6}));
  for (uint16_t t = 1; t <= 7; ++t) EXPECT_TRUE(is_default_proposal_type(ProposalType{t}));
  EXPECT_FALSE(is_default_proposal_type(ProposalType::reserved));
  EXPECT_FALSE(is_default_proposal_type(ProposalType{8}));
}

TEST(LeafValidationHelpers, SupportsRequiredCapabilities) {
  Client c = make_client("a");
  EXPECT_TRUE(supports_required_capabilities(c.leaf, {}));
  EXPECT_TRUE(supports_required_capabilities(
      c.leaf, {{ExtensionType::application_id}, {ProposalType::remove}, {CredentialType::basic}}));
  EXPECT_FALSE(supports_required_capabilities(c.leaf, {{kUnknownExt}, {}, {}}));
  EXPECT_FALSE(supports_required_capabilities(c.leaf, {{}, {kUnknownProposal}, {}}));
  EXPECT_FALSE(supports_required_capabilities(c.leaf, {{}, {}, {CredentialType::x509}}));
  c.leaf.capabilities.extensions = {kUnknownExt};
  c.leaf.capabilities.proposals = {kUnknownProposal};
  c.leaf.capabilities.credentials = {CredentialType::basic, CredentialType::x509};
  EXPECT_TRUE(supports_required_capabilities(
      c.leaf, {{kUnknownExt}, {kUnknownProposal}, {CredentialType::x509}}));
}

TEST(LeafValidationHelpers, SupportsGroupExtensions) {
  Client c = make_client("a");
  EXPECT_TRUE(leaf_supports_extension(c.leaf, ExtensionType::external_senders));
  EXPECT_FALSE(leaf_supports_extension(c.leaf, kUnknownExt));
  std::vector<Extension> ext{make_extension(ExternalSenders{})};
  EXPECT_TRUE(supports_group_extensions(c.leaf, ext));
  ext.push_back(Extension{kUnknownExt, {}});
  EXPECT_FALSE(supports_group_extensions(c.leaf, ext));
  c.leaf.capabilities.extensions = {kUnknownExt};
  EXPECT_TRUE(supports_group_extensions(c.leaf, ext));
  ext.push_back(make_extension(RequiredCapabilities{{}, {}, {CredentialType::x509}}));
  EXPECT_FALSE(supports_group_extensions(c.leaf, ext));
  ext.back() = Extension{ExtensionType::required_capabilities, to_bytes("\xff")};
  EXPECT_FALSE(supports_group_extensions(c.leaf, ext));
}

}  // namespace
}  // namespace conclave::mls
