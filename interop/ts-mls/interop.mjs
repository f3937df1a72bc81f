// MLS interop scenario: ts-mls members A and B (in this process) and member C (a subprocess speaking
// the peer protocol: Conclave's conclave-mls-peer, or in self-test mode another ts-mls peer) share one
// group. See README.md for the protocol and the steps.
//
//   node interop.mjs --conclave /path/to/conclave-mls-peer   C is Conclave
//   node interop.mjs --self-test                             C is `node tsmls-peer.mjs`
// Options: --trace (log every request and response on stderr), --grease (ts-mls key packages carry
// every GREASE value), --timeout-ms N (per request, default 20000), --fault NAME (self-test only: the
// subprocess peer misbehaves on purpose, see kFaults in tsmls-peer.mjs; the run must then fail).
//
// After every step every member reports its state; all must agree on epoch, epoch authenticator,
// exporter ("SFrame 1.0 Base Key"), tree hash and member list. Exit status 0 only if every step passed.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { TsMlsPeer, kFaults, kSuiteId } from "./tsmls-peer.mjs";
import { ProcessPeer } from "./process-peer.mjs";

const kHashLength = 32; // SHA-256: KDF.Nh of suite 1
const kGroupId = Buffer.from("conclave-interop").toString("hex");

class StepFailure extends Error {}

function usage(message) {
  if (message) process.stderr.write(`interop: ${message}\n`);
  process.stderr.write("usage: node interop.mjs (--conclave PROGRAM | --self-test [--fault NAME]) [--trace] [--grease] [--timeout-ms N]\n");
  process.stderr.write(`faults: ${Object.entries(kFaults).map(([k, v]) => `\n  ${k}: ${v}`).join("")}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { mode: undefined, program: undefined, trace: false, grease: false, timeoutMs: 20000, fault: undefined };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === "--conclave") {
      if (i + 1 >= argv.length) usage("--conclave needs a program");
      options.mode = "conclave";
      options.program = argv[++i];
    } else if (arg === "--self-test") {
      options.mode = "self-test";
    } else if (arg === "--trace") {
      options.trace = true;
    } else if (arg === "--grease") {
      options.grease = true;
    } else if (arg === "--timeout-ms") {
      options.timeoutMs = Number(argv[++i]);
      if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) usage("--timeout-ms needs a positive integer");
    } else if (arg === "--fault") {
      options.fault = argv[++i];
      if (!(options.fault in kFaults)) usage(`unknown fault ${options.fault}`);
    } else if (arg === "--help" || arg === "-h") {
      usage();
    } else {
      usage(`unknown argument ${arg}`);
    }
  }
  if (options.mode === undefined) usage("give --conclave PROGRAM or --self-test");
  if (options.fault !== undefined && options.mode !== "self-test") usage("--fault needs --self-test");
  return options;
}

function shorten(value) {
  return JSON.stringify(value, (_k, v) => (typeof v === "string" && v.length > 96 ? `${v.slice(0, 64)}…(${v.length} chars)` : v));
}

// ---- minimal MLSMessage inspection (RFC 9420 sections 2.1.2, 6, 6.2) --------------------------------

const kWireFormats = { 1: "mls_public_message", 2: "mls_private_message", 3: "mls_welcome", 4: "mls_group_info", 5: "mls_key_package" };

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.pos = 0;
  }
  take(n) {
    if (this.pos + n > this.bytes.length) throw new StepFailure("truncated MLS message");
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8() { return this.take(1)[0]; }
  u16() { const b = this.take(2); return (b[0] << 8) | b[1]; }
  u32() { const b = this.take(4); return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]; }
  u64() { const b = this.take(8); return b.reduce((acc, v) => acc * 256n + BigInt(v), 0n); }
  varint() {
    const first = this.u8();
    const prefix = first >> 6;
    if (prefix === 3) throw new StepFailure("invalid variable-length integer prefix");
    let value = first & 0x3f;
    for (let i = 1; i < 1 << prefix; ++i) value = value * 256 + this.u8();
    return value;
  }
  vector() { return this.take(this.varint()); }
}

function hexBytes(hex, what) {
  if (typeof hex !== "string" || hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new StepFailure(`${what} is not a lowercase hex string`);
  }
  return new Uint8Array(Buffer.from(hex, "hex"));
}

function expectWireFormat(hex, wireformat, what) {
  const r = new Reader(hexBytes(hex, what));
  const version = r.u16();
  const wf = r.u16();
  if (version !== 1) throw new StepFailure(`${what}: MLSMessage version ${version}, expected 1 (mls10)`);
  if (kWireFormats[wf] !== wireformat) {
    throw new StepFailure(`${what}: wire format ${kWireFormats[wf] ?? wf}, expected ${wireformat}`);
  }
  return r;
}

/** Reads the framing of a commit sent as PublicMessage. */
function inspectCommit(hex, what) {
  const r = expectWireFormat(hex, "mls_public_message", what);
  const groupId = Buffer.from(r.vector()).toString("hex");
  const epoch = r.u64();
  const senderType = r.u8();
  if (senderType !== 1) throw new StepFailure(`${what}: sender type ${senderType}, expected member (1)`);
  const senderLeaf = r.u32();
  r.vector(); // authenticated_data
  const contentType = r.u8();
  if (contentType !== 3) throw new StepFailure(`${what}: content type ${contentType}, expected commit (3)`);
  r.vector(); // proposals
  const pathPresent = r.u8();
  if (pathPresent > 1) throw new StepFailure(`${what}: bad optional<UpdatePath> presence byte ${pathPresent}`);
  return { groupId, epoch, senderLeaf, hasPath: pathPresent === 1 };
}

// ---- members ---------------------------------------------------------------------------------------

class Member {
  constructor(name, identity, peer, kind, timeoutMs, trace) {
    this.name = name;
    this.identity = identity;
    this.peer = peer;
    this.kind = kind;
    this.timeoutMs = timeoutMs;
    this.trace = trace;
    this.nextId = 1;
  }

  async send(op, args = {}) {
    const req = { id: this.nextId++, op, ...args };
    if (this.trace && !(this.peer instanceof ProcessPeer)) process.stderr.write(`-> ${this.name} ${shorten(req)}\n`);
    let timer;
    const timeout = new Promise((_resolve, reject) => {
      timer = setTimeout(() => reject(new StepFailure(`${this.name}: no answer to ${op} within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
    });
    let response;
    try {
      response = await Promise.race([this.peer.request(req), timeout]);
    } catch (e) {
      throw new StepFailure(e.message);
    } finally {
      clearTimeout(timer);
    }
    if (this.trace && !(this.peer instanceof ProcessPeer)) process.stderr.write(`<- ${this.name} ${shorten(response)}\n`);
    if (response === null || typeof response !== "object" || response.id !== req.id || typeof response.ok !== "boolean") {
      throw new StepFailure(`${this.name}: malformed response to ${op}: ${shorten(response)}`);
    }
    return response;
  }

  /** Sends a request that must succeed; returns the response. */
  async call(op, args = {}) {
    const response = await this.send(op, args);
    if (!response.ok) throw new StepFailure(`${this.name} (${this.kind}): ${op} failed: ${response.error}`);
    return response;
  }

  /** Sends a request that must fail; returns the error text. */
  async callExpectingFailure(op, args, why) {
    const response = await this.send(op, args);
    if (response.ok) throw new StepFailure(`${this.name} (${this.kind}): ${op} succeeded, but ${why}: ${shorten(response)}`);
    return response.error;
  }
}

// ---- the scenario ----------------------------------------------------------------------------------

class Scenario {
  constructor(members, log) {
    this.members = members; // name -> Member
    this.log = log;
    this.roster = []; // leaf index -> member name or null
    this.outside = new Set(Object.keys(members)); // names not in the group
    this.removed = new Set(); // names removed from the group (and not back yet): they must not read
    this.epoch = undefined;
    this.stepCount = 0;
    this.epochSecrets = new Map(); // epoch -> {epoch_authenticator, exporter}
    this.checkedEpochs = new Set();
    this.messageCount = 0;
  }

  inGroup() {
    return this.roster.filter((n) => n !== null);
  }

  leafOf(name) {
    const leaf = this.roster.indexOf(name);
    if (leaf < 0) throw new StepFailure(`internal: ${name} is not in the roster`);
    return leaf;
  }

  async step(description, body) {
    this.stepCount += 1;
    this.current = `step ${this.stepCount} (${description})`;
    await body();
    const where = this.epoch === undefined ? "no group yet" : `epoch ${this.epoch}, members ${this.inGroup().join(",")}`;
    this.log(`[step ${String(this.stepCount).padStart(2)}] ${description}: ok (${where})`);
  }

  async createGroup(creator) {
    const response = await this.members[creator].call("create_group", { group_id: kGroupId });
    if (response.epoch !== 0) throw new StepFailure(`${creator}: create_group answered epoch ${response.epoch}, expected 0`);
    this.roster = [creator];
    this.outside.delete(creator);
    this.epoch = 0;
    await this.checkAgreement();
  }

  /** committer commits Remove(removes) + Add(adds); everyone processes; the added members join. */
  async commit(committer, { add = [], remove = [], path = false }) {
    const c = this.members[committer];
    const keyPackages = [];
    for (const name of add) {
      if (!this.outside.has(name)) throw new StepFailure(`internal: ${name} is already in the group`);
      const kp = await this.members[name].call("key_package");
      expectWireFormat(kp.key_package, "mls_key_package", `${name}'s key_package`);
      keyPackages.push(kp.key_package);
    }
    const removeLeaves = remove.map((name) => this.leafOf(name));
    const committerLeaf = this.leafOf(committer);
    const response = await c.call("commit", { add: keyPackages, remove: removeLeaves, path });
    const newEpoch = this.epoch + 1;
    if (response.epoch !== newEpoch) throw new StepFailure(`${committer}: commit answered epoch ${response.epoch}, expected ${newEpoch}`);

    // The commit must be a PublicMessage from the committer, in the old epoch, with an UpdatePath
    // exactly when the protocol says so.
    const framing = inspectCommit(response.commit, `${committer}'s commit`);
    if (framing.groupId !== kGroupId) throw new StepFailure(`${committer}'s commit: group_id ${framing.groupId}, expected ${kGroupId}`);
    if (framing.epoch !== BigInt(this.epoch)) throw new StepFailure(`${committer}'s commit: epoch ${framing.epoch}, expected ${this.epoch}`);
    if (framing.senderLeaf !== committerLeaf) throw new StepFailure(`${committer}'s commit: sender leaf ${framing.senderLeaf}, expected ${committerLeaf}`);
    const wantPath = path || remove.length > 0 || add.length === 0;
    if (framing.hasPath !== wantPath) {
      throw new StepFailure(`${committer}'s commit: ${framing.hasPath ? "has" : "has no"} UpdatePath, expected ${wantPath ? "one" : "none"}`);
    }
    if (add.length > 0) {
      if (typeof response.welcome !== "string") throw new StepFailure(`${committer}: commit with Add returned no welcome`);
      expectWireFormat(response.welcome, "mls_welcome", `${committer}'s welcome`);
    } else if (response.welcome !== null && response.welcome !== undefined) {
      throw new StepFailure(`${committer}: commit without Add returned a welcome`);
    }

    // Every other member processes the commit; removed members learn that they are out.
    for (const name of this.inGroup()) {
      if (name === committer) continue;
      const processed = await this.members[name].call("process", { message: response.commit });
      const isRemoved = remove.includes(name);
      if (processed.type !== "commit" || processed.epoch !== newEpoch || (processed.removed === true) !== isRemoved) {
        throw new StepFailure(`${name}: processing ${committer}'s commit answered ${shorten(processed)}, expected type commit, epoch ${newEpoch}${isRemoved ? ", removed true" : ""}`);
      }
    }

    // The roster as RFC 9420 section 12.1 defines it: removes blank leaves, adds take the leftmost blank.
    for (const name of remove) {
      this.roster[this.leafOf(name)] = null;
      this.outside.add(name);
      this.removed.add(name);
    }
    for (const name of add) {
      const blank = this.roster.indexOf(null);
      if (blank >= 0) this.roster[blank] = name;
      else this.roster.push(name);
    }
    while (this.roster.length > 0 && this.roster[this.roster.length - 1] === null) this.roster.pop();
    this.epoch = newEpoch;

    for (const name of add) {
      const joined = await this.members[name].call("join", { welcome: response.welcome });
      if (joined.epoch !== newEpoch) throw new StepFailure(`${name}: join answered epoch ${joined.epoch}, expected ${newEpoch}`);
      this.outside.delete(name);
      this.removed.delete(name);
    }
    for (const name of remove) {
      await this.members[name].callExpectingFailure("state", {}, "it was removed from the group");
    }
    await this.checkAgreement();
  }

  /** Each sender sends one application message; every other member reads it, removed members cannot. */
  async messages(senders) {
    for (const sender of senders) {
      const text = `message ${++this.messageCount} from ${sender} in epoch ${this.epoch} ✓`;
      const data = Buffer.from(text, "utf8").toString("hex");
      const protectedMessage = await this.members[sender].call("protect", { data });
      expectWireFormat(protectedMessage.message, "mls_private_message", `${sender}'s application message`);
      const senderLeaf = this.leafOf(sender);
      for (const name of this.inGroup()) {
        if (name === sender) continue;
        const got = await this.members[name].call("process", { message: protectedMessage.message });
        if (got.type !== "application" || got.data !== data || got.sender !== senderLeaf) {
          throw new StepFailure(`${name}: reading ${sender}'s message answered ${shorten(got)}, expected type application, data ${data}, sender ${senderLeaf}`);
        }
      }
      for (const name of this.removed) {
        await this.members[name].callExpectingFailure("process", { message: protectedMessage.message },
          `${name} was removed and must not read epoch ${this.epoch}`);
      }
    }
    await this.checkAgreement();
  }

  /** Every member in the group reports its state; all must agree, and match the driver's roster. */
  async checkAgreement() {
    const names = this.inGroup();
    const states = {};
    for (const name of names) states[name] = await this.members[name].call("state");

    const expectedMembers = this.roster
      .map((name, leaf) => (name === null ? null : { leaf, identity: this.members[name].identity }))
      .filter((m) => m !== null);
    for (const name of names) {
      const s = states[name];
      if (s.epoch !== this.epoch) throw new StepFailure(this.disagreement("epoch", states, `expected ${this.epoch}`));
      if (s.own_leaf !== this.leafOf(name)) throw new StepFailure(`${name}: own_leaf ${s.own_leaf}, expected ${this.leafOf(name)}`);
      for (const field of ["epoch_authenticator", "exporter", "tree_hash"]) {
        const bytes = hexBytes(s[field], `${name}'s ${field}`);
        if (bytes.length !== kHashLength) throw new StepFailure(`${name}: ${field} has ${bytes.length} bytes, expected ${kHashLength}`);
      }
      // Compared field by field: JSON objects have no key order.
      const canonical = (list) =>
        JSON.stringify(Array.isArray(list) ? list.map((m) => [m?.leaf, m?.identity]) : list);
      if (canonical(s.members) !== canonical(expectedMembers)) {
        throw new StepFailure(this.disagreement("members", states, `expected ${JSON.stringify(expectedMembers)}`));
      }
    }
    for (const field of ["epoch_authenticator", "exporter", "tree_hash"]) {
      const values = new Set(names.map((n) => states[n][field]));
      if (values.size !== 1) throw new StepFailure(this.disagreement(field, states));
    }
    // Secrets of one epoch are the same at every check; no two epochs share them.
    const first = states[names[0]];
    const known = this.epochSecrets.get(this.epoch);
    if (known === undefined) {
      for (const [epoch, secrets] of this.epochSecrets) {
        if (secrets.exporter === first.exporter || secrets.epoch_authenticator === first.epoch_authenticator) {
          throw new StepFailure(`epoch ${this.epoch} repeats the exporter or epoch authenticator of epoch ${epoch}`);
        }
      }
      this.epochSecrets.set(this.epoch, { exporter: first.exporter, epoch_authenticator: first.epoch_authenticator });
    } else if (known.exporter !== first.exporter || known.epoch_authenticator !== first.epoch_authenticator) {
      throw new StepFailure(`epoch ${this.epoch}: exporter or epoch authenticator changed within the epoch`);
    }
    this.checkedEpochs.add(this.epoch);
  }

  disagreement(field, states, note = "") {
    const lines = Object.entries(states).map(([name, s]) =>
      `    ${name.padEnd(2)} (${this.members[name].kind}): ${JSON.stringify(s[field])}`);
    return `members disagree on ${field}${note ? ` (${note})` : ""}:\n${lines.join("\n")}`;
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const here = dirname(fileURLToPath(import.meta.url));
  const trace = options.trace ? (line) => process.stderr.write(`${line.length > 400 ? `${line.slice(0, 400)}…` : line}\n`) : undefined;
  const log = (line) => process.stdout.write(`${line}\n`);

  const child = options.mode === "conclave"
    ? new ProcessPeer({ name: "C", command: options.program, args: [], timeoutMs: options.timeoutMs, trace })
    : new ProcessPeer({
      name: "C", command: process.execPath, args: [join(here, "tsmls-peer.mjs")], timeoutMs: options.timeoutMs, trace,
      env: {
        ...process.env,
        TSMLS_GREASE: options.grease ? "1" : "0",
        TSMLS_LOG: options.trace ? "1" : "0",
        TSMLS_FAULT: options.fault ?? "",
      },
    });
  process.on("exit", () => child.kill());
  const cKind = options.mode === "conclave" ? "Conclave" : "ts-mls subprocess";
  const members = {
    A: new Member("A", "alice@ts-mls", new TsMlsPeer({ name: "A", grease: options.grease }), "ts-mls", options.timeoutMs, options.trace),
    B: new Member("B", "bob@ts-mls-ü", new TsMlsPeer({ name: "B", grease: options.grease }), "ts-mls", options.timeoutMs, options.trace),
    C: new Member("C", options.mode === "conclave" ? "carol@conclave" : "carol@ts-mls-subprocess", child, cKind, options.timeoutMs, options.trace),
  };
  // ts-mls cannot put an UpdatePath on an Add-only commit; Conclave can, so C does it when it is Conclave.
  const cAddPath = options.mode === "conclave";
  const s = new Scenario(members, log);
  const detail = options.mode === "conclave" ? ` (${options.program})` : options.fault ? ` with fault "${options.fault}"` : "";
  log(`interop: A, B = ts-mls (in process); C = ${cKind}${detail}; suite ${kSuiteId}`);

  try {
    await s.step("A, B, C init (suite 1, basic credentials)", async () => {
      for (const m of Object.values(members)) await m.call("init", { suite: kSuiteId, identity: m.identity });
    });
    await s.step("A creates the group", () => s.createGroup("A"));
    await s.step("A commits Add(C) without path; C joins from the Welcome", () => s.commit("A", { add: ["C"] }));
    await s.step("C commits Add(B) without path; A processes; B joins", () => s.commit("C", { add: ["B"] }));
    await s.step("application messages A->B,C; B->A,C; C->A,B", () => s.messages(["A", "B", "C"]));
    await s.step("A commits an update (empty commit with path)", () => s.commit("A", { path: true }));
    await s.step("C commits an update (empty commit with path)", () => s.commit("C", { path: true }));
    await s.step("B commits an update (empty commit with path)", () => s.commit("B", { path: true }));
    await s.step("application messages in every direction", () => s.messages(["C", "A", "B"]));
    await s.step("C commits Remove(B); A processes; B learns it is removed", () => s.commit("C", { remove: ["B"] }));
    await s.step("messages A->C, C->A; removed B cannot read them", () => s.messages(["A", "C"]));
    await s.step("A commits Add(B) with a new key package; C processes; B joins again", () => s.commit("A", { add: ["B"] }));
    await s.step("application messages in every direction", () => s.messages(["B", "C", "A"]));
    await s.step("A commits Remove(C); B processes; C learns it is removed", () => s.commit("A", { remove: ["C"] }));
    await s.step("messages A->B, B->A; removed C cannot read them", () => s.messages(["A", "B"]));
    await s.step("B commits Remove(A) + Add(C) (path; C's Welcome carries a path secret); C joins",
      () => s.commit("B", { remove: ["A"], add: ["C"] }));
    await s.step("messages B->C, C->B; removed A cannot read them", () => s.messages(["C", "B"]));
    await s.step(`C commits Add(A) ${cAddPath ? "with" : "without"} path; B processes; A joins`,
      () => s.commit("C", { add: ["A"], path: cAddPath }));
    await s.step("C commits an update; application messages in every direction", async () => {
      await s.commit("C", { path: true });
      await s.messages(["A", "B", "C"]);
    });
  } catch (e) {
    const what = e instanceof StepFailure ? e.message : (e?.stack ?? String(e));
    process.stderr.write(`interop: FAIL at ${s.current ?? "start"}:\n  ${what}\n`);
    log(`interop: ${s.stepCount} steps, ${s.checkedEpochs.size} epochs checked, 1 failure`);
    await child.close(500);
    process.exit(1);
  }
  await child.close();
  log(`interop: ${s.stepCount} steps, ${s.checkedEpochs.size} epochs checked, 0 failures`);
}

await main();
