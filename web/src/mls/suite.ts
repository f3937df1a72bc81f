// The one MLS cipher suite of Conclave meetings (docs/protocol.md):
// MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (1), with ts-mls.

import { getCiphersuiteFromName, getCiphersuiteImpl, type CiphersuiteImpl } from "ts-mls";

export const kSuiteId = 1;
export const kSuiteName = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519" as const;

let cached: Promise<CiphersuiteImpl> | undefined;

export function loadSuite(): Promise<CiphersuiteImpl> {
  cached ??= getCiphersuiteImpl(getCiphersuiteFromName(kSuiteName));
  return cached;
}
