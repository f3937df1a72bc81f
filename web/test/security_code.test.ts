import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { test } from "node:test";

import { securityCode } from "../src/meeting/security_code.js";

// An independent implementation (node:crypto and plain BigInt arithmetic on the hex digest).
function reference(ea: Uint8Array): string {
  const digest = createHash("sha256").update("conclave security code v1").update(ea).digest("hex");
  const groups: string[] = [];
  for (const half of [digest.slice(0, 16), digest.slice(16, 32)]) {
    const v = BigInt(`0x${half}`) % 10_000_000_000n;
    groups.push(String(v / 100_000n).padStart(5, "0"), String(v % 100_000n).padStart(5, "0"));
  }
  return groups.join(" ");
}

test("known answers of the native implementation (lib/meeting/test/security_code_test.cpp)", () => {
  assert.equal(securityCode(new Uint8Array(32)), "12249 44655 01037 32127");
  assert.equal(securityCode(Uint8Array.from({ length: 32 }, (_, i) => i)), "03314 09747 68274 27822");
});

test("equals an independent computation on random authenticators", () => {
  for (let i = 0; i < 200; i++) {
    const ea = new Uint8Array(randomBytes(i % 3 === 0 ? 32 : i % 64));
    assert.equal(securityCode(ea), reference(ea));
  }
});

test("four groups of five digits; every flipped byte changes the code", () => {
  const ea = new Uint8Array(randomBytes(32));
  const code = securityCode(ea);
  assert.match(code, /^\d{5} \d{5} \d{5} \d{5}$/);
  for (let i = 0; i < ea.length; i++) {
    const flipped = ea.slice();
    flipped[i] = (flipped[i] ?? 0) ^ 1;
    assert.notEqual(securityCode(flipped), code, `byte ${i}`);
  }
});
