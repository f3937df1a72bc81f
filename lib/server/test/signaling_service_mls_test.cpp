// The MLS delivery service (signaling_service_mls.cpp), driven by real
// mls::Group members through FakeConnections.
#include <gtest/gtest.h>

#include "delivery_fixture.h"

namespace conclave::server {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::json;

class DeliveryServiceTest : public testing::DeliveryTest {};

TEST_F(DeliveryServiceTest, HostCreatesTheGroupAndAddsAnAdmittedGuest) {
  Client& h = host_with_group();
  EXPECT_EQ(service_->group_epoch(meeting_id_), 0U);
  EXPECT_EQ(service_->member_count(meeting_id_), 1U);
  EXPECT_EQ(external_sender_.credential, mls::Credential::basic(to_bytes("conclave-server")));
  EXPECT_EQ(external_sender_, service_->external_sender());

  Client& g = lobby_guest("Guest");
  h.c->take();
  upload_key_package(g);
  EXPECT_EQ(only(g, "ack")["type"], "ack");
  EXPECT_TRUE(h.c->take().empty());  // still in the lobby: no add_request

  json joined = admit(h, g);
  EXPECT_EQ(joined["group"]["epoch"], 0);
  auto requests = of_type(h, "add_request");
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0]["participant"]["participant_id"], g.id);
  EXPECT_EQ(requests[0]["participant"]["role"], "participant");
  EXPECT_EQ(testing::unb64(requests[0]["key_package"]),
            mls::encode(mls::MLSMessage{mls::ProtocolVersion::mls10, g.bundle.key_package}));

  json ack = commit_and_follow(h, add_of(g), {&h}, {&g});
  EXPECT_EQ(ack["epoch"], 1);
  ASSERT_TRUE(g.group.has_value());
  EXPECT_EQ(g.group->context(), h.group->context());
  EXPECT_EQ(g.group->epoch_authenticator(), h.group->epoch_authenticator());
  EXPECT_EQ(service_->group_epoch(meeting_id_), 1U);
  EXPECT_EQ(service_->member_count(meeting_id_), 2U);
}

TEST_F(DeliveryServiceTest, GroupCreatedAfterOthersJoinedOffersThemToTheHost) {
  ASSERT_TRUE(
      store_->update_settings(*store::MeetingId::parse(meeting_id_), std::nullopt, false).ok());
  Client& g = add_client("Early");
  send(g, hello("Early", false));
  json joined = only(g, "joined");
  g.id = joined["participant_id"];
  EXPECT_TRUE(joined["group"].is_null());
  upload_key_package(g);
  only(g, "ack");
  Client& h = join_host();
  only(g, "participant_joined");
  create_group(h);
  auto msgs = h.c->take();
  ASSERT_EQ(msgs.size(), 2U) << json(msgs).dump();
  EXPECT_EQ(msgs[0]["type"], "ack");
  EXPECT_EQ(msgs[1]["type"], "add_request");
  EXPECT_EQ(msgs[1]["participant"]["participant_id"], g.id);
  commit_and_follow(h, add_of(g), {&h}, {&g});
  EXPECT_EQ(g.group->epoch(), 1U);
}

TEST_F(DeliveryServiceTest, TheFirstCommitOfAnEpochWinsTheOtherIsStale) {
  auto m = meeting_of({"Bob", "Carol"});
  Client& bob = *m[1];
  Client& carol = *m[2];
  auto losing = carol.group->commit(testing::self_update()).value();
  commit_and_follow(bob, testing::self_update(), {m[0], &bob});
  // Carol, still at epoch 2, committed too late.
  json c = carol.c->take().at(0);
  ASSERT_EQ(c["type"], "commit");
  send(carol, {{"type", "commit"}, {"commit", testing::b64(losing.commit)}, {"id", "late"}});
  json err = only(carol, "error");
  EXPECT_EQ(err["code"], "stale_commit");
  EXPECT_EQ(err["epoch"], 3);
  EXPECT_EQ(err["in_reply_to"], "late");
  // She drops hers and follows the winner.
  auto staged = carol.group->handle(testing::mls_of(c["commit"]));
  ASSERT_TRUE(staged.ok()) << staged.error().to_string();
  carol.group = mls::Group::apply(std::get<mls::StagedCommit>(std::move(staged).value()));
  EXPECT_EQ(carol.group->epoch_authenticator(), bob.group->epoch_authenticator());
  EXPECT_EQ(service_->group_epoch(meeting_id_), 3U);
}

TEST_F(DeliveryServiceTest, BadCommitsGetErrorsAndChangeNothing) {
  auto m = meeting_of({"Bob"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  auto r = bob.group->commit(testing::self_update()).value();
  auto expect_error = [&](const json& message, const std::string& code) {
    send(bob, message);
    EXPECT_EQ(error_code(bob), code) << message.dump();
    EXPECT_TRUE(alice.c->take().empty());
    EXPECT_EQ(service_->group_epoch(meeting_id_), 1U);
  };
  expect_error({{"type", "commit"}}, "invalid_field");
  expect_error({{"type", "commit"}, {"commit", 7}}, "invalid_field");
  expect_error({{"type", "commit"}, {"commit", "not base64url!"}}, "invalid_field");
  expect_error({{"type", "commit"}, {"commit", testing::b64(Bytes{1, 2, 3})}}, "invalid_message");
  auto app = bob.group->protect(to_bytes("hi")).value();
  expect_error({{"type", "commit"}, {"commit", testing::b64(app)}}, "invalid_message");
  // Signed content altered: the public group view refuses it.
  mls::MLSMessage forged = r.commit;
  std::get<mls::PublicMessage>(forged.message).content.authenticated_data = to_bytes("x");
  expect_error({{"type", "commit"}, {"commit", testing::b64(forged)}}, "invalid_commit");
  // Someone else's commit, relayed.
  auto alices = alice.group->commit(testing::self_update()).value();
  expect_error({{"type", "commit"}, {"commit", testing::b64(alices.commit)}}, "invalid_message");
  // A welcome that is not one.
  expect_error(
      {{"type", "commit"}, {"commit", testing::b64(r.commit)}, {"welcome", testing::b64(r.commit)}},
      "invalid_message");
  // The real one still goes through.
  commit_and_follow(bob, testing::self_update(), {&alice, &bob});
  EXPECT_EQ(service_->group_epoch(meeting_id_), 2U);
}

TEST_F(DeliveryServiceTest, AddsNeedAHostAWaitingParticipantAndAWelcome) {
  auto m = meeting_of({"Bob"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  Client& carol = lobby_guest("Carol");
  upload_key_package(carol);
  only(carol, "ack");
  // Carol is still in the lobby: nobody may add her yet.
  auto early = alice.group->commit(add_of(carol)).value();
  send(alice, {{"type", "commit"},
               {"commit", testing::b64(early.commit)},
               {"welcome", testing::b64(*early.welcome)}});
  EXPECT_EQ(of_type(alice, "error").at(0)["code"], "invalid_commit");
  admit(alice, carol);
  alice.c->take();
  bob.c->take();
  // CV-POLICY-002: Bob is no host.
  auto by_bob = bob.group->commit(add_of(carol)).value();
  send(bob, {{"type", "commit"},
             {"commit", testing::b64(by_bob.commit)},
             {"welcome", testing::b64(*by_bob.welcome)}});
  EXPECT_EQ(error_code(bob), "policy_violation");
  // Someone who never uploaded a KeyPackage.
  auto stranger = testing::meeting_bundle("Stranger");
  mls::CommitOptions add_stranger;
  add_stranger.proposals.push_back(mls::Proposal{mls::Add{stranger.key_package}});
  auto unknown = alice.group->commit(add_stranger).value();
  send(alice, {{"type", "commit"},
               {"commit", testing::b64(unknown.commit)},
               {"welcome", testing::b64(*unknown.welcome)}});
  EXPECT_EQ(error_code(alice), "invalid_commit");
  // No Welcome.
  auto no_welcome = alice.group->commit(add_of(carol)).value();
  send(alice, {{"type", "commit"}, {"commit", testing::b64(no_welcome.commit)}});
  EXPECT_EQ(error_code(alice), "invalid_commit");
  EXPECT_TRUE(carol.c->take().empty());
  EXPECT_EQ(service_->group_epoch(meeting_id_), 1U);
  EXPECT_EQ(service_->member_count(meeting_id_), 2U);
  commit_and_follow(alice, add_of(carol), {&alice, &bob}, {&carol});
  EXPECT_EQ(service_->member_count(meeting_id_), 3U);
}

TEST_F(DeliveryServiceTest, MemberOnlyMessagesFromOthersAreRefused) {
  Client& h = join_host();
  send(h, {{"type", "commit"}, {"commit", "AAAA"}});
  EXPECT_EQ(error_code(h), "no_group");
  send(h, {{"type", "catch_up"}, {"epoch", 0}});
  EXPECT_EQ(error_code(h), "no_group");
  create_group(h);
  only(h, "ack");
  send(h, {{"type", "group_info"}, {"group_info", "AAAA"}});
  EXPECT_EQ(error_code(h), "out_of_order");
  Client& g = lobby_guest("Guest");
  for (const char* type :
       {"commit", "proposal", "application", "catch_up", "group_info", "remove"}) {
    send(g, {{"type", type}});
    EXPECT_EQ(error_code(g), "out_of_order") << type;
  }
  admit(h, g);
  for (const char* type : {"commit", "proposal", "application", "catch_up"}) {
    send(g, {{"type", type}, {"commit", "AAAA"}});
    EXPECT_EQ(error_code(g), "not_member") << type;
  }
  send(g, {{"type", "group_info"}, {"group_info", "AAAA"}});
  EXPECT_EQ(error_code(g), "forbidden");
  send(g, {{"type", "remove"}, {"participant_id", h.id}});
  EXPECT_EQ(error_code(g), "forbidden");
  send(g, {{"type", "welcome"}});
  EXPECT_EQ(error_code(g), "unknown_type");
}

TEST_F(DeliveryServiceTest, KeyPackageChecks) {
  Client& h = host_with_group();
  Client& g = lobby_guest("Guest");
  auto upload = [&](const mls::KeyPackage& kp) {
    send(g, {{"type", "key_package"},
             {"key_package", testing::b64(mls::MLSMessage{mls::ProtocolVersion::mls10, kp})}});
    return error_code(g);
  };
  EXPECT_EQ(upload(testing::meeting_bundle("Someone else").key_package), "invalid_field");
  const auto suite = testing::suite1();
  auto plain = mls::make_key_package(suite, mls::Credential::basic(to_bytes("Guest")),
                                     suite.generate_signature_key().value())
                   .value();
  EXPECT_EQ(upload(plain.key_package), "invalid_field");  // no policy capability
  mls::KeyPackage tampered = g.bundle.key_package;
  tampered.signature.back() ^= 1;
  EXPECT_EQ(upload(tampered), "invalid_field");
  send(g, {{"type", "key_package"}, {"key_package", testing::b64(Bytes{0, 1})}});
  EXPECT_EQ(error_code(g), "invalid_message");
  auto info = mls::MLSMessage{mls::ProtocolVersion::mls10, h.group->group_info().value()};
  send(g, {{"type", "key_package"}, {"key_package", testing::b64(info)}});
  EXPECT_EQ(error_code(g), "invalid_message");
  upload_key_package(g);
  only(g, "ack");
  upload_key_package(g);
  EXPECT_EQ(error_code(g), "out_of_order");
  // Another participant cannot present the same signature key ...
  Client& twin = lobby_guest("Guest");
  send(twin, {{"type", "key_package"},
              {"key_package",
               testing::b64(mls::MLSMessage{mls::ProtocolVersion::mls10, g.bundle.key_package})}});
  EXPECT_EQ(error_code(twin), "invalid_field");
  // ... nor one of a member's leaf.
  Client& copycat = lobby_guest("Host");
  send(copycat, {{"type", "key_package"},
                 {"key_package", testing::b64(mls::MLSMessage{mls::ProtocolVersion::mls10,
                                                              h.bundle.key_package})}});
  EXPECT_EQ(error_code(copycat), "invalid_field");
  h.c->take();
}

TEST_F(DeliveryServiceTest, GroupInfoChecks) {
  Client& h = join_host();
  auto upload = [&](const mls::Group& group) {
    send(h, {{"type", "group_info"},
             {"group_info", testing::b64(mls::MLSMessage{mls::ProtocolVersion::mls10,
                                                         group.group_info().value()})}});
    return error_code(h);
  };
  const auto key = h.bundle.key_package.leaf_node.signature_key;
  // Without the server as external sender.
  auto plain = mls::Group::create(testing::suite1(), to_bytes("g"), h.bundle).value();
  EXPECT_EQ(upload(plain), "invalid_field");
  // Another external sender.
  mls::ExternalSender impostor{
      testing::suite1().generate_signature_key().value().public_key().bytes(),
      mls::Credential::basic(to_bytes("conclave-server"))};
  auto other = mls::Group::create(testing::suite1(), to_bytes("g"), h.bundle,
                                  meeting::initial_extensions(key, impostor))
                   .value();
  EXPECT_EQ(upload(other), "invalid_field");
  // Someone else's credential.
  auto stranger = testing::meeting_bundle("Stranger");
  auto theirs =
      mls::Group::create(testing::suite1(), to_bytes("g"), stranger,
                         meeting::initial_extensions(stranger.key_package.leaf_node.signature_key,
                                                     external_sender_))
          .value();
  EXPECT_EQ(upload(theirs), "invalid_field");
  // A policy naming another host.
  auto not_host =
      mls::Group::create(testing::suite1(), to_bytes("g"), h.bundle,
                         meeting::initial_extensions(stranger.key_package.leaf_node.signature_key,
                                                     external_sender_))
          .value();
  EXPECT_EQ(upload(not_host), "invalid_field");
  send(h, {{"type", "group_info"}, {"group_info", testing::b64(Bytes{9})}});
  EXPECT_EQ(error_code(h), "invalid_message");
  EXPECT_FALSE(service_->group_epoch(meeting_id_).has_value());
  create_group(h);
  EXPECT_EQ(only(h, "ack")["epoch"], 0);
}

TEST_F(DeliveryServiceTest, ApplicationMessagesGoToTheOtherMembersOnly) {
  auto m = meeting_of({"Bob", "Carol"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  Client& carol = *m[2];
  auto message = bob.group->protect(to_bytes("hello")).value();
  send(bob, {{"type", "application"}, {"message", testing::b64(message)}});
  EXPECT_TRUE(bob.c->take().empty());
  for (Client* other : {&alice, &carol}) {
    json forwarded = only(*other, "application");
    EXPECT_EQ(forwarded["sender"], bob.id);
    EXPECT_EQ(testing::unb64(forwarded["message"]), mls::encode(message));
    auto received = other->group->handle(testing::mls_of(forwarded["message"]));
    ASSERT_TRUE(received.ok()) << received.error().to_string();
    EXPECT_EQ(std::get<mls::ReceivedApplication>(*received).data, to_bytes("hello"));
  }
  // A message of an ended epoch, or a handshake message, is not forwarded.
  auto old = carol.group->protect(to_bytes("late")).value();
  commit_and_follow(alice, testing::self_update(), {&alice, &bob, &carol});
  send(carol, {{"type", "application"}, {"message", testing::b64(old)}});
  EXPECT_EQ(error_code(carol), "invalid_message");
  auto update = alice.group->commit(testing::self_update()).value();
  send(carol, {{"type", "application"}, {"message", testing::b64(update.commit)}});
  EXPECT_EQ(error_code(carol), "invalid_message");
  EXPECT_TRUE(alice.c->take().empty());
}

TEST_F(DeliveryServiceTest, ProposalsAreCheckedAndBroadcast) {
  auto m = meeting_of({"Bob"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  auto update = bob.group->propose_update().value();
  send(bob, {{"type", "proposal"}, {"proposal", testing::b64(update)}});
  auto to_bob = bob.c->take();
  ASSERT_EQ(to_bob.size(), 2U);
  EXPECT_EQ(to_bob[0]["type"], "ack");
  EXPECT_EQ(to_bob[1]["type"], "proposal");
  json p = only(alice, "proposal");
  EXPECT_EQ(p["proposer"], bob.id);
  EXPECT_EQ(p["epoch"], 1);
  ASSERT_TRUE(alice.group->handle(testing::mls_of(p["proposal"])).ok());
  // CV-POLICY-006: a PreSharedKey proposal is never allowed.
  mls::PreSharedKeyID psk;
  psk.content = mls::ExternalPSK{to_bytes("id")};
  psk.psk_nonce = Bytes(32, 1);
  auto forbidden = bob.group->propose(mls::Proposal{mls::PreSharedKey{psk}}).value();
  send(bob, {{"type", "proposal"}, {"proposal", testing::b64(forbidden)}});
  EXPECT_EQ(error_code(bob), "policy_violation");
  // A commit is not a proposal.
  auto commit = alice.group->commit().value();
  send(bob, {{"type", "proposal"}, {"proposal", testing::b64(commit.commit)}});
  EXPECT_EQ(error_code(bob), "invalid_message");
  EXPECT_TRUE(alice.c->take().empty());
  // Alice commits Bob's update by reference.
  commit_and_follow(alice, mls::CommitOptions{}, {&alice, &bob});
  EXPECT_EQ(service_->group_epoch(meeting_id_), 2U);
}

TEST_F(DeliveryServiceTest, LeaveGetsAServerRemoveThatAMemberCommits) {
  auto m = meeting_of({"Bob", "Carol"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  Client& carol = *m[2];
  send(carol, {{"type", "leave"}});
  only(carol, "ack");
  EXPECT_TRUE(carol.c->closed);
  for (Client* other : {&alice, &bob}) {
    auto msgs = other->c->take();
    ASSERT_EQ(msgs.size(), 2U) << json(msgs).dump();
    EXPECT_EQ(msgs[0]["type"], "proposal");
    EXPECT_EQ(msgs[0]["proposer"], "server");
    EXPECT_EQ(msgs[1]["type"], "participant_left");
    auto proposal = testing::mls_of(msgs[0]["proposal"]);
    const auto& content = std::get<mls::PublicMessage>(proposal.message).content;
    EXPECT_TRUE(
        meeting::check_proposal(std::get<mls::Proposal>(content.content), content.sender).ok());
    auto received = other->group->handle(proposal);
    ASSERT_TRUE(received.ok()) << received.error().to_string();
  }
  service_->on_websocket_close(*carol.c);
  EXPECT_EQ(service_->member_count(meeting_id_), 2U);
  commit_and_follow(bob, mls::CommitOptions{}, {&alice, &bob});
  EXPECT_EQ(alice.group->tree().leaf(mls::LeafIndex{2}), nullptr);
  EXPECT_EQ(service_->group_epoch(meeting_id_), 3U);
}

TEST_F(DeliveryServiceTest, ADroppedMemberIsRemovedOnlyAfterTheGracePeriod) {
  auto m = meeting_of({"Bob"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  service_->on_websocket_close(*bob.c);
  EXPECT_TRUE(alice.c->take().empty());
  clock_.advance(9s);
  service_->on_tick(clock_.now());
  EXPECT_TRUE(alice.c->take().empty());
  EXPECT_EQ(service_->member_count(meeting_id_), 2U);
  clock_.advance(1s);
  service_->on_tick(clock_.now());
  auto msgs = alice.c->take();
  ASSERT_EQ(msgs.size(), 2U) << json(msgs).dump();
  EXPECT_EQ(msgs[0]["type"], "proposal");
  EXPECT_EQ(msgs[0]["proposer"], "server");
  EXPECT_EQ(msgs[1]["type"], "participant_left");
  EXPECT_EQ(msgs[1]["participant_id"], bob.id);
  // Too late to resume.
  Client& again = add_client("Bob");
  json h = hello("Bob", false);
  h["resume_token"] = bob.resume_token;
  send(again, h);
  EXPECT_EQ(error_code(again), "bad_resume_token");
}

TEST_F(DeliveryServiceTest, ResumeWithinTheGracePeriodAndCatchUp) {
  auto m = meeting_of({"Bob", "Carol"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  Client& carol = *m[2];
  const uint64_t carol_epoch = carol.group->epoch();
  service_->on_websocket_close(*carol.c);
  commit_and_follow(alice, testing::self_update(), {&alice, &bob});
  auto update = bob.group->propose_update().value();
  send(bob, {{"type", "proposal"}, {"proposal", testing::b64(update)}});
  bob.c->take();
  alice.c->take();
  clock_.advance(5s);
  service_->on_tick(clock_.now());

  // A wrong token, then Carol's.
  carol.c = connect();
  json h = hello("Carol", false);
  h["resume_token"] = "not-a-token";
  send(carol, h);
  EXPECT_EQ(error_code(carol), "bad_resume_token");
  h["resume_token"] = carol.resume_token;
  send(carol, h);
  json joined = only(carol, "joined");
  EXPECT_EQ(joined["resumed"], true);
  EXPECT_EQ(joined["participant_id"], carol.id);
  EXPECT_EQ(joined["group"]["epoch"], carol_epoch + 1);
  EXPECT_NE(joined["resume_token"], carol.resume_token);
  EXPECT_TRUE(alice.c->take().empty());  // nobody saw her leave

  send(carol, {{"type", "catch_up"}, {"epoch", carol_epoch}, {"id", "cu"}});
  auto msgs = carol.c->take();
  ASSERT_EQ(msgs.size(), 3U) << json(msgs).dump();
  EXPECT_EQ(msgs[0]["type"], "commit");
  EXPECT_EQ(msgs[0]["epoch"], carol_epoch + 1);
  EXPECT_EQ(msgs[0]["committer"], alice.id);
  EXPECT_EQ(msgs[1]["type"], "proposal");
  EXPECT_EQ(msgs[1]["proposer"], bob.id);
  EXPECT_EQ(msgs[2]["type"], "ack");
  EXPECT_EQ(msgs[2]["in_reply_to"], "cu");
  auto staged = carol.group->handle(testing::mls_of(msgs[0]["commit"]));
  ASSERT_TRUE(staged.ok()) << staged.error().to_string();
  carol.group = mls::Group::apply(std::get<mls::StagedCommit>(std::move(staged).value()));
  EXPECT_EQ(carol.group->epoch_authenticator(), alice.group->epoch_authenticator());
  ASSERT_TRUE(carol.group->handle(testing::mls_of(msgs[1]["proposal"])).ok());

  // The grace period passing later changes nothing: she is back.
  clock_.advance(20s);
  service_->on_tick(clock_.now());
  EXPECT_TRUE(alice.c->take().empty());
  EXPECT_EQ(service_->member_count(meeting_id_), 3U);
  send(carol, {{"type", "catch_up"}, {"epoch", carol_epoch + 5}});
  EXPECT_EQ(error_code(carol), "invalid_field");
  send(carol, {{"type", "catch_up"}, {"epoch", "1"}});
  EXPECT_EQ(error_code(carol), "invalid_field");
}

TEST_F(DeliveryServiceTest, ResumeTakesOverAConnectionTheServerStillThinksIsOpen) {
  auto m = meeting_of({"Bob"});
  Client& bob = *m[1];
  auto old = bob.c;
  bob.c = connect();
  json h = hello("Bob", false);
  h["resume_token"] = bob.resume_token;
  send(bob, h);
  EXPECT_EQ(only(bob, "joined")["resumed"], true);
  EXPECT_TRUE(old->closed);
  service_->on_websocket_close(*old);  // the old transport's callback
  EXPECT_EQ(service_->member_count(meeting_id_), 2U);
  EXPECT_TRUE(m[0]->c->take().empty());
}

TEST_F(DeliveryServiceTest, HostRemovesAMember) {
  auto m = meeting_of({"Bob", "Carol"});
  Client& alice = *m[0];
  Client& bob = *m[1];
  Client& carol = *m[2];
  send(bob, {{"type", "remove"}, {"participant_id", carol.id}});
  EXPECT_EQ(error_code(bob), "forbidden");
  send(alice, {{"type", "remove"}, {"participant_id", "p999"}});
  EXPECT_EQ(error_code(alice), "unknown_participant");
  send(alice, {{"type", "remove"}, {"participant_id", carol.id}});
  auto to_alice = alice.c->take();
  ASSERT_EQ(to_alice.size(), 2U);
  EXPECT_EQ(to_alice[0]["type"], "ack");
  EXPECT_EQ(to_alice[1]["type"], "proposal");
  EXPECT_EQ(to_alice[1]["proposer"], "server");
  for (Client* member : {&alice, &bob, &carol}) {
    auto msg = to_alice[1];
    if (member != &alice) msg = only(*member, "proposal");
    ASSERT_TRUE(member->group->handle(testing::mls_of(msg["proposal"])).ok());
  }
  // A self-update that leaves the Remove out: it is proposed again in
  // the new epoch.
  mls::CommitOptions without = testing::self_update();
  without.include_stored_proposals = false;
  auto update = bob.group->commit(without).value();
  send(bob, {{"type", "commit"}, {"commit", testing::b64(update.commit)}});
  for (Client* member : {&alice, &bob, &carol}) {
    auto msgs = member->c->take();
    if (member == &bob) {
      ASSERT_EQ(msgs.size(), 3U) << json(msgs).dump();
      EXPECT_EQ(msgs[0]["type"], "ack");
      msgs.erase(msgs.begin());
      bob.group = std::move(update.next);
    } else {
      ASSERT_EQ(msgs.size(), 2U) << json(msgs).dump();
      auto staged = member->group->handle(testing::mls_of(msgs[0]["commit"]));
      ASSERT_TRUE(staged.ok()) << staged.error().to_string();
      member->group = mls::Group::apply(std::get<mls::StagedCommit>(std::move(staged).value()));
    }
    EXPECT_EQ(msgs[0]["type"], "commit");
    EXPECT_EQ(msgs[1]["type"], "proposal");
    EXPECT_EQ(msgs[1]["proposer"], "server");
    ASSERT_TRUE(member->group->handle(testing::mls_of(msgs[1]["proposal"])).ok());
  }
  auto r = alice.group->commit().value();
  send(alice, {{"type", "commit"}, {"commit", testing::b64(r.commit)}});
  auto to_carol = carol.c->take();
  ASSERT_EQ(to_carol.size(), 2U) << json(to_carol).dump();
  EXPECT_EQ(to_carol[0]["type"], "commit");
  EXPECT_EQ(to_carol[1]["type"], "removed");
  EXPECT_EQ(to_carol[1]["reason"], "removed");
  EXPECT_TRUE(carol.c->closed);
  auto to_bob = bob.c->take();
  ASSERT_EQ(to_bob.size(), 2U) << json(to_bob).dump();
  EXPECT_EQ(to_bob[0]["type"], "commit");
  EXPECT_EQ(to_bob[1]["type"], "participant_left");
  EXPECT_EQ(service_->member_count(meeting_id_), 2U);
  EXPECT_EQ(service_->joined_count(meeting_id_), 2U);
}

TEST_F(DeliveryServiceTest, TheGroupEndsWithItsLastMember) {
  ASSERT_TRUE(
      store_->update_settings(*store::MeetingId::parse(meeting_id_), std::nullopt, false).ok());
  Client& h = host_with_group();
  Client& g = add_client("Guest");
  send(g, hello("Guest", false));
  only(g, "joined");
  send(h, {{"type", "leave"}});
  EXPECT_FALSE(service_->group_epoch(meeting_id_).has_value());
  EXPECT_EQ(service_->joined_count(meeting_id_), 1U);
  // A new host starts a new group.
  Client& h2 = host_with_group("Host 2");
  EXPECT_EQ(service_->group_epoch(meeting_id_), 0U);
  EXPECT_EQ(h2.group->epoch(), 0U);
}

TEST_F(DeliveryServiceTest, PerConnectionMessageRateLimit) {
  config_.messages_burst = 3;
  config_.messages_per_second = 2;
  restart();
  Client& c = add_client("Any");
  for (int i = 0; i < 3; ++i) {
    send(c, {{"type", "ping"}});
    only(c, "pong");
  }
  send(c, {{"type", "ping"}});
  json err = only(c, "error");
  EXPECT_EQ(err["code"], "rate_limited");
  EXPECT_GT(err["retry_after_ms"].get<int64_t>(), 0);
  clock_.advance(500ms);
  send(c, {{"type", "ping"}});
  only(c, "pong");
}

}  // namespace
}  // namespace conclave::server
