// MeetingGroup: one epoch of a meeting's MLS group (RFC 9420) as this
// member sees it, over ts-mls's immutable ClientState. Every operation
// that changes the group returns a new MeetingGroup; nothing here throws
// on received input (ts-mls's exceptions become Results).
//
//   join(welcome)                    -> the group at the Welcome's epoch
//   processCommit(pm, policy)        -> applied | removed | rejected: the
//        policy callback (CV-POLICY-001..006) runs after ts-mls has
//        authenticated the commit and resolved its proposals, before
//        anything is applied
//   create(keys, extensions)         -> a new group with us as its only member
//   groupInfo()                      -> the signed GroupInfo (with the tree)
//   storeProposal(pm)                -> the proposal is kept for a commit;
//        an external sender's (the server's) is verified with the key of
//        the external_senders list (see external_senders.ts)
//   commit(adds, withStored, extensions?) -> our commit (Adds, stored
//        proposals, a GroupContextExtensions proposal when `extensions` is
//        given: the lock, new hosts), its Welcome and the next epoch
//   protect(data) / unprotect(pm)    -> application messages
//   exporter(label, context, length) -> MLS-Exporter (RFC 9420 section 8.5)

import {
  createApplicationMessage,
  createCommit,
  createGroup,
  emptyPskIndex,
  encodeMlsMessage,
  joinGroup,
  mlsExporter,
  processPrivateMessage,
  processPublicMessage,
  type CiphersuiteImpl,
  type ClientState,
  type Extension,
  type KeyPackage,
  type PrivateMessage,
  type Proposal,
  type PublicMessage,
  type Welcome,
  bytesToBase64,
} from "ts-mls";
import { processProposal } from "ts-mls/clientState.js";
import { createGroupInfoWithRatchetTree } from "ts-mls/createCommit.js";
import { unprotectPublicMessage } from "ts-mls/messageProtectionPublic.js";
import { decryptSenderData } from "ts-mls/privateMessage.js";

import type { PolicyViolation, ProposalSender, ResolvedProposal } from "../meeting/policy.js";
import { fromUtf8 } from "../util/bytes.js";
import { attempt, describe, err, ok, type Result } from "../util/result.js";
import { externalSenderOf } from "./external_senders.js";
import type { MemberKeys } from "./member_keys.js";

export interface Member {
  leaf: number;
  name: string; // the Basic credential's identity (UTF-8)
  signatureKey: Uint8Array;
}

/** The policy check a commit must pass: the committer, its leaf key and the resolved proposals. */
export type CommitPolicy = (
  committer: ProposalSender,
  committerKey: Uint8Array | undefined,
  proposals: ResolvedProposal[],
) => PolicyViolation | undefined;

export type CommitOutcome =
  | { kind: "applied"; group: MeetingGroup }
  | { kind: "removed" }
  | { kind: "rejected"; reason: string; rule?: string };

function senderOf(sender: PublicMessage["content"]["sender"]): ProposalSender {
  switch (sender.senderType) {
    case "member":
      return { kind: "member", leaf: sender.leafIndex };
    case "external":
      return { kind: "external", index: sender.senderIndex };
    default:
      return { kind: "new_member" };
  }
}

export class MeetingGroup {
  private constructor(
    private readonly state: ClientState,
    private readonly impl: CiphersuiteImpl,
  ) {}

  static async join(welcome: Welcome, keys: MemberKeys, impl: CiphersuiteImpl): Promise<Result<MeetingGroup>> {
    // No ratchet tree given: it must come in the GroupInfo's ratchet_tree extension.
    const state = await attempt("welcome", () =>
      joinGroup(welcome, keys.publicPackage, keys.privatePackage, emptyPskIndex, impl),
    );
    return state.ok ? ok(new MeetingGroup(state.value, impl)) : state;
  }

  /**
   * A new group (epoch 0) with us as its only member and these group-context
   * extensions (ts-mls validates the external_senders list with the fix of
   * scripts/ts_mls_fix.mjs).
   */
  static async create(keys: MemberKeys, impl: CiphersuiteImpl, groupId: Uint8Array, extensions: Extension[]): Promise<Result<MeetingGroup>> {
    const state = await attempt("create group", () => createGroup(groupId, keys.publicPackage, keys.privatePackage, extensions, impl));
    return state.ok ? ok(new MeetingGroup(state.value, impl)) : state;
  }

  /** The signed GroupInfo of this epoch as an MLSMessage, the ratchet tree in its extension. */
  async groupInfo(): Promise<Result<Uint8Array>> {
    const info = await attempt("group info", () =>
      createGroupInfoWithRatchetTree(this.state.groupContext, this.state.confirmationTag, this.state, this.state.ratchetTree, [], this.impl),
    );
    if (!info.ok) return info;
    return ok(encodeMlsMessage({ version: "mls10", wireformat: "mls_group_info", groupInfo: info.value }));
  }

  get epoch(): bigint {
    return this.state.groupContext.epoch;
  }

  get ownLeaf(): number {
    return this.state.privatePath.leafIndex;
  }

  get extensions(): Extension[] {
    return this.state.groupContext.extensions;
  }

  get epochAuthenticator(): Uint8Array {
    return this.state.keySchedule.epochAuthenticator;
  }

  get hasStoredProposals(): boolean {
    return Object.keys(this.state.unappliedProposals).length > 0;
  }

  /** Whether a stored proposal removes `leaf`. */
  storedRemoves(leaf: number): boolean {
    return Object.values(this.state.unappliedProposals).some(
      (p) => p.proposal.proposalType === "remove" && p.proposal.remove.removed === leaf,
    );
  }

  /** The stored proposals with their senders (leafless ones are the external sender's). */
  storedProposals(): ResolvedProposal[] {
    return Object.values(this.state.unappliedProposals).map((p) => ({
      proposal: p.proposal,
      sender: p.senderLeafIndex === undefined ? { kind: "external", index: 0 } : { kind: "member", leaf: p.senderLeafIndex },
    }));
  }

  /** The non-blank leaves in leaf order. */
  members(): Member[] {
    const out: Member[] = [];
    this.state.ratchetTree.forEach((node, index) => {
      if (index % 2 !== 0 || node === undefined || node.nodeType !== "leaf") return;
      const credential = node.leaf.credential;
      let name = "(x509)";
      if (credential.credentialType === "basic") {
        const text = fromUtf8(credential.identity);
        name = text.ok ? text.value : "(invalid UTF-8)";
      }
      out.push({ leaf: index / 2, name, signatureKey: node.leaf.signaturePublicKey });
    });
    return out;
  }

  member(leaf: number): Member | undefined {
    return this.members().find((m) => m.leaf === leaf);
  }

  exporter(label: string, context: Uint8Array, length: number): Promise<Uint8Array> {
    return mlsExporter(this.state.keySchedule.exporterSecret, label, context, length, this.impl);
  }

  async processCommit(pm: PublicMessage, policy: CommitPolicy): Promise<CommitOutcome> {
    if (pm.content.contentType !== "commit") return { kind: "rejected", reason: "not a commit" };
    if (pm.content.epoch !== this.epoch) return { kind: "rejected", reason: "not of the current epoch" };
    const committer = senderOf(pm.content.sender);
    const committerKey = committer.kind === "member" ? this.member(committer.leaf)?.signatureKey : undefined;
    // ts-mls 1.6.4 validates a commit's Adds in a chain of promises of which
    // only the last is awaited: two invalid ones leave an unhandled rejection.
    // With several Adds, each KeyPackage must first pass a trial commit alone.
    const adds: KeyPackage[] = [];
    for (const p of pm.content.commit.proposals) {
      const proposal =
        p.proposalOrRefType === "proposal" ? p.proposal : this.state.unappliedProposals[bytesToBase64(p.reference)]?.proposal;
      if (proposal?.proposalType === "add") adds.push(proposal.add.keyPackage);
    }
    if (adds.length > 1) {
      for (const kp of adds) {
        const trial = await this.commit([kp], false);
        if (!trial.ok) return { kind: "rejected", reason: `an invalid KeyPackage in an Add: ${trial.error}` };
      }
    }
    let refused: PolicyViolation | undefined;
    let removed = false;
    const own = this.ownLeaf;
    try {
      const result = await processPublicMessage(this.state, pm, emptyPskIndex, this.impl, (incoming) => {
        if (incoming.kind !== "commit") return "reject";
        const proposals: ResolvedProposal[] = incoming.proposals.map((p) => ({
          proposal: p.proposal,
          // Inline proposals carry the committer's leaf; a stored one without a
          // leaf is the external sender's (storeProposal keeps no other kind).
          sender: p.senderLeafIndex === undefined ? { kind: "external", index: 0 } : { kind: "member", leaf: p.senderLeafIndex },
        }));
        refused = policy(committer, committerKey, proposals);
        if (refused !== undefined) return "reject";
        // ts-mls 1.6.4 may misjudge a commit that removes us and adds someone
        // into the freed leaf: stop before it tries to decrypt the path.
        removed = proposals.some((p) => p.proposal.proposalType === "remove" && p.proposal.remove.removed === own);
        return removed ? "reject" : "accept";
      });
      if (refused !== undefined) return { kind: "rejected", reason: refused.reason, rule: refused.rule };
      if (removed || result.newState.groupActiveState.kind === "removedFromGroup") return { kind: "removed" };
      if (result.actionTaken !== "accept") return { kind: "rejected", reason: "commit rejected" };
      return { kind: "applied", group: new MeetingGroup(result.newState, this.impl) };
    } catch (thrown) {
      if (refused !== undefined) return { kind: "rejected", reason: refused.reason, rule: refused.rule };
      return { kind: "rejected", reason: describe(thrown) };
    }
  }

  /** Verifies a proposal (PublicMessage of this epoch) and stores it for a later commit. */
  async storeProposal(pm: PublicMessage): Promise<Result<MeetingGroup>> {
    if (pm.content.contentType !== "proposal") return err("not a proposal");
    if (pm.content.epoch !== this.epoch) return err("not of the current epoch");
    const sender = pm.content.sender;
    if (sender.senderType === "member") {
      const result = await attempt("proposal", () => processPublicMessage(this.state, pm, emptyPskIndex, this.impl));
      if (!result.ok) return result;
      if (result.value.actionTaken !== "accept") return err("proposal rejected");
      return ok(new MeetingGroup(result.value.newState, this.impl));
    }
    if (sender.senderType !== "external") return err(`proposals from ${sender.senderType} are not accepted`);
    const external = externalSenderOf(this.extensions, sender.senderIndex);
    if (!external.ok) return external;
    const content = await attempt("proposal", () =>
      unprotectPublicMessage(
        this.state.keySchedule.membershipKey,
        this.state.groupContext,
        this.state.ratchetTree,
        pm,
        this.impl,
        external.value.signatureKey,
      ),
    );
    if (!content.ok) return content;
    if (content.value.content.contentType !== "proposal") return err("not a proposal");
    const proposal = content.value.content.proposal;
    const stored = await attempt("proposal", () => processProposal(this.state, content.value, proposal, this.impl.hash));
    return stored.ok ? ok(new MeetingGroup(stored.value, this.impl)) : stored;
  }

  /**
   * Our commit (a PublicMessage): Adds for `adds`, and the stored proposals
   * when `withStored` (ts-mls always commits every stored proposal, so
   * without it they are left out of a copy of the state); with
   * `extensions`, a GroupContextExtensions proposal replacing the group's
   * extensions with them (RFC 9420 section 12.1.7: the whole list). Returns
   * the encoded commit, the Welcome (with the ratchet tree) when it adds,
   * and the next epoch.
   */
  async commit(
    adds: KeyPackage[],
    withStored: boolean,
    extensions?: Extension[],
  ): Promise<Result<{ commit: Uint8Array; welcome: Uint8Array | undefined; next: MeetingGroup }>> {
    const state = withStored ? this.state : { ...this.state, unappliedProposals: {} };
    const extraProposals: Proposal[] = adds.map((keyPackage) => ({ proposalType: "add" as const, add: { keyPackage } }));
    if (extensions !== undefined) {
      extraProposals.push({ proposalType: "group_context_extensions", groupContextExtensions: { extensions } });
    }
    const result = await attempt("commit", () =>
      createCommit({ state, cipherSuite: this.impl }, { extraProposals, wireAsPublicMessage: true, ratchetTreeExtension: true }),
    );
    if (!result.ok) return result;
    const welcome =
      result.value.welcome === undefined
        ? undefined
        : encodeMlsMessage({ version: "mls10", wireformat: "mls_welcome", welcome: result.value.welcome });
    return ok({ commit: encodeMlsMessage(result.value.commit), welcome, next: new MeetingGroup(result.value.newState, this.impl) });
  }

  /** Application data as an encoded MLSMessage (PrivateMessage of this epoch). */
  async protect(data: Uint8Array): Promise<Result<{ message: Uint8Array; next: MeetingGroup }>> {
    const result = await attempt("protect", () => createApplicationMessage(this.state, data, this.impl));
    if (!result.ok) return result;
    const message = encodeMlsMessage({
      version: "mls10",
      wireformat: "mls_private_message",
      privateMessage: result.value.privateMessage,
    });
    return ok({ message, next: new MeetingGroup(result.value.newState, this.impl) });
  }

  /** Application data of the current epoch: the bytes and the sender's leaf. */
  async unprotect(pm: PrivateMessage): Promise<Result<{ data: Uint8Array; sender: number; next: MeetingGroup }>> {
    if (pm.epoch !== this.epoch) return err(pm.epoch < this.epoch ? "an ended epoch" : "a future epoch");
    if (pm.contentType !== "application") return err(`a PrivateMessage carrying ${pm.contentType}`);
    // ts-mls does not report the sender: read it from the sender data (it is
    // authenticated by the signature processPrivateMessage verifies next).
    const senderData = await attempt("application", () =>
      decryptSenderData(pm, this.state.keySchedule.senderDataSecret, this.impl),
    );
    if (!senderData.ok) return senderData;
    if (senderData.value === undefined) return err("application: cannot decrypt the sender data");
    const sender = senderData.value.leafIndex;
    const result = await attempt("application", () => processPrivateMessage(this.state, pm, emptyPskIndex, this.impl));
    if (!result.ok) return result;
    if (result.value.kind !== "applicationMessage") return err("application: not application data");
    return ok({ data: result.value.message, sender, next: new MeetingGroup(result.value.newState, this.impl) });
  }
}
