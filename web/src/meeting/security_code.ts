// The security code members compare by voice or side by side (the twin of
// lib/meeting/.../security_code.h):
//
//   digest = SHA-256("conclave security code v1" || epoch_authenticator)
//   code   = four groups of 5 decimal digits: the first 16 bytes of digest
//            read as two big-endian uint64, each reduced mod 10^10
//
// Equal on every member's screen exactly when they share the epoch.

import { sha256 } from "@noble/hashes/sha2.js";

import { concatBytes, utf8 } from "../util/bytes.js";

const kLabel = "conclave security code v1";
const kModulus = 10_000_000_000n;

export function securityCode(epochAuthenticator: Uint8Array): string {
  const digest = sha256(concatBytes(utf8(kLabel), epochAuthenticator));
  const groups: string[] = [];
  for (let half = 0; half < 2; half++) {
    let value = 0n;
    for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(digest[half * 8 + i] ?? 0);
    value %= kModulus;
    groups.push((value / 100_000n).toString().padStart(5, "0"), (value % 100_000n).toString().padStart(5, "0"));
  }
  return groups.join(" ");
}
