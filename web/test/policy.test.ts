import assert from "node:assert/strict";
import { test } from "node:test";

import type { Extension, Proposal } from "ts-mls";

import {
  checkCommit,
  checkProposal,
  decodeMeetingPolicy,
  encodeMeetingPolicy,
  kPolicyExtensionType,
  policyOf,
  type ProposalSender,
} from "../src/meeting/policy.js";

const hostKey = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(9);
const member = (leaf: number): ProposalSender => ({ kind: "member", leaf });
const server: ProposalSender = { kind: "external", index: 0 };

function policyExtension(hosts: Uint8Array[], locked = 0): Extension {
  return { extensionType: kPolicyExtensionType, extensionData: encodeMeetingPolicy({ hosts, locked }) };
}
const senders: Extension = { extensionType: "external_senders", extensionData: Uint8Array.from([3, 1, 2, 3]) };
const context = (locked = 0): Extension[] => [senders, policyExtension([hostKey], locked)];

// Minimal proposals: the policy reads only the type (and a GCE's extensions).
const add = { proposalType: "add", add: { keyPackage: {} } } as unknown as Proposal;
const remove: Proposal = { proposalType: "remove", remove: { removed: 1 } };
const update = { proposalType: "update", update: {} } as unknown as Proposal;
const psk = { proposalType: "psk", psk: {} } as unknown as Proposal;
const reinit = { proposalType: "reinit", reinit: {} } as unknown as Proposal;
const externalInit = { proposalType: "external_init", externalInit: {} } as unknown as Proposal;
const gce = (extensions: Extension[]): Proposal => ({
  proposalType: "group_context_extensions",
  groupContextExtensions: { extensions },
});

test("MeetingPolicy round-trips and refuses malformed encodings (CV-POLICY-007)", () => {
  const encoded = encodeMeetingPolicy({ hosts: [hostKey, otherKey], locked: 1 });
  const decoded = decodeMeetingPolicy(encoded);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.value, { hosts: [hostKey, otherKey], locked: 1 });
  assert.equal(decodeMeetingPolicy(encoded.slice(0, -1)).ok, false, "truncated");
  assert.equal(decodeMeetingPolicy(Uint8Array.from([...encoded, 0])).ok, false, "trailing byte");
  assert.equal(decodeMeetingPolicy(encodeMeetingPolicy({ hosts: [], locked: 0 })).ok, false, "no host");
  assert.equal(decodeMeetingPolicy(encodeMeetingPolicy({ hosts: [hostKey], locked: 2 })).ok, false, "locked 2");
  assert.equal(decodeMeetingPolicy(encodeMeetingPolicy({ hosts: [new Uint8Array(0)], locked: 0 })).ok, false, "empty key");
  assert.equal(decodeMeetingPolicy(new Uint8Array(0)).ok, false, "empty");
  assert.equal(decodeMeetingPolicy(Uint8Array.from([0x40, 0x01, 0x00])).ok, false, "non-minimal varint");
});

test("policyOf: missing, twice, malformed", () => {
  assert.match((policyOf([senders]) as { error: string }).error, /CV-POLICY-007/);
  assert.equal(policyOf([policyExtension([hostKey]), policyExtension([hostKey])]).ok, false);
  assert.equal(policyOf([{ extensionType: kPolicyExtensionType, extensionData: Uint8Array.from([1]) }]).ok, false);
  assert.ok(policyOf(context()).ok);
});

test("checkProposal: CV-POLICY-005 and 006", () => {
  assert.equal(checkProposal(remove, server), undefined, "the server's Remove");
  assert.equal(checkProposal(add, server)?.rule, "CV-POLICY-005", "the server's Add");
  assert.equal(checkProposal(update, server)?.rule, "CV-POLICY-005");
  assert.equal(checkProposal(gce(context()), server)?.rule, "CV-POLICY-005");
  assert.equal(checkProposal(add, { kind: "new_member" })?.rule, "CV-POLICY-005", "a joiner's own Add");
  assert.equal(checkProposal(add, member(1)), undefined, "a member's Add (the commit decides)");
  for (const p of [psk, reinit, externalInit]) {
    assert.equal(checkProposal(p, member(0))?.rule, "CV-POLICY-006", p.proposalType as string);
    assert.equal(checkProposal(p, server)?.rule, "CV-POLICY-006");
  }
  assert.match(checkProposal(add, server)!.reason, /^CV-POLICY-005: /);
});

test("checkCommit: CV-POLICY-001..004 and 007", () => {
  const ok = (v: unknown) => assert.equal(v, undefined);
  ok(checkCommit(context(), member(0), hostKey, [{ proposal: add, sender: member(0) }]));
  ok(checkCommit(context(), member(1), otherKey, [{ proposal: remove, sender: server }]));
  ok(checkCommit(context(), member(1), otherKey, []));
  assert.equal(checkCommit(context(), { kind: "new_member" }, undefined, [])?.rule, "CV-POLICY-001");
  assert.equal(checkCommit(context(), server, undefined, [])?.rule, "CV-POLICY-001");
  assert.equal(checkCommit(context(), member(1), otherKey, [{ proposal: add, sender: member(1) }])?.rule, "CV-POLICY-002");
  assert.equal(checkCommit(context(), member(1), undefined, [{ proposal: add, sender: member(1) }])?.rule, "CV-POLICY-002");
  assert.equal(checkCommit(context(1), member(0), hostKey, [{ proposal: add, sender: member(0) }])?.rule, "CV-POLICY-003");
  assert.equal(checkCommit([senders], member(0), hostKey, [])?.rule, "CV-POLICY-007");
  assert.equal(checkCommit(context(), member(0), hostKey, [{ proposal: add, sender: server }])?.rule, "CV-POLICY-005");
  assert.equal(checkCommit(context(), member(0), hostKey, [{ proposal: psk, sender: member(0) }])?.rule, "CV-POLICY-006");

  // GroupContextExtensions: the committing host only, a well-formed policy, same external_senders.
  const lock = gce([senders, policyExtension([hostKey], 1)]);
  ok(checkCommit(context(), member(0), hostKey, [{ proposal: lock, sender: member(0) }]));
  const newHost = gce([senders, policyExtension([hostKey, otherKey])]);
  ok(checkCommit(context(), member(0), hostKey, [{ proposal: add, sender: member(0) }, { proposal: newHost, sender: member(0) }]));
  assert.equal(checkCommit(context(), member(1), otherKey, [{ proposal: lock, sender: member(1) }])?.rule, "CV-POLICY-004", "non-host");
  assert.equal(checkCommit(context(), member(0), hostKey, [{ proposal: lock, sender: member(2) }])?.rule, "CV-POLICY-004", "not the committer's");
  assert.equal(checkCommit(context(), member(0), hostKey, [{ proposal: gce([senders]), sender: member(0) }])?.rule, "CV-POLICY-004", "no policy");
  const noHosts: Extension = { extensionType: kPolicyExtensionType, extensionData: encodeMeetingPolicy({ hosts: [], locked: 0 }) };
  assert.equal(checkCommit(context(), member(0), hostKey, [{ proposal: gce([senders, noHosts]), sender: member(0) }])?.rule, "CV-POLICY-004");
  const otherSenders: Extension = { extensionType: 5, extensionData: Uint8Array.from([3, 9, 9, 9]) };
  assert.equal(
    checkCommit(context(), member(0), hostKey, [{ proposal: gce([otherSenders, policyExtension([hostKey])]), sender: member(0) }])?.rule,
    "CV-POLICY-004",
    "external_senders changed",
  );
  assert.equal(
    checkCommit(context(), member(0), hostKey, [{ proposal: gce([policyExtension([hostKey])]), sender: member(0) }])?.rule,
    "CV-POLICY-004",
    "external_senders dropped",
  );
});
