// The meeting policy every member enforces (the TypeScript twin of
// lib/meeting/.../meeting_policy.h; the rule IDs are the same):
//
//   struct {
//       SignaturePublicKey hosts<V>;   // leaves allowed to admit
//       uint8 locked;                  // 1: no Adds at all
//   } MeetingPolicy;                   // GroupContext extension 0xF0C1
//
//   CV-POLICY-001  a commit comes from a member (no external joins)
//   CV-POLICY-002  Adds only from a host (its leaf key is in `hosts` of the
//                  epoch the commit ends)
//   CV-POLICY-003  no Adds while the meeting is locked
//   CV-POLICY-004  a GroupContextExtensions proposal comes from the
//                  committing host, keeps a well-formed policy and leaves
//                  external_senders unchanged
//   CV-POLICY-005  the server (an external sender) proposes Remove only
//   CV-POLICY-006  no ReInit, ExternalInit or PreSharedKey proposals
//   CV-POLICY-007  the group context carries a well-formed MeetingPolicy
//
// The checks are pure functions over ts-mls's data types; they return a
// PolicyViolation (rule and text) or undefined.

import type { Extension, Proposal } from "ts-mls";

import { bytesEqual } from "../util/bytes.js";
import { err, ok, type Result } from "../util/result.js";
import { decodeAll, TlsWriter } from "../util/tls_reader.js";

export const kPolicyExtensionType = 0xf0c1;
const kExternalSendersType = 5;
const kRequiredCapabilitiesType = 3;

export interface MeetingPolicy {
  hosts: Uint8Array[];
  locked: number;
}

export interface PolicyViolation {
  rule: string; // "CV-POLICY-00n"
  reason: string; // "CV-POLICY-00n: text" (the native client's wording)
}

function violation(rule: string, text: string, detail?: string): PolicyViolation {
  return { rule, reason: `${rule}: ${text}${detail === undefined ? "" : ` (${detail})`}` };
}

/** Who sent a proposal: a member leaf, an external sender (the server), or a would-be member. */
export type ProposalSender =
  | { kind: "member"; leaf: number }
  | { kind: "external"; index: number }
  | { kind: "new_member" };

export interface ResolvedProposal {
  proposal: Proposal;
  sender: ProposalSender;
}

/** ts-mls names the default extension types and keeps others as numbers. */
export function extensionTypeNumber(type: Extension["extensionType"]): number {
  if (typeof type === "number") return type;
  const names: Record<string, number> = {
    application_id: 1,
    ratchet_tree: 2,
    required_capabilities: 3,
    external_pub: 4,
    external_senders: 5,
  };
  return names[type] ?? -1;
}

export function encodeMeetingPolicy(policy: MeetingPolicy): Uint8Array {
  return new TlsWriter()
    .vector(policy.hosts, (w, key) => w.opaque(key))
    .u8(policy.locked)
    .finish();
}

/** The group's extensions with the meeting policy replaced by `policy` (for a GroupContextExtensions proposal). */
export function withMeetingPolicy(extensions: Extension[], policy: MeetingPolicy): Extension[] {
  return extensions.map((e) =>
    extensionTypeNumber(e.extensionType) === kPolicyExtensionType
      ? { extensionType: e.extensionType, extensionData: encodeMeetingPolicy(policy) }
      : e,
  );
}

/** Decodes and validates (CV-POLICY-007): at least one host, no empty key, locked 0 or 1. */
export function decodeMeetingPolicy(data: Uint8Array): Result<MeetingPolicy> {
  const decoded = decodeAll(data, (r) => ({ hosts: r.vector((v) => v.opaque()), locked: r.u8() }));
  if (!decoded.ok) return err(`does not decode: ${decoded.error}`);
  const policy = decoded.value;
  if (policy.hosts.length === 0) return err("no host");
  if (policy.hosts.some((h) => h.length === 0)) return err("empty host key");
  if (policy.locked > 1) return err("locked is not 0 or 1");
  return ok(policy);
}

/** CV-POLICY-007: the policy in a group context's extensions. */
export function policyOf(extensions: Extension[]): Result<MeetingPolicy> {
  const found = extensions.filter((e) => extensionTypeNumber(e.extensionType) === kPolicyExtensionType);
  if (found.length === 0) return err("CV-POLICY-007: the group has no meeting policy");
  if (found.length > 1) return err("CV-POLICY-007: the meeting policy is malformed (twice)");
  const policy = decodeMeetingPolicy(found[0]!.extensionData);
  if (!policy.ok) return err(`CV-POLICY-007: the meeting policy is malformed (${policy.error})`);
  return policy;
}

export function isHost(policy: MeetingPolicy, signatureKey: Uint8Array | undefined): boolean {
  if (signatureKey === undefined || signatureKey.length === 0) return false;
  return policy.hosts.some((h) => bytesEqual(h, signatureKey));
}

function proposalTypeName(proposal: Proposal): string {
  return typeof proposal.proposalType === "string" ? proposal.proposalType : `custom(${proposal.proposalType})`;
}

/** CV-POLICY-005, 006: what a proposal's receiver checks before storing it. */
export function checkProposal(proposal: Proposal, sender: ProposalSender): PolicyViolation | undefined {
  const type = proposalTypeName(proposal);
  if (type === "reinit" || type === "external_init" || type === "psk") {
    return violation("CV-POLICY-006", "a proposal type meetings do not use", type);
  }
  if (sender.kind === "member") return undefined;
  if (sender.kind === "external" && type === "remove") return undefined;
  return violation("CV-POLICY-005", "the server may propose Remove only", type);
}

function externalSendersData(extensions: Extension[]): Uint8Array[] {
  return extensions
    .filter((e) => extensionTypeNumber(e.extensionType) === kExternalSendersType)
    .map((e) => e.extensionData);
}

/**
 * CV-POLICY-001..006 for a commit, against the extensions of the epoch it
 * ends. `committerKey` is the committer's leaf signature key (undefined
 * when the committer is not a member); `proposals` the resolved list.
 */
export function checkCommit(
  extensions: Extension[],
  committer: ProposalSender,
  committerKey: Uint8Array | undefined,
  proposals: ResolvedProposal[],
): PolicyViolation | undefined {
  const policy = policyOf(extensions);
  if (!policy.ok) return { rule: "CV-POLICY-007", reason: policy.error };
  if (committer.kind !== "member") return violation("CV-POLICY-001", "a commit from a non-member");
  const host = isHost(policy.value, committerKey);
  for (const { proposal, sender } of proposals) {
    const bad = checkProposal(proposal, sender);
    if (bad !== undefined) return bad;
    if (proposal.proposalType === "add") {
      if (!host) return violation("CV-POLICY-002", "an Add committed by a non-host");
      if (policy.value.locked !== 0) return violation("CV-POLICY-003", "an Add while the meeting is locked");
    } else if (proposal.proposalType === "group_context_extensions") {
      const fromCommitter = sender.kind === "member" && sender.leaf === committer.leaf;
      if (!host || !fromCommitter) {
        return violation("CV-POLICY-004", "a policy change not allowed", "not by the committing host");
      }
      const next = proposal.groupContextExtensions.extensions;
      if (!policyOf(next).ok) return violation("CV-POLICY-004", "a policy change not allowed", "no well-formed policy");
      const before = externalSendersData(extensions);
      const after = externalSendersData(next);
      const same = before.length === after.length && before.every((b, i) => bytesEqual(b, after[i]!));
      if (!same) return violation("CV-POLICY-004", "a policy change not allowed", "external_senders changed");
    }
  }
  return undefined;
}

/** The extension numbers a KeyPackage must list for a meeting's group (required_capabilities). */
export const kRequiredExtensionTypes = [kPolicyExtensionType];
export const kRequiredCapabilitiesExtensionType = kRequiredCapabilitiesType;
