// System test `system.web_member`: TypeScript meeting members (this
// package's MeetingSession over a pinned WSS connection) in the same
// meeting and MLS group as a native `conclave join` host, against a real
// `conclave server` on loopback.
//
//   0. a TS member with a wrong certificate pin cannot connect
//   1. native host + TS alice + TS bob: one roster (names, host flags), one
//      security code at the same epoch, the same SFrame base key as the
//      native client derives; chat both ways
//      the host key locks the meeting (REST): the native host commits the
//      lock into the policy, the TS members apply it
//   2. alice leaves: the server proposes her Remove, the native host
//      commits it; host and bob agree on the new epoch and code, which
//      changed
//   3. the host leaves: bob (TS) commits the server's Remove; the server
//      sequences it and bob is alone in a new epoch
//   4. a TS host creates the group and adds a native and a TS participant;
//      all agree; chat both ways. A native joiner with the host key is added
//      and named host in the policy; the host key locks the meeting (REST):
//      the TS host commits the lock into the policy, native and TS members
//      apply it (GroupContextExtensions commits), a newcomer is refused
//   4b. a TS member's connection drops while a native member joins: it
//      resumes with its token, catches up on the commit it missed (same
//      code as the host) and chats again
//   5. hostile server (server_add): the TS member refuses the server's Add
//      proposal (CV-POLICY-005) and still follows the honest path
//   6. hostile server (forge_commit): the TS member refuses the forged commit
//
// Usage: node build/test-system/web_member.mjs --conclave PATH

import {
  createMeeting,
  dumpOnFailure,
  fail,
  NativeMember,
  patchMeeting,
  droppableTransport,
  sleep,
  startServer,
  startTsMember,
  stopAll,
  type Json,
  type Server,
  type TsMember,
} from "./lib/harness.js";
import type { MeetingEvent } from "../../src/meeting/events.js";
import { pinnedWsTransport } from "../../src/node/ws_transport.js";
import { toHex } from "../../src/util/bytes.js";

const kOverallTimeoutMs = 170_000;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const conclave = argValue("--conclave") ?? fail("usage: web_member.mjs --conclave PATH");
const natives: NativeMember[] = [];
const members: TsMember[] = [];
const servers: Server[] = [];

function step(text: string): void {
  console.log(`web_member: ${text}`);
}

type Roster = Array<{ name: string; host: boolean; self: boolean }>;

function rosterOf(e: Json | MeetingEvent): Roster {
  const members = (e as { members?: unknown }).members;
  if (!Array.isArray(members)) return [];
  return (members as Roster).map((m) => ({ name: m.name, host: m.host, self: m.self })).sort((a, b) => a.name.localeCompare(b.name));
}

function names(e: Json | MeetingEvent): string {
  return rosterOf(e).map((m) => m.name).join(",");
}

function expectEqual(what: string, a: unknown, b: unknown): void {
  if (JSON.stringify(a) !== JSON.stringify(b)) fail(`${what}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
}

const isEpoch = (epoch: number) => (e: Json | MeetingEvent) => e.event === "epoch" && e["epoch" as keyof typeof e] === epoch;

async function honestMeeting(): Promise<void> {
  const server = await startServer(conclave);
  servers.push(server);
  const meeting = await createMeeting(conclave, server);
  step(`server ${server.url}, meeting ${meeting.meetingId}`);

  // 0. The pin: a wrong fingerprint never gets as far as hello.
  const wrongPin = server.fingerprint.replace(/^[0-9A-F]/, (c) => (c === "0" ? "1" : "0"));
  const mallory = await startTsMember(server, meeting, "mallory", { transport: pinnedWsTransport(wrongPin) });
  await Promise.race([mallory.session.ended, sleep(10_000)]);
  const refused = mallory.find((e) => e.event === "error" && e.code === "connect");
  if (refused === undefined || !/does not match the pinned fingerprint/.test((refused as { message: string }).message)) {
    fail(`a wrong pin was not refused: ${JSON.stringify(mallory.session.events)}`);
  }
  step("a wrong certificate pin is refused before hello");

  const host = new NativeMember(conclave, server, meeting, "host", [
    "--host-key", meeting.hostKey, "--admit", "all", "--wait-members", "3",
    "--say", "hello from native", "--for", "60", "--test-reveal-secrets",
  ]);
  natives.push(host);
  await host.wait("group created", 20, (e) => e.event === "epoch");
  const alice = await startTsMember(server, meeting, "alice");
  // bob waits long before committing the server's Removes, so that the
  // native host commits alice's; later he commits the host's at once.
  let bobCommitDelayMs = 5000;
  const bob = await startTsMember(server, meeting, "bob", { commitDelayMs: () => bobCommitDelayMs });
  members.push(alice, bob);

  // 1. One roster, one code, one SFrame key.
  const threeHost = await host.wait("a roster of 3", 40, (e) => e.event === "roster" && rosterOf(e).length === 3);
  const e3 = Number(threeHost["epoch"]);
  const hostEpoch = await host.wait(`epoch ${e3}`, 5, isEpoch(e3));
  for (const m of [alice, bob]) await m.wait(`epoch ${e3}`, 20, isEpoch(e3));
  const code = String(hostEpoch["security_code"]);
  if (!/^\d{5} \d{5} \d{5} \d{5}$/.test(code)) fail(`host's security code ${code}`);
  for (const m of [alice, bob]) {
    const e = m.find(isEpoch(e3)) as Extract<MeetingEvent, { event: "epoch" }>;
    expectEqual(`${m.name}'s security code at epoch ${e3}`, e.security_code, code);
    expectEqual(`${m.name}'s epoch authenticator at epoch ${e3}`, e.epoch_authenticator, hostEpoch["epoch_authenticator"]);
    if (typeof hostEpoch["sframe_base_key"] === "string") {
      expectEqual(`${m.name}'s SFrame base key at epoch ${e3}`, e.sframe_base_key, hostEpoch["sframe_base_key"]);
    } else if (typeof hostEpoch["exporter_secret"] === "string") {
      // An older native client prints MLS-Exporter("SFrame 1.0 Base Key", "", 32) instead.
      expectEqual(`${m.name}'s 32-byte exporter at epoch ${e3}`, e.exporter_secret, hostEpoch["exporter_secret"]);
    } else {
      fail("the native host's epoch event carries no SFrame key (--test-reveal-secrets)");
    }
    if (e.sframe_base_key?.length !== 32) fail(`${m.name}'s SFrame base key is not 16 bytes: ${e.sframe_base_key}`);
  }
  step(`epoch ${e3}: security code ${code} and SFrame base key agree (host, alice, bob)`);
  const live = await alice.session.sframeBaseKey();
  expectEqual("alice's sframeBaseKey()", live && toHex(live), (alice.find(isEpoch(e3)) as { sframe_base_key?: string }).sframe_base_key);

  const hostRoster = rosterOf(threeHost).map(({ name, host: h }) => ({ name, host: h }));
  expectEqual("host's roster", hostRoster, [
    { name: "alice", host: false },
    { name: "bob", host: false },
    { name: "host", host: true },
  ]);
  for (const m of [alice, bob]) {
    const r = await m.wait(`roster at ${e3}`, 5, (e) => e.event === "roster" && e.epoch === e3);
    expectEqual(`${m.name}'s roster`, rosterOf(r).map(({ name, host: h }) => ({ name, host: h })), hostRoster);
    expectEqual(`${m.name}'s self flag`, rosterOf(r).filter((x) => x.self).map((x) => x.name), [m.name]);
  }
  step("rosters agree (names from credentials, host flags from the policy)");

  // Chat both ways.
  for (const m of [alice, bob]) {
    await m.wait("the native host's chat", 20, (e) => e.event === "chat" && e.text === "hello from native" && e.from === "host");
  }
  if (!(await alice.session.say("hello from alice"))) fail("alice could not send");
  await host.wait("alice's chat", 20, (e) => e.event === "chat" && e["text"] === "hello from alice" && e["from"] === "alice");
  await bob.wait("alice's chat", 20, (e) => e.event === "chat" && e.text === "hello from alice" && e.from === "alice");
  step("chat: native -> ts and ts -> native, ts");

  // The lock (REST with the host key): the native host commits it into the
  // policy (a GroupContextExtensions commit with an UpdatePath); the TS
  // members apply it.
  if ((await patchMeeting(server, meeting, { locked: true })) !== 200) fail("PATCH locked refused");
  const lockedHost = await host.wait("the lock committed", 20, (e) => e.event === "epoch" && e["locked"] === true);
  const eLocked = Number(lockedHost["epoch"]);
  for (const m of [alice, bob]) {
    const e = (await m.wait(`epoch ${eLocked}`, 20, isEpoch(eLocked))) as Extract<MeetingEvent, { event: "epoch" }>;
    if (!e.locked || e.security_code !== lockedHost["security_code"]) fail(`${m.name} at epoch ${eLocked}: ${JSON.stringify(e)}`);
  }
  step(`the native host committed the lock at epoch ${eLocked}; alice and bob (TS) applied it (same code)`);

  // 2. alice leaves: the server's Remove, committed by a member.
  await alice.session.leave();
  const left = alice.find((e) => e.event === "left");
  expectEqual("alice's end", left && (left as { reason: string }).reason, "left");
  const twoHost = await host.wait("alice removed", 20, (e) => e.event === "roster" && Number(e["epoch"]) > e3 && names(e) === "bob,host");
  const e2 = Number(twoHost["epoch"]);
  await bob.wait(`epoch ${e2}`, 20, isEpoch(e2));
  const bobRoster = await bob.wait(`roster at ${e2}`, 5, (e) => e.event === "roster" && e.epoch === e2);
  expectEqual("bob's roster after the leave", names(bobRoster), "bob,host");
  const hostE2 = host.find(isEpoch(e2))!;
  const bobE2 = bob.find(isEpoch(e2)) as Extract<MeetingEvent, { event: "epoch" }>;
  expectEqual(`bob's code at epoch ${e2}`, bobE2.security_code, hostE2["security_code"]);
  if (bobE2.security_code === code) fail("the security code did not change with the epoch");
  if (typeof hostE2["sframe_base_key"] === "string") {
    expectEqual(`bob's SFrame base key at epoch ${e2}`, bobE2.sframe_base_key, hostE2["sframe_base_key"]);
  }
  step(`alice left; epoch ${e2}: host and bob agree, new code ${bobE2.security_code}`);

  // 3. The host leaves (SIGTERM: a clean leave); bob commits its Remove.
  bobCommitDelayMs = 0;
  host.process.kill("SIGTERM");
  const alone = await bob.wait("the host removed", 20, (e) => e.event === "roster" && e.epoch > e2 && names(e) === "bob");
  step(`the host left; bob committed its Remove: epoch ${(alone as { epoch: number }).epoch}, roster [bob]`);
}

async function tsHostMeeting(): Promise<void> {
  const server = await startServer(conclave);
  servers.push(server);
  const meeting = await createMeeting(conclave, server);
  const tsHost = await startTsMember(server, meeting, "ts_host", { hostKey: meeting.hostKey, admitAll: true });
  members.push(tsHost);
  await tsHost.wait("group created", 20, (e) => e.event === "epoch" && e.epoch === 0);
  const native = new NativeMember(conclave, server, meeting, "native", [
    "--wait-members", "3", "--say", "hi from native", "--for", "40", "--test-reveal-secrets",
  ]);
  natives.push(native);
  const carol = await startTsMember(server, meeting, "carol");
  members.push(carol);
  const three = await tsHost.wait("a roster of 3", 40, (e) => e.event === "roster" && e.members.length === 3);
  const epoch = (three as { epoch: number }).epoch;
  expectEqual("the TS host's roster", rosterOf(three).map(({ name, host }) => ({ name, host })), [
    { name: "carol", host: false },
    { name: "native", host: false },
    { name: "ts_host", host: true },
  ]);
  const nativeEpoch = await native.wait(`epoch ${epoch}`, 20, isEpoch(epoch));
  const nativeRoster = await native.wait(`roster at ${epoch}`, 5, (e) => e.event === "roster" && e["epoch"] === epoch);
  expectEqual("the native member's roster", rosterOf(nativeRoster).map(({ name, host }) => ({ name, host })), rosterOf(three).map(({ name, host }) => ({ name, host })));
  await carol.wait(`epoch ${epoch}`, 20, isEpoch(epoch));
  for (const m of [tsHost, carol]) {
    const e = m.find(isEpoch(epoch)) as Extract<MeetingEvent, { event: "epoch" }>;
    expectEqual(`${m.name}'s code at epoch ${epoch}`, e.security_code, nativeEpoch["security_code"]);
    const key = typeof nativeEpoch["sframe_base_key"] === "string" ? "sframe_base_key" : "exporter_secret";
    expectEqual(`${m.name}'s ${key} at epoch ${epoch}`, e[key], nativeEpoch[key]);
  }
  for (const m of [tsHost, carol]) {
    await m.wait("the native member's chat", 20, (e) => e.event === "chat" && e.text === "hi from native" && e.from === "native");
  }
  if (!(await tsHost.session.say("hi from the ts host"))) fail("the TS host could not send");
  await native.wait("the TS host's chat", 20, (e) => e.event === "chat" && e["text"] === "hi from the ts host" && e["from"] === "ts_host");
  step(`a TS host created the group and added native and TS members: epoch ${epoch}, one code, chat both ways`);

  // A second host (native, with the host key): the TS host names it in the policy.
  const cohost = new NativeMember(conclave, server, meeting, "cohost", ["--host-key", meeting.hostKey, "--for", "40"]);
  natives.push(cohost);
  const four = await tsHost.wait("a roster of 4", 40, (e) => e.event === "roster" && e.members.length === 4);
  const fourEpoch = (four as { epoch: number }).epoch;
  const hosts = rosterOf(four).filter((m) => m.host).map((m) => m.name).sort();
  expectEqual("hosts in the TS host's roster", hosts, ["cohost", "ts_host"]);
  for (const m of [native, cohost]) {
    const r = await m.wait(`roster at ${fourEpoch}`, 20, (e) => e.event === "roster" && e["epoch"] === fourEpoch);
    expectEqual(`hosts in ${m.name}'s roster`, rosterOf(r).filter((x) => x.host).map((x) => x.name).sort(), hosts);
  }
  const carolFour = await carol.wait(`roster at ${fourEpoch}`, 20, (e) => e.event === "roster" && e.epoch === fourEpoch);
  expectEqual("hosts in carol's roster", rosterOf(carolFour).filter((x) => x.host).map((x) => x.name).sort(), hosts);

  // The lock: REST with the host key; the TS host commits it into the policy.
  const status = await patchMeeting(server, meeting, { locked: true });
  if (status !== 200) fail(`PATCH locked: HTTP ${status}`);
  const lockedEvent = await tsHost.wait("the lock committed", 20, (e) => e.event === "epoch" && e.locked);
  const lockedEpoch = (lockedEvent as { epoch: number }).epoch;
  const code = (lockedEvent as { security_code: string }).security_code;
  for (const m of [native, cohost]) {
    const e = await m.wait(`locked epoch ${lockedEpoch}`, 20, isEpoch(lockedEpoch));
    if (e["locked"] !== true || e["security_code"] !== code) fail(`${m.name} at epoch ${lockedEpoch}: ${JSON.stringify(e)}`);
  }
  const carolLocked = await carol.wait(`locked epoch ${lockedEpoch}`, 20, isEpoch(lockedEpoch));
  if (!(carolLocked as { locked: boolean }).locked) fail(`carol at epoch ${lockedEpoch}: ${JSON.stringify(carolLocked)}`);
  const late = await startTsMember(server, meeting, "late");
  members.push(late);
  await late.wait("meeting_locked", 20, (e) => e.event === "left" && e.detail === "meeting_locked");
  step(`cohost (native, host key) named host by the TS host at epoch ${fourEpoch}; the lock committed by a host (TS or native) at epoch ${lockedEpoch} and applied by every member (code ${code}); a newcomer is refused (meeting_locked)`);
}

async function resumedMeeting(): Promise<void> {
  const server = await startServer(conclave);
  servers.push(server);
  const meeting = await createMeeting(conclave, server);
  const host = new NativeMember(conclave, server, meeting, "host_r", ["--host-key", meeting.hostKey, "--admit", "all", "--for", "60"]);
  natives.push(host);
  await host.wait("group created", 20, (e) => e.event === "epoch");
  const network = droppableTransport(server.fingerprint);
  const dana = await startTsMember(server, meeting, "dana", { transport: network.factory });
  members.push(dana);
  await dana.wait("a roster of 2", 30, (e) => e.event === "roster" && e.members.length === 2);
  // The network goes down; meanwhile eve joins and the host adds her.
  network.block(true);
  network.drop();
  await dana.wait("reconnecting", 10, (e) => e.event === "reconnecting");
  const eve = new NativeMember(conclave, server, meeting, "eve_r", ["--for", "40"]);
  natives.push(eve);
  const three = await host.wait("eve added", 20, (e) => e.event === "roster" && names(e) === "dana,eve_r,host_r");
  const epoch = Number(three["epoch"]);
  network.block(false);
  const resumed = await dana.wait("resumed", 20, (e) => e.event === "joined" && e.resumed);
  const caught = (await dana.wait(`epoch ${epoch} (caught up)`, 20, isEpoch(epoch))) as Extract<MeetingEvent, { event: "epoch" }>;
  const hostEpoch = host.find(isEpoch(epoch))!;
  expectEqual(`dana's code at epoch ${epoch}`, caught.security_code, hostEpoch["security_code"]);
  if (!(await dana.session.say("back again"))) fail("dana could not send after the resume");
  await host.wait("dana's chat after the resume", 20, (e) => e.event === "chat" && e["text"] === "back again" && e["from"] === "dana");
  const attempts = dana.session.events.filter((e) => e.event === "reconnecting").length;
  step(`resume: dana's connection dropped (${attempts} reconnect attempt(s)); eve was added while dana was away (epoch ${epoch}); dana resumed as ${(resumed as { participant_id: string }).participant_id}, caught up to epoch ${epoch} with the host's code, and chats again`);
}

async function hostileMeeting(mode: "server_add" | "forge_commit"): Promise<void> {
  const server = await startServer(conclave, ["--test-hostile", mode], { CONCLAVE_TEST_HOSTILE: "1" });
  servers.push(server);
  const meeting = await createMeeting(conclave, server);
  const host = new NativeMember(conclave, server, meeting, `host_${mode}`, [
    "--host-key", meeting.hostKey, "--admit", "all", "--for", "40",
  ]);
  natives.push(host);
  await host.wait("group created", 20, (e) => e.event === "epoch");
  const alice = await startTsMember(server, meeting, `alice_${mode}`);
  members.push(alice);
  await alice.wait("a roster of 2", 30, (e) => e.event === "roster" && e.members.length === 2);
  const carol = new NativeMember(conclave, server, meeting, `carol_${mode}`, ["--for", "30"]);
  natives.push(carol);
  const what = mode === "server_add" ? "proposal" : "commit";
  const rejected = await alice.wait(`a rejected ${what}`, 20, (e) => e.event === "rejected" && e.what === what);
  if (mode === "server_add") {
    const rule = (rejected as { rule?: string }).rule;
    if (rule !== "CV-POLICY-005") fail(`alice refused the server's Add under ${rule ?? "no rule"}: ${JSON.stringify(rejected)}`);
  }
  // The honest path still works: the host adds carol, everyone agrees.
  const three = await alice.wait("a roster of 3", 30, (e) => e.event === "roster" && e.members.length === 3);
  if (rosterOf(three).some((m) => m.name === "conclave-server")) fail("the server is in alice's roster");
  const epoch = (three as { epoch: number }).epoch;
  const hostEpoch = await host.wait(`epoch ${epoch}`, 10, isEpoch(epoch));
  const aliceEpoch = alice.find(isEpoch(epoch)) as Extract<MeetingEvent, { event: "epoch" }>;
  expectEqual(`codes at epoch ${epoch}`, aliceEpoch.security_code, hostEpoch["security_code"]);
  step(`${mode}: alice refused the ${what} (${JSON.stringify((rejected as { reason: string }).reason)}), then agreed with the host at epoch ${epoch}`);
}

const watchdog = setTimeout(() => {
  console.error(`web_member: FAILED: over ${kOverallTimeoutMs / 1000} s`);
  dumpOnFailure(natives, members, servers);
  process.exit(1);
}, kOverallTimeoutMs);

let status = 0;
try {
  await honestMeeting();
  await tsHostMeeting();
  await resumedMeeting();
  await hostileMeeting("server_add");
  await hostileMeeting("forge_commit");
  console.log("web_member: all checks passed");
} catch (e) {
  status = 1;
  console.error(`web_member: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  dumpOnFailure(natives, members, servers);
} finally {
  await stopAll();
  clearTimeout(watchdog);
}
process.exit(status);
