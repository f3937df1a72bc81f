import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import {
  decodeHeader,
  deriveKeySalt,
  encodeHeader,
  kContextAudio,
  kContextVideo,
  kFutureEpoch,
  kUnknownEpoch,
  mlsKid,
  MlsSframe,
  open,
  ReplayWindow,
  seal,
  splitMlsKid,
} from "../src/media/sframe.js";
import { fromHex, toHex } from "../src/util/bytes.js";

// build/test/*.mjs -> web/ -> the repository -> /work/shared/vectors (CI has the same layout).
const here = dirname(fileURLToPath(import.meta.url));
function vectorsPath(): string {
  const env = process.env["CONCLAVE_VECTORS_DIR"];
  if (env) return join(env, "sframe/test-vectors.json");
  return join(here, "../../../../shared/vectors/sframe/test-vectors.json");
}
// KID/CTR reach 2^64 - 1: JSON numbers that large lose precision, so they are quoted before parsing.
const vectors = JSON.parse(readFileSync(vectorsPath(), "utf8").replace(/("(?:kid|ctr)"\s*:\s*)(\d+)/g, '$1"$2"')) as {
  header: Array<{ kid: string; ctr: string; encoded: string }>;
  sframe: Array<Record<string, string | number>>;
};

function hex(s: string): Uint8Array {
  const r = fromHex(s);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

test("RFC 9605 header vectors: encode and decode all 289", () => {
  assert.equal(vectors.header.length, 289);
  for (const c of vectors.header) {
    const kid = BigInt(c.kid);
    const ctr = BigInt(c.ctr);
    assert.equal(toHex(encodeHeader(kid, ctr)), c.encoded, `encode ${c.kid}/${c.ctr}`);
    const d = decodeHeader(hex(c.encoded));
    assert.ok(d.ok, c.encoded);
    assert.equal(d.value.kid, kid);
    assert.equal(d.value.ctr, ctr);
    assert.equal(d.value.size, c.encoded.length / 2);
  }
});

test("header: truncated and non-minimal encodings are refused", () => {
  assert.ok(!decodeHeader(new Uint8Array(0)).ok);
  assert.ok(!decodeHeader(hex("91")).ok); // KID of 2 bytes, none present
  assert.ok(!decodeHeader(hex("9101")).ok);
  assert.ok(!decodeHeader(hex("8805")).ok); // KID 5 in extended form
  assert.ok(!decodeHeader(hex("900012")).ok); // leading zero byte
  assert.ok(!decodeHeader(hex("08")).ok); // CTR flag, no byte
});

test("RFC 9605 sframe vector, suite 4 (AES_128_GCM_SHA256_128): key, salt, seal, open", async () => {
  const c = vectors.sframe.find((v) => v["cipher_suite"] === 4);
  assert.ok(c);
  const kid = BigInt(c["kid"] as string);
  const ctr = BigInt(c["ctr"] as string);
  const ks = await deriveKeySalt(hex(c["base_key"] as string), kid, true);
  assert.equal(toHex(ks.rawKey ?? new Uint8Array(0)), c["sframe_key"]);
  assert.equal(toHex(ks.salt), c["sframe_salt"]);
  const ct = await seal(ks, kid, ctr, hex(c["metadata"] as string), hex(c["pt"] as string));
  assert.equal(toHex(ct), c["ct"]);
  const h = decodeHeader(ct);
  assert.ok(h.ok);
  const pt = await open(ks, h.value, hex(c["metadata"] as string), ct);
  assert.ok(pt.ok);
  assert.equal(toHex(pt.value), c["pt"]);
  // Any flipped byte (header, ciphertext or tag) fails authentication.
  for (let i = 0; i < ct.length; i++) {
    const bad = ct.slice();
    bad[i] = (bad[i] ?? 0) ^ 0x01;
    const hb = decodeHeader(bad);
    if (!hb.ok) continue;
    const r = await open(ks, hb.value, hex(c["metadata"] as string), bad);
    assert.ok(!r.ok, `flip at ${i}`);
  }
});

test("MLS KID layout (E = 4, S = 8) as the native MlsContext", () => {
  assert.equal(mlsKid(kContextAudio, 3n, 14n), 0x3en);
  assert.equal(mlsKid(kContextVideo, 3n, 14n), (1n << 12n) | 0x3en);
  assert.equal(mlsKid(kContextAudio, 255n, 17n), 0xff1n);
  assert.deepEqual(splitMlsKid(0x1ff1n), { contextId: 1n, senderIndex: 255n, epochBits: 1n });
});

// Known answer from the native lib/sframe MlsContext (E = 4, S = 8, suite 4):
// base key 00..0f at epoch 5, sender leaf 3, context 1 (video), first two
// frames of plaintext "conclave native frame" (lib/sframe/test/mls_context_test.cpp,
// MlsContextBrowserKnownAnswer.NativeConfigurationFrames, pins the same bytes).
const kNativeBaseKey = "000102030405060708090a0b0c0d0e0f";
const kNativePlain = "636f6e636c617665206e6174697665206672616d65"; // "conclave native frame"
const kNativeFrames: string[] = [
  "901035f3e8035ffa9b172967ab8784aefbd45f1299e6fff618ae9c4e6e1ca95078b8cf09da56cf8d",
  "9110351d1691dda4a8cbc2151c0da2b5a53745c90a2f5457ad15019b3c504218b68583b3e30fd13f",
];

test("frames sealed by the native MlsContext open, and ours match them byte for byte", async (t) => {
  if (kNativeFrames.length === 0) {
    t.skip("no native known answer recorded");
    return;
  }
  const rx = new MlsSframe();
  assert.ok(rx.addEpoch(5n, hex(kNativeBaseKey)));
  for (const [i, f] of kNativeFrames.entries()) {
    const r = await rx.unprotect(hex(f));
    assert.ok(r.ok, r.ok ? "" : r.error);
    assert.equal(toHex(r.value.plaintext), kNativePlain);
    assert.equal(r.value.senderIndex, 3n);
    assert.equal(r.value.contextId, 1n);
    assert.equal(r.value.epoch, 5n);
    assert.equal(r.value.ctr, BigInt(i));
  }
  const tx = new MlsSframe();
  tx.addEpoch(5n, hex(kNativeBaseKey));
  for (const f of kNativeFrames) {
    const s = await tx.protect(3n, kContextVideo, hex(kNativePlain));
    assert.ok(s.ok);
    assert.equal(toHex(s.value), f);
  }
});

test("MlsSframe: no key, no frame; round trip between members; replay; epochs and grace", async () => {
  let now = 1000;
  const alice = new MlsSframe(() => now, 5000);
  const bob = new MlsSframe(() => now, 5000);
  const pt = new TextEncoder().encode("frame");
  assert.ok(!(await alice.protect(0n, kContextAudio, pt)).ok, "no key: no frame");
  const key1 = new Uint8Array(16).fill(1);
  const key2 = new Uint8Array(16).fill(2);
  assert.ok(alice.addEpoch(1n, key1));
  assert.ok(!alice.addEpoch(1n, key1), "an epoch is added once");
  assert.ok(!alice.addEpoch(2n, new Uint8Array(15)), "16-byte keys only");
  const f1 = await alice.protect(0n, kContextAudio, pt);
  assert.ok(f1.ok);
  assert.ok(!(await bob.unprotect(f1.value)).ok, "bob without the key opens nothing");
  bob.addEpoch(1n, key1);
  const o1 = await bob.unprotect(f1.value);
  assert.ok(o1.ok);
  assert.deepEqual(o1.value.plaintext, pt);
  assert.ok(!(await bob.unprotect(f1.value)).ok, "a replay is refused");
  // A wrong key for the epoch: authentication fails.
  const eve = new MlsSframe(() => now);
  eve.addEpoch(1n, key2);
  const f2 = await alice.protect(0n, kContextAudio, pt);
  assert.ok(f2.ok);
  assert.ok(!(await eve.unprotect(f2.value)).ok);
  // New epoch: old frames open during the grace period only.
  bob.addEpoch(2n, key2);
  assert.ok((await bob.unprotect(f2.value)).ok, "within grace");
  const f3 = await alice.protect(0n, kContextAudio, pt);
  assert.ok(f3.ok);
  now += 5000;
  assert.ok(!(await bob.unprotect(f3.value)).ok, "after grace");
  alice.addEpoch(2n, key2);
  const f4 = await alice.protect(0n, kContextAudio, pt);
  assert.ok(f4.ok);
  const o4 = await bob.unprotect(f4.value);
  assert.ok(o4.ok);
  assert.equal(o4.value.epoch, 2n);
  // Epoch 18 has epoch 2's low bits: epoch 2 is gone.
  bob.addEpoch(18n, key1);
  assert.ok(!(await bob.unprotect(f4.value)).ok);
  bob.clear();
  assert.equal(bob.currentEpoch, undefined);
});

test("MlsSframe.delaySendSwitch: seals in the previous epoch until the deadline, as the native MlsContext", async () => {
  let now = 1000;
  const alice = new MlsSframe(() => now, 5000);
  const late = new MlsSframe(() => now, 5000); // has not applied the commit yet
  const pt = new TextEncoder().encode("frame");
  const key1 = new Uint8Array(16).fill(1);
  const key2 = new Uint8Array(16).fill(2);
  alice.addEpoch(1n, key1);
  alice.delaySendSwitch(500); // no previous epoch: no hold
  assert.equal(alice.sendEpoch, 1n);
  late.addEpoch(1n, key1);
  alice.addEpoch(2n, key2);
  alice.delaySendSwitch(500);
  assert.equal(alice.currentEpoch, 2n);
  assert.equal(alice.sendEpoch, 1n);
  const held = await alice.protect(3n, kContextVideo, pt);
  assert.ok(held.ok);
  const opened = await late.unprotect(held.value);
  assert.ok(opened.ok);
  assert.equal(opened.value.epoch, 1n);
  now += 499;
  assert.equal(alice.sendEpoch, 1n);
  now += 1;
  assert.equal(alice.sendEpoch, 2n);
  const switched = await alice.protect(3n, kContextVideo, pt);
  assert.ok(switched.ok);
  const refused = await late.unprotect(switched.value);
  assert.ok(!refused.ok && refused.error === kFutureEpoch, "the next epoch, not applied yet");
  late.addEpoch(2n, key2);
  assert.ok((await late.unprotect(switched.value)).ok);
  // A newer epoch during a hold switches at once (a removal: no delay).
  alice.addEpoch(3n, key1);
  alice.delaySendSwitch(500);
  assert.equal(alice.sendEpoch, 2n);
  alice.addEpoch(4n, key2);
  assert.equal(alice.sendEpoch, 4n);
});

test("MlsSframe.unprotect: a frame of the next epochs is kFutureEpoch, of earlier ones kUnknownEpoch", async () => {
  const pt = new TextEncoder().encode("frame");
  const key = new Uint8Array(16).fill(7);
  const rx = new MlsSframe();
  const frameIn = async (epoch: bigint) => {
    const tx = new MlsSframe();
    tx.addEpoch(epoch, key);
    const f = await tx.protect(1n, kContextVideo, pt);
    assert.ok(f.ok);
    return f.value;
  };
  const errorOf = async (epoch: bigint) => {
    const r = await rx.unprotect(await frameIn(epoch));
    return r.ok ? "opened" : r.error;
  };
  assert.equal(await errorOf(5n), kUnknownEpoch, "no key at all: nothing is ahead");
  rx.addEpoch(14n, key);
  assert.equal(await errorOf(15n), kFutureEpoch);
  assert.equal(await errorOf(16n), kFutureEpoch, "across the wrap of the 4 low bits");
  assert.equal(await errorOf(21n), kFutureEpoch, "7 ahead");
  assert.equal(await errorOf(22n), kUnknownEpoch, "8 ahead reads as 8 behind");
  assert.equal(await errorOf(13n), kUnknownEpoch, "sent before we joined");
  assert.equal(await errorOf(14n), "opened", "the current epoch");
});

test("ReplayWindow: 128 counters, out of order inside, too old outside", () => {
  const w = new ReplayWindow();
  assert.ok(w.check(5n));
  w.update(5n);
  assert.ok(!w.check(5n));
  assert.ok(w.check(3n));
  w.update(200n);
  assert.ok(!w.check(72n), "200 - 128 is outside");
  assert.ok(w.check(73n));
  w.update(73n);
  assert.ok(!w.check(73n));
  assert.ok(w.check(199n));
});

test("unprotect never throws on random input", async () => {
  const rx = new MlsSframe();
  rx.addEpoch(1n, new Uint8Array(16));
  for (let i = 0; i < 2000; i++) {
    const len = Math.floor(Math.random() * 48);
    const b = crypto.getRandomValues(new Uint8Array(len));
    const r = await rx.unprotect(b);
    assert.ok(!r.ok);
  }
});
