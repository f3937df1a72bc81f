// A time-bounded mutation fuzzer for everything in web/ that reads hostile
// input: the signaling frame parser, MLS message decoding, the policy and
// external-senders codecs, chat payloads, SFrame frames (the header parser
// and MlsSframe.unprotect, as the media worker runs them on every received
// frame), and a member MeetingSession fed
// mutated server frames built from real messages of its own group. A
// parser that throws, or a session handler that lets an exception reach
// the session's queue (an `internal` error event), is a finding: the input
// is printed in hex and the run fails.
//
//   node build/fuzz/web_fuzz.mjs [--seconds N] [--seed S]

import { createApplicationMessage, createCommit, emptyPskIndex, encodeMlsMessage, joinGroup, type ClientState } from "ts-mls";

import { decodeHeader, kContextAudio, kContextVideo, MlsSframe } from "../../src/media/sframe.js";
import { decodeChat, encodeChat } from "../../src/meeting/chat.js";
import type { MeetingEvent } from "../../src/meeting/events.js";
import { decodeMeetingPolicy, encodeMeetingPolicy } from "../../src/meeting/policy.js";
import { MeetingSession } from "../../src/meeting/session.js";
import { decodeExternalSender, decodeExternalSenders, encodeExternalSenders } from "../../src/mls/external_senders.js";
import { MemberKeys } from "../../src/mls/member_keys.js";
import { decodeMlsMessageAs } from "../../src/mls/mls_message.js";
import { loadSuite } from "../../src/mls/suite.js";
import { parseServerMessage } from "../../src/signaling/message.js";
import type { TransportHandlers } from "../../src/signaling/transport.js";
import { fromBase64url, toBase64url, toHex, utf8 } from "../../src/util/bytes.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const seconds = arg("--seconds", 10);
let state = arg("--seed", Date.now() % 2 ** 31) >>> 0;
console.log(`web_fuzz: ${seconds} s, seed ${state}`);

// xorshift32: reproducible with --seed.
function rand(n: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return n <= 0 ? 0 : state % n;
}

function mutate(seed: Uint8Array, others: Uint8Array[]): Uint8Array {
  let b = Array.from(seed);
  for (let k = 1 + rand(4); k > 0; k--) {
    switch (rand(6)) {
      case 0: {
        const i = rand(b.length);
        if (b.length) b[i] = (b[i] ?? 0) ^ (1 << rand(8));
        break;
      }
      case 1:
        if (b.length) b[rand(b.length)] = rand(256);
        break;
      case 2:
        b.splice(rand(b.length + 1), 0, rand(256));
        break;
      case 3:
        if (b.length) b.splice(rand(b.length), 1 + rand(8));
        break;
      case 4:
        b = b.slice(0, rand(b.length + 1));
        break;
      default: {
        const other = others[rand(others.length)] ?? new Uint8Array(0);
        const at = rand(b.length + 1);
        b = [...b.slice(0, at), ...Array.from(other.slice(rand(other.length + 1)))];
      }
    }
  }
  return Uint8Array.from(b);
}

class Finding extends Error {}

function check(what: string, input: Uint8Array | string, run: () => unknown): void {
  try {
    run();
  } catch (e) {
    const shown = typeof input === "string" ? JSON.stringify(input) : toHex(input);
    throw new Finding(`${what} threw ${e instanceof Error ? e.message : String(e)} on ${shown}`);
  }
}

// ------------------------------------------------------------ a member session

const impl = await loadSuite();
let handlers: TransportHandlers | undefined;
const sent: Record<string, unknown>[] = [];
const events: MeetingEvent[] = [];
const session = await MeetingSession.create({
  url: "wss://fuzz/api/v1/signal",
  meetingId: "m",
  displayName: "host",
  hostKey: "k",
  transport: async (_url, h) => {
    handlers = h;
    return { send: (text) => sent.push(JSON.parse(text) as Record<string, unknown>), close: () => {} };
  },
  commitDelayMs: () => 1_000_000,
  onEvent: (e) => events.push(e),
});
await session.start();
const settle = async () => {
  for (let i = 0; i < 2; i++) await new Promise((r) => setTimeout(r, 1));
};
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`fuzz setup: ${what}: ${JSON.stringify(events)}`);
}
const push = async (m: Record<string, unknown> | string) => {
  handlers!.message(typeof m === "string" ? m : JSON.stringify({ v: 1, ...m }));
  await settle();
};
const lastOf = (type: string) => [...sent].reverse().find((m) => m["type"] === type);
const bytesOf = (text: unknown): Uint8Array => {
  const b = fromBase64url(String(text));
  return b.ok ? b.value : new Uint8Array(0);
};
const server = await impl.signature.keygen();
await push({
  type: "joined", in_reply_to: "c1", participant_id: "p1", role: "host", group: null,
  external_sender: toBase64url(encodeExternalSenders([{ signatureKey: server.publicKey, identity: utf8("conclave-server") }]).slice(1)),
});
await until("group_info", () => lastOf("group_info") !== undefined);
await push({ type: "ack", in_reply_to: lastOf("group_info")!["id"], epoch: 0 });
await until("member at epoch 0", () => session.isMember);
const bob = await MemberKeys.create("bob", impl);
await push({ type: "add_request", participant: { participant_id: "p2", display_name: "bob", role: "participant" }, key_package: toBase64url(bob.encodedKeyPackage()) });
await until("the Add commit", () => lastOf("commit") !== undefined);
const add = lastOf("commit")!;
await push({ type: "commit", commit: add["commit"], epoch: 1, committer: "p1" });
await until("epoch 1", () => session.epoch === 1n);
const welcomeBytes = bytesOf(add["welcome"]);
const welcome = decodeMlsMessageAs(welcomeBytes, "mls_welcome");
if (!welcome.ok) throw new Error("fuzz setup: no Welcome");
let bobState: ClientState = await joinGroup(welcome.value.welcome, bob.publicPackage, bob.privatePackage, emptyPskIndex, impl);

// Seeds of the session's own group: application messages and a commit by bob.
const seeds: Array<{ type: string; field: string; bytes: Uint8Array }> = [];
for (let i = 0; i < 3; i++) {
  const app = await createApplicationMessage(bobState, encodeChat(`seed ${i}`), impl);
  bobState = app.newState;
  seeds.push({ type: "application", field: "message", bytes: encodeMlsMessage({ version: "mls10", wireformat: "mls_private_message", privateMessage: app.privateMessage }) });
}
const commit = await createCommit({ state: bobState, cipherSuite: impl }, { wireAsPublicMessage: true });
seeds.push({ type: "commit", field: "commit", bytes: encodeMlsMessage(commit.commit) });
seeds.push({ type: "proposal", field: "proposal", bytes: encodeMlsMessage(commit.commit) });
seeds.push({ type: "welcome", field: "welcome", bytes: welcomeBytes });
seeds.push({ type: "add_request", field: "key_package", bytes: bob.encodedKeyPackage() });
const byteSeeds = [
  ...seeds.map((s) => s.bytes),
  encodeMeetingPolicy({ hosts: [server.publicKey, bob.signaturePublicKey], locked: 1 }),
  encodeExternalSenders([{ signatureKey: server.publicKey, identity: utf8("conclave-server") }]),
  encodeChat("hello"),
];
// SFrame: frames really sealed by a member at epoch 1 (audio and video contexts).
const sframeTx = new MlsSframe();
const sframeRx = new MlsSframe();
const sframeKey = new Uint8Array(16).fill(0x5a);
sframeTx.addEpoch(1n, sframeKey);
sframeRx.addEpoch(1n, sframeKey);
const frameSeeds: Uint8Array[] = [];
for (const [i, context] of [kContextAudio, kContextVideo, kContextVideo].entries()) {
  const f = await sframeTx.protect(BigInt(i), context, utf8(`frame ${i} `.repeat(1 + i * 20)));
  if (!f.ok) throw new Error("fuzz setup: no SFrame seed");
  frameSeeds.push(f.value);
}
let framesOpened = 0;
const textSeeds = [
  '{"v":1,"type":"joined","id":"s1","participant_id":"p1","role":"host","meeting":{"meeting_id":"m"},"group":{"epoch":1}}',
  '{"v":1,"type":"error","in_reply_to":"c3","code":"stale_commit","epoch":2}',
  '{"v":1,"type":"participant_waiting","participant":{"participant_id":"p9","display_name":"x","role":"participant"}}',
];

// ------------------------------------------------------------------- the loop

const deadline = Date.now() + seconds * 1000;
let runs = 0;
let status = 0;
try {
  while (Date.now() < deadline) {
    runs++;
    const seed = byteSeeds[rand(byteSeeds.length)]!;
    const input = mutate(seed, byteSeeds);
    for (const w of ["mls_welcome", "mls_public_message", "mls_private_message", "mls_key_package", "mls_group_info"] as const) {
      check(`decodeMlsMessageAs(${w})`, input, () => decodeMlsMessageAs(input, w));
    }
    check("decodeMeetingPolicy", input, () => decodeMeetingPolicy(input));
    check("decodeExternalSenders", input, () => decodeExternalSenders(input));
    check("decodeExternalSender", input, () => decodeExternalSender(input));
    check("decodeChat", input, () => decodeChat(input));
    const frame = mutate(frameSeeds[rand(frameSeeds.length)]!, frameSeeds);
    check("sframe decodeHeader", frame, () => decodeHeader(frame));
    try {
      // Mutated frames must fail authentication (a mutation that restores a seed opens once).
      if ((await sframeRx.unprotect(frame)).ok) framesOpened++;
    } catch (e) {
      throw new Finding(`MlsSframe.unprotect threw ${e instanceof Error ? e.message : String(e)} on ${toHex(frame)}`);
    }
    const text = new TextDecoder().decode(mutate(utf8(textSeeds[rand(textSeeds.length)]!), byteSeeds));
    check("parseServerMessage", text, () => parseServerMessage(text));
    if (runs % 4 === 0) {
      // A mutated MLS payload of the group, in the frame type it belongs to.
      const s = seeds[rand(seeds.length)]!;
      const bytes = mutate(s.bytes, byteSeeds);
      const before = events.length;
      await push({ type: s.type, [s.field]: toBase64url(bytes), participant: { participant_id: "p3", display_name: "bob" } });
      const internal = events.slice(before).find((e) => e.event === "error" && e.code === "internal");
      if (internal) throw new Finding(`the session let an exception through on a ${s.type}: ${JSON.stringify(internal)}; input ${toHex(bytes)}`);
      if (session.phase === "ended") throw new Finding(`the session ended on a mutated ${s.type}: ${toHex(bytes)}`);
    }
  }
  await until("the queue drained", () => true);
  await new Promise((r) => setTimeout(r, 200));
  const internal = events.find((e) => e.event === "error" && e.code === "internal");
  if (internal) throw new Finding(`the session let an exception through: ${JSON.stringify(internal)}`);
  const rejected = events.filter((e) => e.event === "rejected").length;
  if (framesOpened > frameSeeds.length) throw new Finding(`${framesOpened} mutated SFrame frames opened`);
  console.log(`web_fuzz: ${runs} runs, ${rejected} session inputs rejected, ${framesOpened} SFrame frames opened, no finding (the session is at epoch ${session.epoch})`);
} catch (e) {
  status = 1;
  console.error(`web_fuzz: FINDING: ${e instanceof Error ? e.message : String(e)}`);
}
process.exit(status);
