// Parsers of server and peer input on hostile bytes: each returns an
// error, never throws, and accepts exactly the well-formed inputs.

import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { test } from "node:test";

import { decodeChat, encodeChat } from "../src/meeting/chat.js";
import { decodeMeetingPolicy } from "../src/meeting/policy.js";
import { decodeExternalSender, decodeExternalSenders, encodeExternalSenders } from "../src/mls/external_senders.js";
import { decodeMlsMessageAs } from "../src/mls/mls_message.js";
import { parseServerMessage, payload, str, uint } from "../src/signaling/message.js";
import { fromBase64url, fromHex, toBase64url, toHex } from "../src/util/bytes.js";
import { decodeAll } from "../src/util/tls_reader.js";

const kRounds = 3000;

function randomInput(): Uint8Array {
  const n = randomInt(0, 300);
  const bytes = new Uint8Array(randomBytes(n));
  // Bias towards small length prefixes so the structured decoders get past the first field.
  if (n > 0 && randomInt(0, 2) === 0) bytes[0] = randomInt(0, 64);
  return bytes;
}

test("base64url: round trip, and strict refusal", () => {
  for (let n = 0; n < 70; n++) {
    const bytes = new Uint8Array(randomBytes(n));
    const text = toBase64url(bytes);
    assert.equal(text, Buffer.from(bytes).toString("base64url"), "matches Node's encoder");
    const back = fromBase64url(text);
    assert.ok(back.ok);
    assert.deepEqual(back.value, bytes);
  }
  for (const bad of ["A", "AAAAA", "AA==", "A+", "A/", "AB", "A B", "ÿÿ", "AAA="]) {
    assert.equal(fromBase64url(bad).ok, false, JSON.stringify(bad));
  }
  assert.ok(fromBase64url("AA").ok);
  assert.ok(fromBase64url("").ok);
});

test("hex", () => {
  const bytes = new Uint8Array(randomBytes(20));
  const back = fromHex(toHex(bytes));
  assert.ok(back.ok);
  assert.deepEqual(back.value, bytes);
  for (const bad of ["a", "zz", "0x00", " 00"]) assert.equal(fromHex(bad).ok, false, bad);
});

test("parseServerMessage refuses malformed frames", () => {
  const bad = [
    "",
    "not json",
    "[]",
    "null",
    "42",
    '"text"',
    '{"type":"joined"}',
    '{"v":2,"type":"joined"}',
    '{"v":"1","type":"joined"}',
    '{"v":1}',
    '{"v":1,"type":7}',
    '{"v":1,"type":""}',
    `{"v":1,"type":"x","deep":${"[".repeat(40)}${"]".repeat(40)}}`,
    `{"v":1,"type":"x","big":"${"a".repeat(1 << 20)}"}`,
  ];
  for (const text of bad) assert.equal(parseServerMessage(text).ok, false, text.slice(0, 40));
  const good = parseServerMessage('{"v":1,"type":"ack","id":"s3","in_reply_to":5,"epoch":4}');
  assert.ok(good.ok);
  assert.equal(good.value.type, "ack");
  assert.equal(good.value.id, "s3");
  assert.equal(good.value.inReplyTo, "5");
  assert.equal(uint(good.value.body, "epoch"), 4);
  assert.equal(str(good.value.body, "epoch"), undefined);
  assert.equal(uint({ n: -1 }, "n"), undefined);
  assert.equal(uint({ n: 1.5 }, "n"), undefined);
  assert.equal(payload({ p: "A" }, "p").ok, false);
  assert.equal(payload({ p: 5 }, "p").ok, false);
  assert.equal(payload({}, "p").ok, false);
});

test("parseServerMessage never throws on random text", () => {
  const pieces = ['{"v":1,', '"type":', '"commit"', "}", "[", "]", ",", '"', "\\", "1", "null", "\u0000", "\ud800"];
  for (let i = 0; i < kRounds; i++) {
    let text = "";
    for (let j = randomInt(0, 12); j > 0; j--) text += pieces[randomInt(0, pieces.length)];
    parseServerMessage(text);
  }
});

test("MLS message decoding never throws and refuses wrong kinds", () => {
  for (let i = 0; i < kRounds; i++) {
    const bytes = randomInput();
    if (i % 2 === 0 && bytes.length > 4) {
      // version mls10 and a real wire format, so the decoder goes deeper
      bytes[0] = 0;
      bytes[1] = 1;
      bytes[2] = 0;
      bytes[3] = randomInt(1, 6);
    }
    for (const w of ["mls_welcome", "mls_public_message", "mls_private_message", "mls_key_package"] as const) {
      assert.equal(typeof decodeMlsMessageAs(bytes, w).ok, "boolean");
    }
  }
});

test("external senders: round trip and hostile bytes", () => {
  const senders = [
    { signatureKey: new Uint8Array(randomBytes(32)), identity: new TextEncoder().encode("conclave-server") },
    { signatureKey: new Uint8Array(randomBytes(32)), identity: new Uint8Array(0) },
  ];
  const encoded = encodeExternalSenders(senders);
  const back = decodeExternalSenders(encoded);
  assert.ok(back.ok);
  assert.deepEqual(back.value, senders);
  assert.equal(decodeExternalSenders(encoded.slice(0, -1)).ok, false);
  // One ExternalSender (the `joined` field) is the list's content.
  const one = decodeExternalSender(encodeExternalSenders([senders[0]!]).slice(1));
  assert.ok(one.ok);
  assert.deepEqual(one.value, senders[0]);
  for (let i = 0; i < kRounds; i++) {
    const bytes = randomInput();
    decodeExternalSenders(bytes);
    decodeExternalSender(bytes);
    decodeMeetingPolicy(bytes);
  }
});

test("TLS varints: minimal only", () => {
  assert.deepEqual(decodeAll(Uint8Array.from([0x25]), (r) => r.varint()), { ok: true, value: 0x25 });
  assert.deepEqual(decodeAll(Uint8Array.from([0x40, 0x40]), (r) => r.varint()), { ok: true, value: 64 });
  assert.equal(decodeAll(Uint8Array.from([0x40, 0x25]), (r) => r.varint()).ok, false);
  assert.equal(decodeAll(Uint8Array.from([0x80, 0, 0x3f, 0xff]), (r) => r.varint()).ok, false);
  assert.deepEqual(decodeAll(Uint8Array.from([0x80, 0, 0x40, 0]), (r) => r.varint()), { ok: true, value: 16384 });
  assert.equal(decodeAll(Uint8Array.from([0xc0, 0, 0, 0, 0, 0, 0, 1]), (r) => r.varint()).ok, false);
  assert.equal(decodeAll(Uint8Array.from([0x05, 1, 2]), (r) => r.opaque()).ok, false, "truncated");
});

test("chat messages", () => {
  const back = decodeChat(encodeChat("grüße 👋"));
  assert.ok(back.ok);
  assert.equal(back.value, "grüße 👋");
  const enc = (s: string) => new TextEncoder().encode(s);
  for (const bad of ['{"type":"chat"}', '{"type":"file","text":"x"}', '{"type":"chat","text":5}', "[]", "x", '"chat"']) {
    assert.equal(decodeChat(enc(bad)).ok, false, bad);
  }
  assert.equal(decodeChat(Uint8Array.from([0xff, 0xfe])).ok, false, "not UTF-8");
  assert.equal(decodeChat(encodeChat("x".repeat(20000))).ok, false, "too large");
  for (let i = 0; i < kRounds; i++) decodeChat(randomInput());
});
