// MeetingSession against a scripted server (an in-memory transport): the
// hello and KeyPackage it sends, the lobby/joined/denied flow, and hostile
// frames that must give events, never exceptions or state changes.

import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeMlsMessage } from "ts-mls";

import { kPolicyExtensionType } from "../src/meeting/policy.js";
import { MeetingSession } from "../src/meeting/session.js";
import type { TransportFactory, TransportHandlers } from "../src/signaling/transport.js";
import { fromBase64url, toBase64url } from "../src/util/bytes.js";

class FakeServer {
  sent: Record<string, unknown>[] = [];
  closed = false;
  handlers: TransportHandlers | undefined;

  factory: TransportFactory = async (_url, handlers) => {
    this.handlers = handlers;
    return {
      send: (text) => this.sent.push(JSON.parse(text) as Record<string, unknown>),
      close: () => {
        this.closed = true;
      },
    };
  };

  push(message: Record<string, unknown> | string): void {
    this.handlers!.message(typeof message === "string" ? message : JSON.stringify({ v: 1, id: "s1", ...message }));
  }

  ofType(type: string): Record<string, unknown>[] {
    return this.sent.filter((m) => m["type"] === type);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
}

async function session(server: FakeServer, extra: { hostKey?: string } = {}) {
  const s = await MeetingSession.create({
    url: "wss://test/api/v1/signal",
    meetingId: "m1",
    displayName: "Zoë",
    transport: server.factory,
    ...extra,
  });
  await s.start();
  return s;
}

test("hello, lobby, KeyPackage with the policy capability, admission", async () => {
  const server = new FakeServer();
  const s = await session(server);
  const hello = server.ofType("hello")[0]!;
  assert.deepEqual(hello, { v: 1, type: "hello", id: "c1", meeting_id: "m1", display_name: "Zoë" });
  assert.equal(s.phase, "connecting");

  server.push({ type: "lobby", in_reply_to: "c1", participant_id: "p7", meeting: { meeting_id: "m1" } });
  await settle();
  assert.equal(s.phase, "lobby");
  assert.equal(s.participantId, "p7");
  const kp = server.ofType("key_package");
  assert.equal(kp.length, 1);
  const bytes = fromBase64url(String(kp[0]!["key_package"]));
  assert.ok(bytes.ok);
  const [message] = decodeMlsMessage(bytes.value, 0)!;
  assert.equal(message.wireformat, "mls_key_package");
  if (message.wireformat !== "mls_key_package") return;
  const leaf = message.keyPackage.leafNode;
  assert.ok(leaf.capabilities.extensions.includes(kPolicyExtensionType));
  assert.equal(leaf.credential.credentialType, "basic");
  assert.equal(new TextDecoder().decode((leaf.credential as { identity: Uint8Array }).identity), "Zoë");
  assert.equal(message.keyPackage.cipherSuite, "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519");

  server.push({ type: "joined", participant_id: "p7", role: "participant", meeting: { meeting_id: "m1" }, group: { epoch: 1 } });
  await settle();
  assert.equal(s.phase, "joined");
  assert.equal(server.ofType("key_package").length, 1, "uploaded once");
  assert.deepEqual(
    s.events.map((e) => e.event),
    ["lobby", "joined"],
  );
  server.push({ type: "denied" });
  await settle();
});

test("hostile frames give events and change nothing", async () => {
  const server = new FakeServer();
  const s = await session(server);
  server.push({ type: "lobby", in_reply_to: "c1", participant_id: "p2" });
  await settle();
  const garbage = toBase64url(Uint8Array.from([0, 1, 0, 3, 9, 9, 9]));
  const frames: (Record<string, unknown> | string)[] = [
    "not json",
    "[1,2]",
    '{"v":2,"type":"joined"}',
    { type: 7 },
    { type: "welcome", welcome: "!!" },
    { type: "welcome", welcome: garbage },
    { type: "welcome" },
    { type: "commit", commit: garbage }, // not a member: ignored
    { type: "proposal", proposal: garbage },
    { type: "application", message: garbage },
    { type: "participant_waiting", participant: "x" },
    { type: "meeting_updated", meeting: [] },
    { type: "error", code: 5 },
    { type: "something_new" },
  ];
  for (const f of frames) server.push(f);
  await settle();
  assert.equal(s.phase, "lobby");
  const kinds = s.events.map((e) => e.event);
  assert.equal(kinds.filter((k) => k === "error").length >= 4, true, JSON.stringify(s.events));
  const rejected = s.events.filter((e) => e.event === "rejected");
  assert.deepEqual(
    rejected.map((e) => (e as { what: string }).what),
    ["welcome", "welcome", "welcome"],
  );
  assert.equal(s.isMember, false);
  assert.equal(s.securityCode(), "");
  assert.equal(await s.sframeBaseKey(), undefined);
  assert.equal(await s.say("x"), false, "not a member");
});

test("denied, removed and a refused hello end the session", async () => {
  for (const [message, reason] of [
    [{ type: "denied" }, "denied"],
    [{ type: "removed", reason: "removed" }, "removed"],
    [{ type: "error", in_reply_to: "c1", code: "bad_passcode", message: "wrong" }, "failed"],
  ] as const) {
    const server = new FakeServer();
    const s = await session(server);
    server.push(message);
    await s.ended;
    assert.equal(s.phase, "ended");
    const left = s.events.at(-1) as { event: string; reason: string };
    assert.equal(left.event, "left");
    assert.equal(left.reason, reason);
    assert.ok(server.closed);
  }
});

test("leave: sends leave and ends on the ack", async () => {
  const server = new FakeServer();
  const s = await session(server);
  server.push({ type: "joined", in_reply_to: "c1", participant_id: "p1", role: "participant", group: null });
  await settle();
  const leaving = s.leave();
  await settle();
  const leave = server.ofType("leave")[0]!;
  server.push({ type: "ack", in_reply_to: leave["id"] });
  await leaving;
  assert.equal((s.events.at(-1) as { reason: string }).reason, "left");
});

test("the first host creates the group: group_info with the policy naming it, member on the ack", async () => {
  const server = new FakeServer();
  const s = await session(server, { hostKey: "k" });
  assert.equal(server.ofType("hello")[0]!["host_key"], "k");
  const { encodeExternalSenders } = await import("../src/mls/external_senders.js");
  const serverSender = encodeExternalSenders([{ signatureKey: new Uint8Array(32).fill(3), identity: new TextEncoder().encode("conclave-server") }]).slice(1);
  server.push({ type: "joined", in_reply_to: "c1", participant_id: "p1", role: "host", group: null, external_sender: toBase64url(serverSender) });
  await settle();
  assert.equal(server.ofType("key_package").length, 0, "a creator uploads no KeyPackage");
  const info = server.ofType("group_info")[0]!;
  const bytes = fromBase64url(String(info["group_info"]));
  assert.ok(bytes.ok);
  const [message] = decodeMlsMessage(bytes.value, 0)!;
  assert.equal(message.wireformat, "mls_group_info");
  if (message.wireformat !== "mls_group_info") return;
  const context = message.groupInfo.groupContext;
  assert.equal(context.epoch, 0n);
  const { policyOf } = await import("../src/meeting/policy.js");
  const policy = policyOf(context.extensions);
  assert.ok(policy.ok);
  assert.equal(policy.value.hosts.length, 1);
  assert.equal(s.isMember, false, "not before the ack");
  server.push({ type: "ack", in_reply_to: info["id"], epoch: 0 });
  await settle();
  assert.equal(s.isMember, true);
  assert.deepEqual(s.roster(), [{ leaf: 0, name: "Zoë", host: true, self: true }]);
  assert.match(s.securityCode(), /^\d{5} \d{5} \d{5} \d{5}$/);
  assert.equal((await s.sframeBaseKey())?.length, 16);
});

test("a refused group_info falls back to a KeyPackage", async () => {
  const server = new FakeServer();
  const s = await session(server, { hostKey: "k" });
  const { encodeExternalSenders } = await import("../src/mls/external_senders.js");
  const serverSender = encodeExternalSenders([{ signatureKey: new Uint8Array(32).fill(3), identity: new Uint8Array(0) }]).slice(1);
  server.push({ type: "joined", in_reply_to: "c1", participant_id: "p1", role: "host", group: null, external_sender: toBase64url(serverSender) });
  await settle();
  const info = server.ofType("group_info")[0]!;
  server.push({ type: "error", in_reply_to: info["id"], code: "out_of_order", message: "the meeting has a group" });
  await settle();
  assert.equal(server.ofType("key_package").length, 1);
  assert.equal(s.isMember, false);
});

test("add_request: invalid KeyPackages are refused one by one (two in one commit crash ts-mls)", async () => {
  const server = new FakeServer();
  const s = await session(server, { hostKey: "k" });
  const { encodeExternalSenders } = await import("../src/mls/external_senders.js");
  const { MemberKeys } = await import("../src/mls/member_keys.js");
  const { loadSuite } = await import("../src/mls/suite.js");
  const serverSender = encodeExternalSenders([{ signatureKey: new Uint8Array(32).fill(3), identity: new Uint8Array(0) }]).slice(1);
  server.push({ type: "joined", in_reply_to: "c1", participant_id: "p1", role: "host", group: null, external_sender: toBase64url(serverSender) });
  await settle();
  server.push({ type: "ack", in_reply_to: server.ofType("group_info")[0]!["id"], epoch: 0 });
  await settle();
  assert.ok(s.isMember);
  const impl = await loadSuite();
  for (const name of ["bob", "carol"]) {
    const kp = (await MemberKeys.create(name, impl)).encodedKeyPackage();
    kp[kp.length - 1] = (kp[kp.length - 1] ?? 0) ^ 1; // the KeyPackage's signature
    server.push({ type: "add_request", participant: { participant_id: name, display_name: name, role: "participant" }, key_package: toBase64url(kp) });
  }
  const wrongName = (await MemberKeys.create("eve", impl)).encodedKeyPackage();
  server.push({ type: "add_request", participant: { participant_id: "p9", display_name: "dave", role: "participant" }, key_package: toBase64url(wrongName) });
  await settle();
  await settle();
  const rejected = s.events.filter((e) => e.event === "rejected" && e.what === "add_request");
  assert.equal(rejected.length, 3, JSON.stringify(s.events));
  assert.equal(server.ofType("commit").length, 0);
  const good = (await MemberKeys.create("frank", impl)).encodedKeyPackage();
  server.push({ type: "add_request", participant: { participant_id: "p5", display_name: "frank", role: "participant" }, key_package: toBase64url(good) });
  for (let i = 0; i < 5 && server.ofType("commit").length === 0; i++) await settle();
  assert.equal(server.ofType("commit").length, 1, "a valid KeyPackage is committed");
  assert.ok(server.ofType("commit")[0]!["welcome"]);
});

test("people: participants and lobby from the server, admit/deny/remove with their replies", async () => {
  const server = new FakeServer();
  const s = await session(server, { hostKey: "k" });
  let changes = 0;
  s.watchPeople(() => changes++);
  server.push({
    type: "joined",
    in_reply_to: "c1",
    participant_id: "p1",
    role: "host",
    meeting: { meeting_id: "m1" },
    group: { epoch: 1 },
    participants: [{ participant_id: "p2", display_name: "Ann", role: "participant" }, { display_name: "no id" }, 7],
    lobby: [{ participant_id: "p3", display_name: "Eve", role: "participant" }],
  });
  await settle();
  assert.deepEqual(s.participants().map((p) => `${p.participantId}:${p.displayName}:${p.role}`).sort(), ["p1:Zoë:host", "p2:Ann:participant"]);
  assert.deepEqual(s.lobby().map((p) => p.participantId), ["p3"]);
  assert.ok(changes > 0);

  server.push({ type: "participant_waiting", participant: { participant_id: "p4", display_name: "Bob", role: "participant" } });
  server.push({ type: "participant_joined", participant: { participant_id: "p5", display_name: "Cy", role: "participant" } });
  server.push({ type: "participant_left", participant_id: "p2" });
  server.push({ type: "lobby_left", participant_id: "p3", reason: "left" });
  server.push({ type: "participant_joined", participant: "not an object" });
  await settle();
  assert.deepEqual(s.lobby().map((p) => p.participantId), ["p4"]);
  assert.deepEqual(s.participants().map((p) => p.participantId).sort(), ["p1", "p5"]);

  // admit: sends admit, resolves ok on the ack, and the entry leaves the lobby.
  const admitted = s.admit("p4");
  await settle();
  const admit = server.ofType("admit").at(-1)!;
  assert.equal(admit["participant_id"], "p4");
  server.push({ type: "ack", id: "s2", in_reply_to: admit["id"] });
  assert.deepEqual(await admitted, { ok: true });
  assert.deepEqual(s.lobby(), []);

  // deny of someone unknown: the server's error code comes back.
  const denied = s.deny("p9");
  await settle();
  const deny = server.ofType("deny").at(-1)!;
  server.push({ type: "error", id: "s3", in_reply_to: deny["id"], code: "unknown_participant", message: "no" });
  const d = await denied;
  assert.equal(d.ok, false);
  if (!d.ok) assert.equal(d.code, "unknown_participant");

  const removed = s.remove("p5");
  await settle();
  const remove = server.ofType("remove").at(-1)!;
  assert.equal(remove["participant_id"], "p5");
  server.push({ type: "ack", id: "s4", in_reply_to: remove["id"] });
  assert.deepEqual(await removed, { ok: true });
});
