// MeetingGroup against groups built with ts-mls directly in this process:
// join from a Welcome, the policy callback on commits (a non-host's Add is
// refused before anything is applied), the server's Remove proposals
// (verified with the external_senders key, a forged one refused),
// committing them, and being removed.

import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";

import {
  createCommit,
  createGroup,
  decodeMlsMessage,
  emptyPskIndex,
  joinGroup,
  mlsExporter,
  processPublicMessage,
  type ClientState,
  type Extension,
  type MLSMessage,
  type PublicMessage,
} from "ts-mls";
import { protectExternalProposalPublic } from "ts-mls/messageProtectionPublic.js";

import { checkCommit, encodeMeetingPolicy, isHost, kPolicyExtensionType, policyOf, withMeetingPolicy } from "../src/meeting/policy.js";
import { encodeExternalSenders } from "../src/mls/external_senders.js";
import { MeetingGroup, type CommitPolicy } from "../src/mls/meeting_group.js";
import { MemberKeys } from "../src/mls/member_keys.js";
import { loadSuite } from "../src/mls/suite.js";
import { utf8 } from "../src/util/bytes.js";

const label = "SFrame 1.0 Base Key";

// RFC 9420 section 8.5 with node:crypto, independent of ts-mls:
//   MLS-Exporter(Label, Context, Length) =
//     ExpandWithLabel(DeriveSecret(exporter_secret, Label), "exported", Hash(Context), Length)
function expandWithLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const fullLabel = Buffer.from(`MLS 1.0 ${label}`);
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff]),
    Buffer.from([fullLabel.length]), // both lengths < 64: one-byte varints
    fullLabel,
    Buffer.from([context.length]),
    Buffer.from(context),
  ]);
  // HKDF-Expand (RFC 5869) with SHA-256.
  let block = Buffer.alloc(0);
  const out: Buffer[] = [];
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    block = createHmac("sha256", secret).update(Buffer.concat([block, info, Buffer.from([i])])).digest();
    out.push(block);
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, length));
}
function referenceExporter(exporterSecret: Uint8Array, exportLabel: string, length: number): Uint8Array {
  const derived = expandWithLabel(exporterSecret, exportLabel, new Uint8Array(0), 32);
  return expandWithLabel(derived, "exported", createHash("sha256").update(new Uint8Array(0)).digest(), length);
}

function publicMessage(m: MLSMessage): PublicMessage {
  assert.equal(m.wireformat, "mls_public_message");
  return (m as Extract<MLSMessage, { wireformat: "mls_public_message" }>).publicMessage;
}

function policyFor(group: MeetingGroup): CommitPolicy {
  const extensions = group.extensions;
  return (committer, key, proposals) => checkCommit(extensions, committer, key, proposals);
}

async function setup() {
  const impl = await loadSuite();
  const server = await impl.signature.keygen();
  const [alice, bob, carol, dave] = await Promise.all(["alice", "bob", "carol", "dave"].map((n) => MemberKeys.create(n, impl)));
  const extensions: Extension[] = [
    { extensionType: "external_senders", extensionData: encodeExternalSenders([{ signatureKey: server.publicKey, identity: utf8("conclave-server") }]) },
    { extensionType: kPolicyExtensionType, extensionData: encodeMeetingPolicy({ hosts: [alice!.signaturePublicKey], locked: 0 }) },
  ];
  // The real external_senders list: ts-mls validates it with the fix of scripts/ts_mls_fix.mjs.
  let aliceState: ClientState = await createGroup(utf8("group-1"), alice!.publicPackage, alice!.privatePackage, extensions, impl);
  const added = await createCommit(
    { state: aliceState, cipherSuite: impl },
    {
      extraProposals: [bob!, carol!].map((k) => ({ proposalType: "add" as const, add: { keyPackage: k.publicPackage } })),
      ratchetTreeExtension: true,
      wireAsPublicMessage: true,
    },
  );
  aliceState = added.newState;
  assert.ok(added.welcome);
  const bobGroup = await MeetingGroup.join(added.welcome, bob!, impl);
  assert.ok(bobGroup.ok, bobGroup.ok ? "" : bobGroup.error);
  const carolState = await joinGroup(added.welcome, carol!.publicPackage, carol!.privatePackage, emptyPskIndex, impl);
  return { impl, server, alice: alice!, bob: bob!, carol: carol!, dave: dave!, aliceState, carolState, bobGroup: bobGroup.value };
}

test("join from a Welcome: epoch, roster, exporter equal to the creator's", async () => {
  const { impl, aliceState, bobGroup } = await setup();
  assert.equal(bobGroup.epoch, 1n);
  assert.deepEqual(bobGroup.members().map((m) => [m.leaf, m.name]), [[0, "alice"], [1, "bob"], [2, "carol"]]);
  assert.equal(bobGroup.ownLeaf, 1);
  const expected = await mlsExporter(aliceState.keySchedule.exporterSecret, label, new Uint8Array(0), 16, impl);
  assert.deepEqual(await bobGroup.exporter(label, new Uint8Array(0), 16), expected);
  assert.deepEqual(bobGroup.epochAuthenticator, aliceState.keySchedule.epochAuthenticator);
  // The SFrame base key (16 bytes) and the 32-byte exporter, against RFC 9420's formula.
  for (const length of [16, 32]) {
    assert.deepEqual(await bobGroup.exporter(label, new Uint8Array(0), length), referenceExporter(aliceState.keySchedule.exporterSecret, label, length));
  }
});

test("a non-host's Add is refused (CV-POLICY-002); the host's is applied", async () => {
  const { impl, dave, aliceState, carolState, bobGroup } = await setup();
  const add = { proposalType: "add" as const, add: { keyPackage: dave.publicPackage } };
  const rogue = await createCommit({ state: carolState, cipherSuite: impl }, { extraProposals: [add], wireAsPublicMessage: true, ratchetTreeExtension: true });
  const refused = await bobGroup.processCommit(publicMessage(rogue.commit), policyFor(bobGroup));
  assert.equal(refused.kind, "rejected");
  assert.equal(refused.kind === "rejected" && refused.rule, "CV-POLICY-002");
  assert.equal(bobGroup.epoch, 1n);

  const honest = await createCommit({ state: aliceState, cipherSuite: impl }, { extraProposals: [add], wireAsPublicMessage: true, ratchetTreeExtension: true });
  const applied = await bobGroup.processCommit(publicMessage(honest.commit), policyFor(bobGroup));
  assert.equal(applied.kind, "applied");
  if (applied.kind !== "applied") return;
  assert.equal(applied.group.epoch, 2n);
  assert.equal(applied.group.members().length, 4);
  const expected = await mlsExporter(honest.newState.keySchedule.exporterSecret, label, new Uint8Array(0), 16, impl);
  assert.deepEqual(await applied.group.exporter(label, new Uint8Array(0), 16), expected);
});

test("a host's commit with several Adds (each tried alone first) is applied", async () => {
  const { impl, dave, aliceState, bobGroup } = await setup();
  const erin = await MemberKeys.create("erin", impl);
  const commit = await createCommit(
    { state: aliceState, cipherSuite: impl },
    {
      extraProposals: [dave, erin].map((k) => ({ proposalType: "add" as const, add: { keyPackage: k.publicPackage } })),
      wireAsPublicMessage: true,
      ratchetTreeExtension: true,
    },
  );
  const applied = await bobGroup.processCommit(publicMessage(commit.commit), policyFor(bobGroup));
  assert.equal(applied.kind, "applied");
  assert.deepEqual(applied.kind === "applied" && applied.group.members().map((m) => m.name), ["alice", "bob", "carol", "dave", "erin"]);
});

test("a tampered commit is refused", async () => {
  const { impl, aliceState, bobGroup } = await setup();
  const commit = await createCommit({ state: aliceState, cipherSuite: impl }, { wireAsPublicMessage: true });
  const pm = publicMessage(commit.commit);
  const sig = pm.auth.signature.slice();
  sig[0] = (sig[0] ?? 0) ^ 1;
  const outcome = await bobGroup.processCommit({ ...pm, auth: { ...pm.auth, signature: sig } } as PublicMessage, policyFor(bobGroup));
  assert.equal(outcome.kind, "rejected");
});

test("the server's Remove is stored and committed; a forged one is refused", async () => {
  const { impl, server, aliceState, bobGroup } = await setup();
  const remove = { proposalType: "remove" as const, remove: { removed: 2 } };
  const sender = { senderType: "external" as const, senderIndex: 0 };
  const forger = await impl.signature.keygen();
  const forged = await protectExternalProposalPublic(forger.signKey, aliceState.groupContext, new Uint8Array(0), remove, sender, impl);
  const refused = await bobGroup.storeProposal(forged.publicMessage);
  assert.equal(refused.ok, false);
  const wrongIndex = await protectExternalProposalPublic(server.signKey, aliceState.groupContext, new Uint8Array(0), remove, { ...sender, senderIndex: 1 }, impl);
  assert.equal((await bobGroup.storeProposal(wrongIndex.publicMessage)).ok, false);

  const real = await protectExternalProposalPublic(server.signKey, aliceState.groupContext, new Uint8Array(0), remove, sender, impl);
  const stored = await bobGroup.storeProposal(real.publicMessage);
  assert.ok(stored.ok, stored.ok ? "" : stored.error);
  assert.ok(stored.value.hasStoredProposals);
  assert.ok(stored.value.storedRemoves(2));
  assert.equal(stored.value.storedRemoves(1), false);
  const committed = await stored.value.commit([], true);
  assert.ok(committed.ok, committed.ok ? "" : committed.error);
  assert.equal(committed.value.next.epoch, 2n);
  assert.deepEqual(committed.value.next.members().map((m) => m.name), ["alice", "bob"]);
});

test("a commit removing us ends our membership", async () => {
  const { impl, aliceState, bobGroup } = await setup();
  const commit = await createCommit(
    { state: aliceState, cipherSuite: impl },
    { extraProposals: [{ proposalType: "remove", remove: { removed: 1 } }], wireAsPublicMessage: true },
  );
  const outcome = await bobGroup.processCommit(publicMessage(commit.commit), policyFor(bobGroup));
  assert.equal(outcome.kind, "removed");
});

test("application messages: both ways, a replay and a tampered message are refused", async () => {
  const { impl, carolState, bobGroup } = await setup();
  const sent = await bobGroup.protect(utf8("hi"));
  assert.ok(sent.ok);
  const { decodeMlsMessage } = await import("ts-mls");
  const decoded = decodeMlsMessage(sent.value.message, 0)![0];
  assert.equal(decoded.wireformat, "mls_private_message");
  const { processPrivateMessage } = await import("ts-mls");
  const atCarol = await processPrivateMessage(carolState, (decoded as Extract<MLSMessage, { wireformat: "mls_private_message" }>).privateMessage, emptyPskIndex, impl);
  assert.equal(atCarol.kind, "applicationMessage");
  assert.deepEqual(atCarol.kind === "applicationMessage" && atCarol.message, utf8("hi"));

  const { createApplicationMessage } = await import("ts-mls");
  const fromCarol = await createApplicationMessage(carolState, utf8("hello bob"), impl);
  const opened = await bobGroup.unprotect(fromCarol.privateMessage);
  assert.ok(opened.ok, opened.ok ? "" : opened.error);
  assert.equal(opened.value.sender, 2);
  assert.deepEqual(opened.value.data, utf8("hello bob"));
  assert.equal((await opened.value.next.unprotect(fromCarol.privateMessage)).ok, false, "replay");
  const ct = fromCarol.privateMessage.ciphertext.slice();
  ct[ct.length - 1] = (ct[ct.length - 1] ?? 0) ^ 1;
  assert.equal((await bobGroup.unprotect({ ...fromCarol.privateMessage, ciphertext: ct })).ok, false, "tampered");
  void processPublicMessage;
});

// The lock and new hosts are GroupContextExtensions commits in a group with
// an external sender (the server). ts-mls 1.6.4 reads that extension as one
// ExternalSender and refuses such commits, and makes them without the
// UpdatePath RFC 9420 requires; the bundles carry the fixes of
// scripts/ts_mls_fix.mjs, which these two tests exercise from both sides.
function withPolicy(extensions: Extension[], hosts: Uint8Array[], locked: number): Extension[] {
  return withMeetingPolicy(extensions, { hosts, locked });
}

test("a host's GroupContextExtensions commit (the lock, a new host) is applied; a non-host's is refused (CV-POLICY-004)", async () => {
  const { impl, alice, bob, aliceState, carolState, bobGroup } = await setup();
  const next = withPolicy(bobGroup.extensions, [alice.signaturePublicKey, bob.signaturePublicKey], 1);
  const gce = { proposalType: "group_context_extensions" as const, groupContextExtensions: { extensions: next } };
  const rogue = await createCommit({ state: carolState, cipherSuite: impl }, { extraProposals: [gce], wireAsPublicMessage: true });
  const refused = await bobGroup.processCommit(publicMessage(rogue.commit), policyFor(bobGroup));
  assert.equal(refused.kind, "rejected");
  assert.equal(refused.kind === "rejected" && refused.rule, "CV-POLICY-004");

  const lock = await createCommit({ state: aliceState, cipherSuite: impl }, { extraProposals: [gce], wireAsPublicMessage: true });
  // RFC 9420 section 12.4: GroupContextExtensions requires an UpdatePath.
  const lockContent = publicMessage(lock.commit).content;
  assert.ok(lockContent.contentType === "commit" && lockContent.commit.path !== undefined, "a lock commit without an UpdatePath");
  const applied = await bobGroup.processCommit(publicMessage(lock.commit), policyFor(bobGroup));
  assert.equal(applied.kind, "applied", applied.kind === "rejected" ? applied.reason : "");
  if (applied.kind !== "applied") return;
  const policy = policyOf(applied.group.extensions);
  assert.ok(policy.ok);
  assert.equal(policy.value.locked, 1);
  assert.ok(isHost(policy.value, bob.signaturePublicKey));
  // The server is still external sender 0 (the list survived the commit).
  assert.deepEqual(applied.group.extensions, lock.newState.groupContext.extensions);
});

test("MeetingGroup commits a GroupContextExtensions proposal that ts-mls members apply", async () => {
  const { impl, alice, aliceState, bobGroup } = await setup();
  const unlocked = withPolicy(bobGroup.extensions, [alice.signaturePublicKey], 1);
  const committed = await bobGroup.commit([], false, unlocked);
  assert.ok(committed.ok, committed.ok ? "" : committed.error);
  assert.equal(committed.value.next.epoch, 2n);
  const message = decodeMlsMessage(committed.value.commit, 0)![0];
  const content = publicMessage(message).content;
  assert.ok(content.contentType === "commit" && content.commit.path !== undefined, "a GroupContextExtensions commit without an UpdatePath");
  const processed = await processPublicMessage(aliceState, publicMessage(message), emptyPskIndex, impl);
  assert.equal(processed.newState.groupContext.epoch, 2n);
  assert.deepEqual(processed.newState.groupContext.extensions, committed.value.next.extensions);
  const policy = policyOf(processed.newState.groupContext.extensions);
  assert.ok(policy.ok && policy.value.locked === 1);
});
