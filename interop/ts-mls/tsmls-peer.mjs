// ts-mls implementation of the MLS interop peer protocol (see README.md).
//
// Two ways to use it:
//   * in-process:  const peer = new TsMlsPeer({name: "A"}); await peer.request({id: 1, op: "init", ...})
//     request() never throws: every failure becomes {id, ok: false, error}.
//   * subprocess:  `node tsmls-peer.mjs` reads one JSON request per line on stdin and writes one JSON
//     response per line on stdout (logs go to stderr). `quit` answers and exits 0; EOF on stdin exits 0.
//
// Environment (subprocess mode): TSMLS_GREASE=1 puts every GREASE value (RFC 9420 section 13.5) into
// the capabilities of the key packages this peer publishes; TSMLS_LOG=1 logs failed requests on stderr;
// TSMLS_FAULT=<name> makes the peer misbehave on purpose, to prove that the driver notices (see kFaults).

import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

import {
  createApplicationMessage,
  createCommit,
  createGroup,
  decodeMlsMessage,
  emptyPskIndex,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  joinGroup,
  defaultLifetime,
  mlsExporter,
  processPrivateMessage,
  processPublicMessage,
  zeroOutUint8Array,
  ciphersuites,
} from "ts-mls";
// Not re-exported from the package index, but exported through the package's "./*.js" subpath map.
import { makeKeyPackageRef } from "ts-mls/keyPackage.js";
import { decryptSenderData } from "ts-mls/privateMessage.js";
import { greaseValues } from "ts-mls/grease.js";

export const kSuiteId = 1;
export const kSuiteName = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";
export const kExporterLabel = "SFrame 1.0 Base Key";

/** Deliberate misbehaviours, for testing the driver (never set in a real run). */
export const kFaults = {
  exporter: "state reports an exporter with another label",
  sender: "process reports the application sender's leaf plus one",
  "private-commit": "commits are sent as PrivateMessage",
  "no-tree": "Welcomes carry no ratchet_tree extension",
  "read-after-remove": "a removed member still answers process with the plaintext it was sent before",
  hang: "state is never answered",
};

/** Error whose text goes back to the driver as the response's "error". */
class PeerError extends Error {}

function fail(message) {
  throw new PeerError(message);
}

export function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function fromHex(text, what) {
  if (typeof text !== "string" || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    fail(`${what}: not a hex string`);
  }
  return new Uint8Array(Buffer.from(text, "hex"));
}

function equalBytes(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Decodes a whole MLSMessage and checks its wire format; trailing bytes are an error. */
function decodeWhole(bytes, wireformat, what) {
  let decoded;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (e) {
    fail(`${what}: cannot decode MLSMessage: ${e.message ?? e}`);
  }
  if (decoded === undefined) fail(`${what}: cannot decode MLSMessage`);
  const [message, length] = decoded;
  if (length !== bytes.length) fail(`${what}: ${bytes.length - length} trailing bytes after the MLSMessage`);
  if (message.version !== "mls10") fail(`${what}: version is not mls10`);
  if (wireformat !== undefined && message.wireformat !== wireformat) {
    fail(`${what}: wire format is ${message.wireformat}, expected ${wireformat}`);
  }
  return message;
}

function capabilities(grease) {
  const extra = grease ? greaseValues : [];
  return {
    versions: ["mls10"],
    ciphersuites: [kSuiteName, ...extra.map((v) => v.toString())],
    extensions: [...extra],
    proposals: [...extra],
    credentials: ["basic", ...extra.map((v) => v.toString())],
  };
}

export class TsMlsPeer {
  /**
   * @param {{name?: string, grease?: boolean, fault?: string, log?: (line: string) => void}} options
   *   name: label used in logs; grease: add every GREASE value to the published capabilities;
   *   fault: one of kFaults' names, to misbehave on purpose (driver tests only).
   */
  constructor(options = {}) {
    this.name = options.name ?? "ts-mls";
    this.grease = options.grease ?? false;
    this.log = options.log ?? (() => {});
    this.fault = options.fault;
    if (this.fault !== undefined && !(this.fault in kFaults)) throw new Error(`unknown fault ${this.fault}`);
    this.impl = undefined; // CiphersuiteImpl, set by init
    this.credential = undefined;
    this.signatureKeys = undefined; // {signKey, publicKey}
    this.pendingKeyPackages = []; // [{publicPackage, privatePackage, ref}] not yet used by a Welcome
    this.state = undefined; // ClientState while a member (or the last one after a removal)
    this.removed = false; // true once a commit removed this member; `state` is then the last epoch's
  }

  /** Runs one protocol request; never throws. */
  async request(req) {
    const id = req !== null && typeof req === "object" && Number.isInteger(req.id) ? req.id : null;
    try {
      if (id === null) fail("request without an integer id");
      if (typeof req.op !== "string" || !Object.hasOwn(this.#handlers, req.op)) fail(`unknown op ${JSON.stringify(req.op)}`);
      const handler = this.#handlers[req.op];
      if (req.op !== "init" && req.op !== "quit" && this.impl === undefined) fail("init must come first");
      const result = await handler.call(this, req);
      return { id, ok: true, ...result };
    } catch (e) {
      const error = e instanceof PeerError ? e.message : `${e?.name ?? "Error"}: ${e?.message ?? String(e)}`;
      this.log(`${this.name}: ${req?.op} failed: ${error}`);
      return { id, ok: false, error };
    }
  }

  #handlers = {
    init: this.#init,
    key_package: this.#keyPackage,
    create_group: this.#createGroup,
    join: this.#join,
    commit: this.#commit,
    process: this.#process,
    protect: this.#protect,
    state: this.#state,
    quit: async () => ({}),
  };

  #member(what) {
    if (this.state === undefined) fail(`${what}: not in a group`);
    if (this.removed) fail(`${what}: removed from the group`);
    return this.state;
  }

  async #newKeyPackage() {
    const kp = await generateKeyPackageWithKey(
      this.credential, capabilities(this.grease), defaultLifetime, [], this.signatureKeys, this.impl);
    const ref = await makeKeyPackageRef(kp.publicPackage, this.impl.hash);
    return { ...kp, ref };
  }

  async #init(req) {
    if (this.impl !== undefined) fail("init: already initialised");
    if (req.suite !== kSuiteId) fail(`init: unsupported suite ${JSON.stringify(req.suite)} (only ${kSuiteId})`);
    if (typeof req.identity !== "string") fail("init: identity must be a string");
    const impl = await getCiphersuiteImpl(getCiphersuiteFromName(kSuiteName));
    this.signatureKeys = await impl.signature.keygen();
    this.credential = { credentialType: "basic", identity: new TextEncoder().encode(req.identity) };
    this.impl = impl;
    return {};
  }

  async #keyPackage() {
    const kp = await this.#newKeyPackage();
    this.pendingKeyPackages.push(kp);
    const bytes = encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: kp.publicPackage });
    return { key_package: toHex(bytes) };
  }

  async #createGroup(req) {
    if (this.state !== undefined && !this.removed) fail("create_group: already in a group");
    const groupId = fromHex(req.group_id, "create_group: group_id");
    const kp = await this.#newKeyPackage();
    this.state = await createGroup(groupId, kp.publicPackage, kp.privatePackage, [], this.impl);
    this.removed = false;
    return { epoch: Number(this.state.groupContext.epoch) };
  }

  async #join(req) {
    if (this.state !== undefined && !this.removed) fail("join: already in a group");
    const message = decodeWhole(fromHex(req.welcome, "join: welcome"), "mls_welcome", "join: welcome");
    const welcome = message.welcome;
    const index = this.pendingKeyPackages.findIndex((kp) =>
      welcome.secrets.some((s) => equalBytes(s.newMember, kp.ref)));
    if (index < 0) fail("join: the Welcome is for none of this peer's key packages");
    const kp = this.pendingKeyPackages[index];
    // No ratchet tree passed: it must come in the GroupInfo's ratchet_tree extension.
    this.state = await joinGroup(welcome, kp.publicPackage, kp.privatePackage, emptyPskIndex, this.impl);
    this.removed = false;
    this.pendingKeyPackages.splice(index, 1);
    return { epoch: Number(this.state.groupContext.epoch) };
  }

  async #commit(req) {
    const state = this.#member("commit");
    const adds = req.add ?? [];
    const removes = req.remove ?? [];
    if (!Array.isArray(adds) || !Array.isArray(removes)) fail("commit: add and remove must be arrays");
    if (typeof (req.path ?? false) !== "boolean") fail("commit: path must be a boolean");
    const proposals = [];
    for (const leaf of removes) {
      if (!Number.isInteger(leaf) || leaf < 0) fail(`commit: bad leaf index ${JSON.stringify(leaf)}`);
      proposals.push({ proposalType: "remove", remove: { removed: leaf } });
    }
    for (const [i, hex] of adds.entries()) {
      const msg = decodeWhole(fromHex(hex, `commit: add[${i}]`), "mls_key_package", `commit: add[${i}]`);
      proposals.push({ proposalType: "add", add: { keyPackage: msg.keyPackage } });
    }
    // ts-mls attaches an UpdatePath exactly when RFC 9420 section 12.4 requires one (empty commit,
    // Update or Remove proposals); it has no switch to add an optional path to an Add-only commit.
    if (req.path === true && removes.length === 0 && adds.length > 0) {
      fail("commit: ts-mls 1.6.4 cannot attach an UpdatePath to an Add-only commit");
    }
    const result = await createCommit(
      { state, cipherSuite: this.impl },
      {
        extraProposals: proposals,
        wireAsPublicMessage: this.fault !== "private-commit",
        ratchetTreeExtension: this.fault !== "no-tree",
      });
    result.consumed.forEach(zeroOutUint8Array);
    this.state = result.newState;
    const welcome = result.welcome === undefined ? null
      : toHex(encodeMlsMessage({ version: "mls10", wireformat: "mls_welcome", welcome: result.welcome }));
    return { commit: toHex(encodeMlsMessage(result.commit)), welcome, epoch: Number(this.state.groupContext.epoch) };
  }

  async #process(req) {
    // A removed member still tries with its last epoch's keys: that must fail for later messages.
    if (this.state === undefined) fail("process: not in a group");
    if (this.removed && this.fault === "read-after-remove" && this.lastData !== undefined) {
      return { type: "application", data: this.lastData.data, sender: this.lastData.sender };
    }
    const state = this.state;
    const message = decodeWhole(fromHex(req.message, "process: message"), undefined, "process: message");
    if (message.wireformat === "mls_public_message") {
      const pm = message.publicMessage;
      if (pm.content.contentType !== "commit") fail(`process: PublicMessage carries ${pm.content.contentType}, expected a commit`);
      const commitEpoch = pm.content.epoch;
      // Workaround for ts-mls 1.6.4: it decides "removed" by looking at its own leaf after the Adds of
      // the commit are applied, so a commit that removes this member and adds someone into the freed
      // leaf is taken for one that keeps it, and processing then fails ("No overlap between provided
      // private keys and update path"). The callback runs after the commit is authenticated
      // (membership tag, signature) and its proposals validated: a Remove of our own leaf is seen there,
      // and "reject" stops ts-mls before it tries to decrypt the path.
      const ownLeaf = state.privatePath.leafIndex;
      let selfRemoved = false;
      const callback = (incoming) => {
        if (incoming.kind === "commit" && incoming.proposals.some((p) =>
          p.proposal.proposalType === "remove" && p.proposal.remove.removed === ownLeaf)) {
          selfRemoved = true;
          return "reject";
        }
        return "accept";
      };
      const result = await processPublicMessage(state, pm, emptyPskIndex, this.impl, callback);
      result.consumed.forEach(zeroOutUint8Array);
      if (selfRemoved || result.newState.groupActiveState.kind === "removedFromGroup") {
        this.removed = true; // `state` stays the last epoch's: later messages must fail to decrypt with it
        return { type: "commit", epoch: Number(commitEpoch) + 1, removed: true };
      }
      if (result.actionTaken !== "accept") fail("process: commit rejected");
      this.state = result.newState;
      return { type: "commit", epoch: Number(this.state.groupContext.epoch) };
    }
    if (message.wireformat === "mls_private_message") {
      const pm = message.privateMessage;
      if (pm.contentType !== "application") fail(`process: PrivateMessage carries ${pm.contentType}; this peer only takes application data in PrivateMessages`);
      // processPrivateMessage does not report the sender: read it from the sender data first.
      // The sender is authenticated when processPrivateMessage verifies the signature below.
      // A message from a later epoch is tried with the current keys (and fails to decrypt).
      const senderDataSecret = pm.epoch < state.groupContext.epoch
        ? state.historicalReceiverData.get(pm.epoch)?.senderDataSecret
        : state.keySchedule.senderDataSecret;
      if (senderDataSecret === undefined) fail(`process: no keys for epoch ${pm.epoch}`);
      const senderData = await decryptSenderData(pm, senderDataSecret, this.impl);
      if (senderData === undefined) fail("process: cannot decode the sender data");
      const result = await processPrivateMessage(state, pm, emptyPskIndex, this.impl);
      if (result.kind !== "applicationMessage") fail("process: expected an application message");
      result.consumed.forEach(zeroOutUint8Array);
      this.state = result.newState;
      this.lastData = { data: toHex(result.message), sender: senderData.leafIndex };
      const sender = senderData.leafIndex + (this.fault === "sender" ? 1 : 0);
      return { type: "application", data: toHex(result.message), sender };
    }
    fail(`process: cannot process a ${message.wireformat}`);
  }

  async #protect(req) {
    const state = this.#member("protect");
    const data = fromHex(req.data, "protect: data");
    const result = await createApplicationMessage(state, data, this.impl);
    result.consumed.forEach(zeroOutUint8Array);
    this.state = result.newState;
    const bytes = encodeMlsMessage({ version: "mls10", wireformat: "mls_private_message", privateMessage: result.privateMessage });
    return { message: toHex(bytes) };
  }

  async #state() {
    const state = this.#member("state");
    if (this.fault === "hang") await new Promise(() => {});
    const label = this.fault === "exporter" ? "SFrame 1.0 Base Key?" : kExporterLabel;
    const exporter = await mlsExporter(
      state.keySchedule.exporterSecret, label, new Uint8Array(0), this.impl.kdf.size, this.impl);
    const members = [];
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for (let node = 0; node < state.ratchetTree.length; node += 2) {
      const n = state.ratchetTree[node];
      if (n === undefined) continue;
      if (n.nodeType !== "leaf") fail(`state: node ${node} is not a leaf`);
      const credential = n.leaf.credential;
      if (credential.credentialType !== "basic") fail(`state: leaf ${node / 2} has a ${credential.credentialType} credential`);
      members.push({ leaf: node / 2, identity: decoder.decode(credential.identity) });
    }
    return {
      epoch: Number(state.groupContext.epoch),
      own_leaf: state.privatePath.leafIndex,
      epoch_authenticator: toHex(state.keySchedule.epochAuthenticator),
      exporter: toHex(exporter),
      tree_hash: toHex(state.groupContext.treeHash),
      members,
    };
  }
}

/** Serves the protocol on stdin/stdout, one request at a time, in order. */
async function serveStdio() {
  const peer = new TsMlsPeer({
    name: `tsmls-peer[${process.pid}]`,
    grease: process.env.TSMLS_GREASE === "1",
    fault: process.env.TSMLS_FAULT || undefined,
    log: process.env.TSMLS_LOG === "1" ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let req;
    try {
      req = JSON.parse(line);
    } catch {
      process.stdout.write(`${JSON.stringify({ id: null, ok: false, error: "request is not JSON" })}\n`);
      continue;
    }
    const response = await peer.request(req);
    process.stdout.write(`${JSON.stringify(response)}\n`);
    if (req?.op === "quit" && response.ok) break;
  }
  process.exitCode = 0;
  process.stdin.destroy();
}

// Unused import guard: keep the suite table import meaningful (fails loudly if ts-mls renames suite 1).
if (ciphersuites[kSuiteName] !== kSuiteId) throw new Error(`ts-mls: ${kSuiteName} is not suite ${kSuiteId}`);

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await serveStdio();
}
