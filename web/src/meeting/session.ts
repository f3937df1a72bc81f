// MeetingSession: one browser participant's side of a meeting, mirroring
// the native MeetingSession (lib/client/.../meeting_session.h) over the
// signaling protocol (docs/protocol.md):
//
//   start() ─────────> hello {meeting_id, display_name, passcode?, host_key?}
//   joined / lobby ──> key_package (suite 1, Basic credential = name,
//                      capabilities naming the policy extension 0xF0C1);
//                      the first host, no group: create it ─> group_info
//   add_request ─────> host member: commit the Adds ─> pending until the
//                      commit comes back (adopt) or stale_commit (retry)
//   welcome ─────────> join (ratchet tree from the GroupInfo); CV-POLICY-007
//   commit ──────────> our own (same bytes): adopt; else ts-mls checks →
//                      CV-POLICY-001..006 → apply; a commit removing us ends
//                      the session (`removed`)
//   proposal ────────> CV-POLICY-005/006 before storing; stored proposals
//                      (the server's Removes) are committed after a random
//                      200–1000 ms unless a commit comes first
//   application ─────> chat event                say(text) ─> application
//   leave() ─────────> leave, ack, closed
//
// Server messages are handled one at a time, in arrival order (ts-mls is
// asynchronous: a queue keeps the order). Whatever the server sends that
// fails a check gives a `rejected` or `error` event and changes nothing.
//
// Hosts name host joiners in the policy and carry the meeting's lock into it
// (meeting_updated) with a GroupContextExtensions proposal.
//
// A member whose connection drops reconnects (up to kMaxReconnects times,
// backing off from kReconnectDelayMs) with the resume token of its last
// `joined`: the server keeps the seat for its grace period, and `catch_up`
// brings the commits and proposals missed meanwhile. Media goes on over its
// own transports (UDP) while signaling reconnects.

import { encodeRequiredCapabilities, type CiphersuiteImpl, type Extension, type KeyPackage } from "ts-mls";

import { decodeExternalSender } from "../mls/external_senders.js";
import { MeetingGroup } from "../mls/meeting_group.js";
import { MemberKeys } from "../mls/member_keys.js";
import { decodeMlsMessageAs } from "../mls/mls_message.js";
import { loadSuite } from "../mls/suite.js";
import { SignalingConnection } from "../signaling/connection.js";
import { arr, bool, obj, payload, str, uint, type JsonObject, type ServerMessage } from "../signaling/message.js";
import type { TransportFactory } from "../signaling/transport.js";
import { bytesEqual, fromUtf8, toBase64url, toHex } from "../util/bytes.js";
import { err, ok, type Result } from "../util/result.js";
import { TlsWriter } from "../util/tls_reader.js";
import { decodeChat, encodeChat } from "./chat.js";
import type { MeetingEvent, RosterEntry } from "./events.js";
import {
  checkCommit,
  checkProposal,
  encodeMeetingPolicy,
  isHost,
  kPolicyExtensionType,
  policyOf,
  withMeetingPolicy,
  type MeetingPolicy,
  type ResolvedProposal,
} from "./policy.js";
import { securityCode } from "./security_code.js";

export const kSframeExporterLabel = "SFrame 1.0 Base Key";
export const kSframeBaseKeyLength = 16; // AEAD.Nk of AES_128_GCM_SHA256_128 (RFC 9605 section 5.2)

const kRetryBackoffMs = 1000;
const kMaxAddAttempts = 3;
const kLeaveTimeoutMs = 3000;
const kMaxReconnects = 4;
const kReconnectDelayMs = 500; // then 1, 2, 4 s: within the server's default 10 s grace

export interface SessionConfig {
  /** wss://host:port/api/v1/signal */
  url: string;
  meetingId: string;
  displayName: string;
  passcode?: string;
  hostKey?: string;
  /** Admit everyone who waits in the lobby (hosts). */
  admitAll?: boolean;
  transport: TransportFactory;
  /** TEST ONLY: epoch events carry epoch_authenticator and sframe_base_key in hex. */
  revealSecrets?: boolean;
  /** Delay before committing stored proposals; default a random 200–1000 ms. */
  commitDelayMs?: () => number;
  /** A commit the server neither sequences nor refuses within this time is dropped. */
  commitTimeoutMs?: number;
  onEvent?: (event: MeetingEvent) => void;
}

/** An epoch's SFrame base key (16 bytes) and our leaf index in it. */
/**
 * An epoch's SFrame base key and our leaf in it; `removedMembers` when the
 * commit that started it removed someone (the media then switches to the
 * new key at once, see MeetingMedia).
 */
export type EpochKeyListener = (epoch: bigint, ownLeaf: number, sframeBaseKey: Uint8Array, removedMembers: boolean) => void;

export type Phase = "idle" | "connecting" | "lobby" | "joined" | "member" | "ended";

/** A participant as the server announces it (docs/protocol.md: `participant`). */
export interface Participant {
  participantId: string;
  displayName: string;
  role: string;
}

/** The outcome of a host action (admit, deny, remove): ok, or the server's error code. */
export type ActionResult = { ok: true } | { ok: false; code: string; message: string };

function participantOf(v: unknown): Participant | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const p = v as JsonObject;
  const id = str(p, "participant_id");
  if (id === undefined) return undefined;
  return { participantId: id, displayName: str(p, "display_name") ?? "", role: str(p, "role") ?? "participant" };
}

type EventBody = MeetingEvent extends infer E ? (E extends MeetingEvent ? Omit<E, "time"> : never) : never;

interface PendingCommit {
  requestId: string;
  commit: Uint8Array;
  next: MeetingGroup;
  timer: ReturnType<typeof setTimeout>;
  adds: Uint8Array[]; // signature keys of the joiners it adds
}

interface AddRequest {
  participantId: string;
  name: string;
  host: boolean;
  keyPackage: KeyPackage;
  attempts: number;
}

/** The group-context extensions a meeting's creator starts with (meeting::initial_extensions). */
function initialExtensions(creatorKey: Uint8Array, serverSender: Uint8Array): Extension[] {
  return [
    {
      extensionType: "required_capabilities",
      extensionData: encodeRequiredCapabilities({ extensionTypes: [kPolicyExtensionType], proposalTypes: [], credentialTypes: [] }),
    },
    { extensionType: "external_senders", extensionData: new TlsWriter().opaque(serverSender).finish() },
    { extensionType: kPolicyExtensionType, extensionData: encodeMeetingPolicy({ hosts: [creatorKey], locked: 0 }) },
  ];
}

function randomCommitDelay(): number {
  const r = new Uint16Array(1);
  crypto.getRandomValues(r);
  return 200 + ((r[0] ?? 0) % 801);
}

export class MeetingSession {
  private phase_: Phase = "idle";
  private connection: SignalingConnection | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly started = Date.now();
  private readonly events_: MeetingEvent[] = [];

  private participantId_ = "";
  private role_ = "";
  private locked_ = false;
  private helloId = "";
  private keyPackageId = "";
  private leaveId = "";
  private keyPackageSent = false;
  private group: MeetingGroup | undefined;
  private pendingGroup: MeetingGroup | undefined; // created, group_info not yet acknowledged
  private groupInfoId = "";
  private serverSender: Uint8Array | undefined; // the ExternalSender of `joined`
  private addRequests: AddRequest[] = [];
  private proposalsDue = false;
  /** The lock a host carries into the group policy (from meeting_updated). */
  private desiredLocked: boolean | undefined;
  private pending: PendingCommit | undefined;
  private proposalsTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private leaveTimer: ReturnType<typeof setTimeout> | undefined;
  private catchUpFrom: bigint | undefined;
  private resumeToken: string | undefined; // of the last `joined`
  private reconnects = 0; // attempts since the connection last dropped
  private reconnecting = false;
  private endedResolve: (() => void) | undefined;
  private readonly endedPromise: Promise<void>;
  private readonly epochListeners: EpochKeyListener[] = [];
  private readonly mediaListeners: Array<(m: ServerMessage) => void> = [];
  private readonly peopleListeners: Array<() => void> = [];
  private readonly participants_ = new Map<string, Participant>(); // joined, by participant_id
  private readonly lobby_ = new Map<string, Participant>(); // waiting (hosts only)

  private constructor(
    private readonly config: SessionConfig,
    private readonly impl: CiphersuiteImpl,
    private readonly keys: MemberKeys,
  ) {
    this.endedPromise = new Promise((resolve) => (this.endedResolve = resolve));
  }

  /** Makes the session's keys and KeyPackage. */
  static async create(config: SessionConfig): Promise<MeetingSession> {
    const impl = await loadSuite();
    const keys = await MemberKeys.create(config.displayName, impl);
    return new MeetingSession(config, impl, keys);
  }

  // ------------------------------------------------------------- state

  get phase(): Phase {
    return this.phase_;
  }
  get participantId(): string {
    return this.participantId_;
  }
  get role(): string {
    return this.role_;
  }

  /** The server's lock of the meeting (joined, meeting_updated): nobody new may join. */
  get meetingLocked(): boolean {
    return this.locked_;
  }
  get isMember(): boolean {
    return this.phase_ === "member" && this.group !== undefined;
  }
  get epoch(): bigint | undefined {
    return this.group?.epoch;
  }
  get events(): readonly MeetingEvent[] {
    return this.events_;
  }
  /** Resolves once the session has ended (left, removed, denied, failed). */
  get ended(): Promise<void> {
    return this.endedPromise;
  }

  /** meeting::security_code of the current epoch ("" when not a member). */
  securityCode(): string {
    return this.group ? securityCode(this.group.epochAuthenticator) : "";
  }

  /** The SFrame base key of the current epoch: MLS-Exporter("SFrame 1.0 Base Key", "", 16). */
  async sframeBaseKey(): Promise<Uint8Array | undefined> {
    return this.group?.exporter(kSframeExporterLabel, new Uint8Array(0), kSframeBaseKeyLength);
  }

  /** This member's leaf index in the group (SFrame key IDs carry it). */
  get ownLeaf(): number | undefined {
    return this.group?.ownLeaf;
  }

  /**
   * Calls `listener` with every epoch's SFrame base key and our leaf (the
   * media worker's input), at once for the current epoch if we are a member.
   */
  watchEpochs(listener: EpochKeyListener): void {
    this.epochListeners.push(listener);
    const group = this.group;
    if (group !== undefined) {
      void group.exporter(kSframeExporterLabel, new Uint8Array(0), kSframeBaseKeyLength).then((key) => {
        if (this.group === group) listener(group.epoch, group.ownLeaf, key, false);
      });
    }
  }

  /** Every media_* message of the server (media_offer, media_state, active_speaker, ...). */
  watchMedia(listener: (m: ServerMessage) => void): void {
    this.mediaListeners.push(listener);
  }

  /** Sends a media request (media_publish, media_subscribe, media_answer) and waits for its reply. */
  mediaRequest(type: string, fields: JsonObject = {}): Promise<ServerMessage | undefined> {
    if (this.connection === undefined) return Promise.resolve(undefined);
    return this.connection.request(type, fields);
  }

  /** Called whenever the server's participant or lobby lists change. */
  watchPeople(listener: () => void): void {
    this.peopleListeners.push(listener);
  }

  /** Everyone the server announced as joined (ourselves included once joined). */
  participants(): Participant[] {
    return [...this.participants_.values()];
  }

  /** Who waits in the lobby (hosts only). */
  lobby(): Participant[] {
    return [...this.lobby_.values()];
  }

  /** Host: let a lobby participant in (`admit`); the Add follows as for admitAll. */
  admit(participantId: string): Promise<ActionResult> {
    return this.hostAction("admit", participantId);
  }

  /** Host: refuse a lobby participant (`deny`): it gets `denied` and is disconnected. */
  deny(participantId: string): Promise<ActionResult> {
    return this.hostAction("deny", participantId);
  }

  /** Host: the server proposes the participant's Remove, which a member commits. */
  remove(participantId: string): Promise<ActionResult> {
    return this.hostAction("remove", participantId);
  }

  private async hostAction(type: "admit" | "deny" | "remove", participantId: string): Promise<ActionResult> {
    if (this.connection === undefined || this.phase_ === "ended") return { ok: false, code: "not_connected", message: "not connected" };
    const reply = await this.connection.request(type, { participant_id: participantId });
    if (reply === undefined) return { ok: false, code: "no_reply", message: "no reply from the server" };
    if (reply.type === "error") {
      return { ok: false, code: str(reply.body, "code") ?? "unknown", message: str(reply.body, "message") ?? "" };
    }
    if (type !== "remove" && this.lobby_.delete(participantId)) this.peopleChanged();
    return { ok: true };
  }

  private peopleChanged(): void {
    for (const listener of this.peopleListeners) {
      try {
        listener();
      } catch {
        // a UI listener's failure must not stop the session
      }
    }
  }

  roster(): RosterEntry[] {
    const group = this.group;
    if (group === undefined) return [];
    const policy = policyOf(group.extensions);
    return group.members().map((m) => ({
      leaf: m.leaf,
      name: m.name,
      host: policy.ok && isHost(policy.value, m.signatureKey),
      self: m.leaf === group.ownLeaf,
    }));
  }

  // ----------------------------------------------------------- actions

  /** Connects and sends hello. Resolves once hello is sent (or the session failed). */
  async start(): Promise<void> {
    if (this.phase_ !== "idle") return;
    this.phase_ = "connecting";
    const connected = await this.connect();
    if (!connected.ok) {
      this.emit({ event: "error", code: "connect", message: connected.error });
      this.end("failed", "connect");
      return;
    }
    const hello: JsonObject = { meeting_id: this.config.meetingId, display_name: this.config.displayName };
    if (this.config.passcode !== undefined) hello["passcode"] = this.config.passcode;
    if (this.config.hostKey !== undefined) hello["host_key"] = this.config.hostKey;
    this.helloId = this.send("hello", hello);
  }

  private async connect(): Promise<Result<void>> {
    try {
      const connection = await SignalingConnection.connect(this.config.url, this.config.transport, {
        message: (m) => this.enqueue(() => this.receive(m)),
        malformed: (error) => this.enqueue(async () => this.emit({ event: "error", code: "malformed", message: error })),
        closed: (code, reason) => this.enqueue(async () => {
          if (this.connection === connection) this.onClosed(code, reason);
        }),
      });
      this.connection = connection;
      return ok(undefined);
    } catch (e) {
      return err(e instanceof Error ? e.message : String(e));
    }
  }

  /** A new connection after a drop: hello with the resume token; `joined` then sends catch_up. */
  private async reconnect(): Promise<void> {
    if (this.phase_ === "ended" || this.resumeToken === undefined) return;
    const connected = await this.connect();
    if (!connected.ok) return this.onClosed(0, `reconnect: ${connected.error}`);
    this.helloId = this.send("hello", {
      meeting_id: this.config.meetingId,
      display_name: this.config.displayName,
      resume_token: this.resumeToken,
    });
  }

  /** Sends a chat message to the group (member only). */
  say(text: string): Promise<boolean> {
    return this.enqueueResult(async () => {
      if (this.phase_ === "ended" || this.group === undefined) return false;
      const protectedMessage = await this.group.protect(encodeChat(text));
      if (!protectedMessage.ok) {
        this.emit({ event: "error", code: "protect", message: protectedMessage.error });
        return false;
      }
      this.group = protectedMessage.value.next;
      this.send("application", { message: toBase64url(protectedMessage.value.message) });
      this.emit({
        event: "chat",
        from: this.config.displayName,
        participant_id: this.participantId_,
        leaf: this.group.ownLeaf,
        text,
        epoch: Number(this.group.epoch),
        self: true,
      });
      return true;
    });
  }

  /** Leaves the meeting; resolves when the session has ended (at most about 3 s). */
  async leave(): Promise<void> {
    await this.enqueue(async () => {
      if (this.phase_ === "ended" || this.leaveId !== "") return;
      if (this.phase_ === "idle" || this.connection === undefined) {
        this.end("left");
        return;
      }
      this.dropPending();
      this.clearTimer("proposals");
      this.addRequests = [];
      this.leaveId = this.send("leave");
      this.leaveTimer = setTimeout(() => this.enqueue(async () => this.end("left", "no answer to leave")), kLeaveTimeoutMs);
    });
    await this.endedPromise;
  }

  // ----------------------------------------------------------- plumbing

  private enqueue(run: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(run).catch((e: unknown) => {
      // Last line of defence: a handler bug must not stop the queue.
      this.emit({ event: "error", code: "internal", message: e instanceof Error ? e.message : String(e) });
    });
    return this.queue;
  }

  private enqueueResult<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      void this.enqueue(async () => {
        try {
          resolve(await run());
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  private send(type: string, fields: JsonObject = {}): string {
    return this.connection?.send(type, fields) ?? "";
  }

  private emit(body: EventBody): void {
    const event = { ...body, time: Math.round(Date.now() - this.started) / 1000 } as MeetingEvent;
    this.events_.push(event);
    try {
      this.config.onEvent?.(event);
    } catch {
      // A listener's failure is not the session's.
    }
  }

  private reject(what: string, reason: string, rule?: string): void {
    this.emit(rule === undefined ? { event: "rejected", what, reason } : { event: "rejected", what, reason, rule });
  }

  private end(reason: "left" | "removed" | "denied" | "failed", detail?: string): void {
    if (this.phase_ === "ended") return;
    this.phase_ = "ended";
    this.dropPending();
    this.clearTimer("proposals");
    this.clearTimer("retry");
    this.clearTimer("leave");
    this.emit(detail === undefined || detail === "" ? { event: "left", reason } : { event: "left", reason, detail });
    this.connection?.close(1000);
    this.endedResolve?.();
  }

  private clearTimer(which: "proposals" | "retry" | "leave"): void {
    const timer = which === "proposals" ? this.proposalsTimer : which === "retry" ? this.retryTimer : this.leaveTimer;
    if (timer !== undefined) clearTimeout(timer);
    if (which === "proposals") this.proposalsTimer = undefined;
    else if (which === "retry") this.retryTimer = undefined;
    else this.leaveTimer = undefined;
  }

  private dropPending(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }

  private onClosed(code: number, reason: string): void {
    if (this.phase_ === "ended") return;
    if (this.leaveId !== "") {
      this.end("left");
      return;
    }
    const why = `connection closed (${code}${reason ? `: ${reason}` : ""})`;
    // Only members keep a seat over a drop (docs/protocol.md, "Reconnecting").
    if (this.phase_ === "member" && this.resumeToken !== undefined && this.reconnects < kMaxReconnects) {
      this.connection = undefined;
      this.reconnecting = true;
      const delay = kReconnectDelayMs * 2 ** this.reconnects;
      this.reconnects += 1;
      this.emit({ event: "reconnecting", attempt: this.reconnects, reason: why });
      setTimeout(() => void this.enqueue(() => this.reconnect()), delay);
      return;
    }
    this.end("failed", why);
  }

  // ---------------------------------------------------------- dispatch

  private async receive(m: ServerMessage): Promise<void> {
    if (this.phase_ === "ended") return;
    const body = m.body;
    switch (m.type) {
      case "joined":
        await this.onJoined(m);
        break;
      case "lobby":
        this.onLobby(body);
        break;
      case "ack":
        if (m.inReplyTo !== undefined && m.inReplyTo === this.groupInfoId && this.pendingGroup) {
          const created = this.pendingGroup;
          this.pendingGroup = undefined;
          await this.adopt(created);
        } else if (m.inReplyTo !== undefined && m.inReplyTo === this.leaveId) {
          this.end("left");
        }
        break;
      case "error":
        this.onError(m);
        break;
      case "welcome":
        await this.onWelcome(body);
        break;
      case "commit":
        await this.onCommit(body);
        break;
      case "proposal":
        await this.onProposal(body);
        break;
      case "application":
        await this.onApplication(body);
        break;
      case "add_request":
        await this.onAddRequest(body);
        break;
      case "participant_waiting":
        this.onParticipantWaiting(body);
        break;
      case "meeting_updated": {
        const meeting = obj(body, "meeting");
        if (meeting === undefined) break;
        const locked = bool(meeting, "locked");
        this.locked_ = locked;
        this.emit({ event: "meeting", locked, waiting_room: bool(meeting, "waiting_room") });
        // Hosts carry the lock into the group, where every member enforces it.
        if (this.role_ === "host" && this.group !== undefined) {
          this.desiredLocked = locked;
          await this.maybeCommit();
        }
        break;
      }
      case "denied":
        this.end("denied");
        break;
      case "removed":
        this.end("removed", str(body, "reason") ?? "");
        break;
      case "media_published":
      case "media_offer":
      case "media_state":
      case "active_speaker":
        for (const listener of this.mediaListeners) listener(m);
        break;
      case "participant_joined": {
        const p = participantOf(body["participant"]);
        if (p) {
          this.participants_.set(p.participantId, p);
          this.peopleChanged();
        }
        break;
      }
      case "participant_left": {
        const id = str(body, "participant_id");
        if (id !== undefined && this.participants_.delete(id)) this.peopleChanged();
        break;
      }
      case "lobby_left": {
        const id = str(body, "participant_id");
        if (id !== undefined && this.lobby_.delete(id)) this.peopleChanged();
        break;
      }
      default:
        // pong: nothing to do;
        // unknown types are ignored (forward compatibility).
        break;
    }
    await this.maybeCommit();
  }

  private async onJoined(m: ServerMessage): Promise<void> {
    const body = m.body;
    const resumed = bool(body, "resumed");
    if (resumed && this.reconnecting) return this.onResumed(m);
    if (this.phase_ !== "connecting" && this.phase_ !== "lobby") {
      this.emit({ event: "error", code: "out_of_order", message: "joined while already joined" });
      return;
    }
    this.participantId_ = str(body, "participant_id") ?? "";
    this.role_ = str(body, "role") ?? "participant";
    const meeting = obj(body, "meeting");
    this.takeJoined(body);
    if (body["external_sender"] !== undefined) {
      const sender = payload(body, "external_sender");
      const decoded = sender.ok ? decodeExternalSender(sender.value) : sender;
      if (sender.ok && decoded.ok) this.serverSender = sender.value;
      else this.emit({ event: "error", code: "invalid_message", message: "joined: external_sender does not decode" });
    }
    this.emit({
      event: "joined",
      participant_id: this.participantId_,
      role: this.role_,
      meeting_id: (meeting && str(meeting, "meeting_id")) ?? this.config.meetingId,
      resumed: bool(body, "resumed"),
    });
    this.phase_ = this.group ? "member" : "joined";
    const hasGroup = obj(body, "group") !== undefined;
    if (this.role_ === "host" && !hasGroup && this.serverSender !== undefined && !this.pendingGroup) {
      await this.createGroup();
    } else if (!this.pendingGroup) {
      this.uploadKeyPackage();
    }
    if (this.role_ === "host" && this.config.admitAll) {
      for (const p of arr(body, "lobby") ?? []) {
        const id = typeof p === "object" && p !== null ? str(p as JsonObject, "participant_id") : undefined;
        if (id !== undefined) this.send("admit", { participant_id: id });
      }
    }
  }

  /**
   * What every `joined` carries: the resume token, the lock, and who is here
   * (the lists replace what we knew: after a resume, people left meanwhile).
   */
  private takeJoined(body: JsonObject): void {
    this.resumeToken = str(body, "resume_token") ?? this.resumeToken;
    const meeting = obj(body, "meeting");
    if (meeting !== undefined) this.locked_ = bool(meeting, "locked");
    const fill = (map: Map<string, Participant>, list: string): void => {
      map.clear();
      for (const v of arr(body, list) ?? []) {
        const p = participantOf(v);
        if (p) map.set(p.participantId, p);
      }
    };
    fill(this.participants_, "participants");
    fill(this.lobby_, "lobby");
    this.participants_.set(this.participantId_, { participantId: this.participantId_, displayName: this.config.displayName, role: this.role_ });
    this.peopleChanged();
  }

  /** `joined` with resumed: true after a reconnect: the same seat; catch up on the group. */
  private onResumed(m: ServerMessage): void {
    this.reconnecting = false;
    this.reconnects = 0;
    this.takeJoined(m.body);
    this.emit({ event: "joined", participant_id: this.participantId_, role: this.role_, meeting_id: this.config.meetingId, resumed: true });
    const group = this.group;
    if (group !== undefined) {
      this.catchUpFrom = group.epoch;
      this.send("catch_up", { epoch: Number(group.epoch) });
    }
  }

  /** The first host: a new group with the meeting's initial extensions, announced by group_info. */
  private async createGroup(): Promise<void> {
    const groupId = new Uint8Array(16);
    crypto.getRandomValues(groupId);
    const extensions = initialExtensions(this.keys.signaturePublicKey, this.serverSender!);
    const group = await MeetingGroup.create(this.keys, this.impl, groupId, extensions);
    const info = group.ok ? await group.value.groupInfo() : group;
    if (!info.ok || !group.ok) {
      this.emit({ event: "error", code: "group_create", message: info.ok ? "the group was not created" : info.error });
      this.uploadKeyPackage();
      return;
    }
    this.groupInfoId = this.send("group_info", { group_info: toBase64url(info.value) });
    this.pendingGroup = group.value;
  }

  private onLobby(body: JsonObject): void {
    this.participantId_ = str(body, "participant_id") ?? "";
    this.phase_ = "lobby";
    this.emit({ event: "lobby", participant_id: this.participantId_, meeting_id: this.config.meetingId });
    this.uploadKeyPackage();
  }

  private uploadKeyPackage(): void {
    if (this.keyPackageSent || this.group) return;
    this.keyPackageId = this.send("key_package", { key_package: toBase64url(this.keys.encodedKeyPackage()) });
    this.keyPackageSent = true;
  }

  private onError(m: ServerMessage): void {
    const id = m.inReplyTo;
    const code = str(m.body, "code") ?? "unknown";
    const message = str(m.body, "message") ?? "";
    const event: EventBody = id === undefined ? { event: "error", code, message } : { event: "error", code, message, in_reply_to: id };
    if (id !== undefined && id === this.helloId) {
      this.emit(event);
      this.end("failed", code);
      return;
    }
    if (id !== undefined && id === this.keyPackageId && code === "invalid_field") {
      this.emit(event);
      this.end("failed", "key_package refused");
      return;
    }
    if (id !== undefined && id === this.groupInfoId && this.pendingGroup) {
      // Another host was faster (or the server refused our group): be added
      // like everyone else.
      this.pendingGroup = undefined;
      this.emit(event);
      this.uploadKeyPackage();
      return;
    }
    if (this.pending && id === this.pending.requestId) {
      const adds = this.pending.adds;
      this.dropPending();
      if (code === "stale_commit") {
        // Lost the race: the winner comes as `commit`; should it not, retry.
        this.retryLater();
        return;
      }
      this.emit(event);
      this.countAttempts(adds);
      this.retryLater();
      return;
    }
    if (code === "stale_commit") return; // about a commit we already dropped
    this.emit(event);
  }

  private onParticipantWaiting(body: JsonObject): void {
    const p = obj(body, "participant");
    const id = p && str(p, "participant_id");
    if (p === undefined || id === undefined) return;
    const waiting = participantOf(p);
    if (waiting) {
      this.lobby_.set(id, waiting);
      this.peopleChanged();
    }
    this.emit({ event: "waiting", participant_id: id, display_name: str(p, "display_name") ?? "" });
    if (this.role_ === "host" && this.config.admitAll) this.send("admit", { participant_id: id });
  }

  // -------------------------------------------------------- MLS inputs

  private async onWelcome(body: JsonObject): Promise<void> {
    if (this.group) {
      this.reject("welcome", "already a member");
      return;
    }
    const bytes = payload(body, "welcome");
    if (!bytes.ok) return this.reject("welcome", bytes.error);
    const message = decodeMlsMessageAs(bytes.value, "mls_welcome");
    if (!message.ok) return this.reject("welcome", message.error);
    const group = await MeetingGroup.join(message.value.welcome, this.keys, this.impl);
    if (!group.ok) return this.reject("welcome", group.error);
    // CV-POLICY-007: a meeting's group carries its policy.
    const policy = policyOf(group.value.extensions);
    if (!policy.ok) return this.reject("welcome", policy.error, "CV-POLICY-007");
    await this.adopt(group.value);
  }

  private async onCommit(body: JsonObject): Promise<void> {
    if (!this.group) return; // not a member yet: the Welcome brings us in
    const bytes = payload(body, "commit");
    if (!bytes.ok) return this.reject("commit", bytes.error);
    if (this.pending && bytesEqual(bytes.value, this.pending.commit)) {
      const next = this.pending.next;
      this.dropPending();
      await this.adopt(next);
      return;
    }
    const message = decodeMlsMessageAs(bytes.value, "mls_public_message");
    if (!message.ok) return this.reject("commit", message.error);
    const pm = message.value.publicMessage;
    if (pm.content.contentType !== "commit") return this.reject("commit", "not a commit");
    const current = this.group.epoch;
    if (pm.content.epoch < current) return this.reject("commit", "a commit of an ended epoch");
    if (pm.content.epoch > current) {
      this.reject("commit", "a commit of a future epoch");
      if (this.catchUpFrom !== current) {
        this.catchUpFrom = current;
        this.send("catch_up", { epoch: Number(current) });
      }
      return;
    }
    const sender = pm.content.sender;
    if (sender.senderType === "member" && sender.leafIndex === this.group.ownLeaf) {
      return this.reject("commit", "a commit in our name that we did not make");
    }
    const extensions = this.group.extensions;
    const outcome = await this.group.processCommit(pm, (committer, key, proposals) =>
      checkCommit(extensions, committer, key, proposals),
    );
    switch (outcome.kind) {
      case "rejected":
        this.reject("commit", outcome.reason, outcome.rule);
        return;
      case "removed":
        this.end("removed");
        return;
      case "applied":
        // Whatever we had pending was for the epoch that just ended.
        this.dropPending();
        await this.adopt(outcome.group);
        return;
    }
  }

  private async onProposal(body: JsonObject): Promise<void> {
    if (!this.group) return;
    const bytes = payload(body, "proposal");
    if (!bytes.ok) return this.reject("proposal", bytes.error);
    const message = decodeMlsMessageAs(bytes.value, "mls_public_message");
    if (!message.ok) return this.reject("proposal", message.error);
    const pm = message.value.publicMessage;
    if (pm.content.contentType !== "proposal") return this.reject("proposal", "not a proposal");
    const current = this.group.epoch;
    if (pm.content.epoch !== current) {
      return this.reject("proposal", pm.content.epoch < current ? "a proposal of an ended epoch" : "a proposal of a future epoch");
    }
    // Checked before storing: a stored proposal would ride along in our next commit.
    const s = pm.content.sender;
    const sender =
      s.senderType === "member"
        ? ({ kind: "member", leaf: s.leafIndex } as const)
        : s.senderType === "external"
          ? ({ kind: "external", index: s.senderIndex } as const)
          : ({ kind: "new_member" } as const);
    const bad = checkProposal(pm.content.proposal, sender);
    if (bad !== undefined) return this.reject("proposal", bad.reason, bad.rule);
    const stored = await this.group.storeProposal(pm);
    if (!stored.ok) return this.reject("proposal", stored.error);
    this.group = stored.value;
    if (this.proposalsTimer === undefined) {
      const delay = this.config.commitDelayMs ? this.config.commitDelayMs() : randomCommitDelay();
      this.proposalsTimer = setTimeout(() => {
        this.proposalsTimer = undefined;
        this.proposalsDue = true;
        void this.enqueue(async () => this.maybeCommit());
      }, delay);
    }
  }

  private async onApplication(body: JsonObject): Promise<void> {
    if (!this.group) return;
    const bytes = payload(body, "message");
    if (!bytes.ok) return this.reject("application", bytes.error);
    const message = decodeMlsMessageAs(bytes.value, "mls_private_message");
    if (!message.ok) return this.reject("application", message.error);
    const opened = await this.group.unprotect(message.value.privateMessage);
    if (!opened.ok) return this.reject("application", opened.error);
    this.group = opened.value.next;
    const text = decodeChat(opened.value.data);
    if (!text.ok) return this.reject("application", text.error);
    this.emit({
      event: "chat",
      from: this.group.member(opened.value.sender)?.name ?? "",
      participant_id: str(body, "sender") ?? "",
      leaf: opened.value.sender,
      text: text.value,
      epoch: Number(this.group.epoch),
    });
  }

  // ------------------------------------------------------------ epochs

  private async adopt(group: MeetingGroup): Promise<void> {
    const before = this.group?.members() ?? [];
    this.group = group;
    this.phase_ = "member";
    this.clearTimer("proposals"); // the store is empty in a new epoch
    this.clearTimer("retry");
    this.proposalsDue = false;
    this.catchUpFrom = undefined;
    const members = group.members();
    this.addRequests = this.addRequests.filter(
      (r) => !members.some((m) => bytesEqual(m.signatureKey, r.keyPackage.leafNode.signaturePublicKey)),
    );
    const epoch = Number(group.epoch);
    const code = securityCode(group.epochAuthenticator);
    const policy = policyOf(group.extensions);
    const locked = policy.ok && policy.value.locked === 1; // the group's lock: no member commits an Add
    if (this.epochListeners.length > 0) {
      const key = await group.exporter(kSframeExporterLabel, new Uint8Array(0), kSframeBaseKeyLength);
      const removed = before.some((b) => !members.some((m) => bytesEqual(m.signatureKey, b.signatureKey)));
      for (const listener of this.epochListeners) listener(group.epoch, group.ownLeaf, key, removed);
    }
    if (this.config.revealSecrets) {
      const key = await group.exporter(kSframeExporterLabel, new Uint8Array(0), kSframeBaseKeyLength);
      const wide = await group.exporter(kSframeExporterLabel, new Uint8Array(0), 32);
      this.emit({
        event: "epoch",
        epoch,
        security_code: code,
        locked,
        epoch_authenticator: toHex(group.epochAuthenticator),
        sframe_base_key: toHex(key),
        exporter_secret: toHex(wide),
      });
    } else {
      this.emit({ event: "epoch", epoch, security_code: code, locked });
    }
    this.emit({ event: "roster", epoch, members: this.roster() });
  }

  // ----------------------------------------------------------- commits

  private async onAddRequest(body: JsonObject): Promise<void> {
    const group = this.group;
    if (group === undefined) return;
    const policy = policyOf(group.extensions);
    if (!policy.ok || !isHost(policy.value, this.keys.signaturePublicKey)) {
      return this.reject("add_request", "not a host of the group");
    }
    const participant = obj(body, "participant");
    const id = participant && str(participant, "participant_id");
    const name = participant && str(participant, "display_name");
    if (participant === undefined || id === undefined || name === undefined) return this.reject("add_request", "no participant");
    const bytes = payload(body, "key_package");
    if (!bytes.ok) return this.reject("add_request", bytes.error);
    const message = decodeMlsMessageAs(bytes.value, "mls_key_package");
    if (!message.ok) return this.reject("add_request", message.error);
    const kp = message.value.keyPackage;
    // The roster shows credential names: the joiner must be who the server announced.
    const credential = kp.leafNode.credential;
    const identity = credential.credentialType === "basic" ? fromUtf8(credential.identity) : undefined;
    if (identity === undefined || !identity.ok || identity.value !== name) {
      return this.reject("add_request", "the KeyPackage's credential is not the announced name");
    }
    const key = kp.leafNode.signaturePublicKey;
    if (this.addRequests.some((r) => bytesEqual(r.keyPackage.leafNode.signaturePublicKey, key))) return;
    if (group.members().some((m) => bytesEqual(m.signatureKey, key))) return;
    // A host joiner is named in the policy by the commit that adds it.
    const host = str(participant, "role") === "host";
    // Each KeyPackage is tried alone first: ts-mls 1.6.4 validates the Adds of
    // one commit in a chain of promises of which only the last is awaited, so
    // two invalid KeyPackages in one commit leave an unhandled rejection
    // (which ends a Node process). Alone, an invalid one fails cleanly here.
    const trial = await group.commit([kp], false);
    if (!trial.ok) return this.reject("add_request", trial.error);
    this.addRequests.push({ participantId: id, name, host, keyPackage: kp, attempts: 0 });
  }

  private retryLater(): void {
    this.clearTimer("retry");
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.enqueue(async () => this.maybeCommit());
    }, kRetryBackoffMs);
  }

  private countAttempts(adds: Uint8Array[]): void {
    for (const r of this.addRequests) {
      if (adds.some((k) => bytesEqual(k, r.keyPackage.leafNode.signaturePublicKey))) r.attempts++;
    }
  }

  /**
   * Commits what is due when nothing is pending: the Adds of queued requests
   * (hosts, group not locked; a host joiner is named in the policy), the
   * lock (hosts, after meeting_updated) and the stored proposals (the
   * server's Removes) once their delay passed, never a Remove of ourselves.
   * A changed policy goes in one GroupContextExtensions proposal.
   */
  private async maybeCommit(): Promise<void> {
    const group = this.group;
    if (this.phase_ !== "member" || group === undefined || this.pending || this.leaveId !== "" || this.retryTimer) return;
    const policy = policyOf(group.extensions);
    if (!policy.ok) return;
    const host = isHost(policy.value, this.keys.signaturePublicKey);
    this.addRequests = this.addRequests.filter((r) => {
      if (r.attempts < kMaxAddAttempts) return true;
      this.emit({ event: "error", code: "add_failed", message: `could not add ${r.name} (${r.participantId})` });
      return false;
    });
    const adding = host && policy.value.locked === 0 ? this.addRequests : [];
    const adds = adding.map((r) => r.keyPackage);
    const next: MeetingPolicy = { hosts: [...policy.value.hosts], locked: policy.value.locked };
    for (const r of adding) {
      const key = r.keyPackage.leafNode.signaturePublicKey;
      if (r.host && !isHost(next, key)) next.hosts.push(key);
    }
    if (host && this.desiredLocked !== undefined) next.locked = this.desiredLocked ? 1 : 0;
    const policyChanged = next.hosts.length !== policy.value.hosts.length || next.locked !== policy.value.locked;
    const extensions = policyChanged ? withMeetingPolicy(group.extensions, next) : undefined;
    const stored = group.hasStoredProposals && !group.storedRemoves(group.ownLeaf);
    const withStored = stored && (this.proposalsDue || adds.length > 0 || policyChanged);
    if (adds.length === 0 && !policyChanged && !withStored) {
      this.proposalsDue = false;
      return;
    }
    // Our own commit must pass the checks every member runs.
    const self = { kind: "member", leaf: group.ownLeaf } as const;
    const proposals: ResolvedProposal[] = adds.map((keyPackage) => ({ proposal: { proposalType: "add", add: { keyPackage } }, sender: self }));
    if (extensions !== undefined) {
      proposals.push({ proposal: { proposalType: "group_context_extensions", groupContextExtensions: { extensions } }, sender: self });
    }
    if (withStored) proposals.push(...group.storedProposals());
    const bad = checkCommit(group.extensions, self, this.keys.signaturePublicKey, proposals);
    if (bad !== undefined) {
      this.emit({ event: "error", code: "commit_refused", message: bad.reason });
      for (const r of this.addRequests) r.attempts = kMaxAddAttempts;
      this.proposalsDue = false;
      this.desiredLocked = undefined;
      return;
    }
    const result = await group.commit(adds, withStored, extensions);
    if (!result.ok) {
      this.emit({ event: "error", code: "commit_failed", message: result.error });
      for (const r of this.addRequests) r.attempts++;
      this.proposalsDue = false;
      this.retryLater();
      return;
    }
    const fields: JsonObject = { commit: toBase64url(result.value.commit) };
    if (result.value.welcome !== undefined) fields["welcome"] = toBase64url(result.value.welcome);
    const requestId = this.send("commit", fields);
    const timer = setTimeout(() => {
      void this.enqueue(async () => {
        if (this.pending?.requestId !== requestId) return;
        this.countAttempts(this.pending.adds);
        this.dropPending();
        this.emit({ event: "error", code: "commit_timeout", message: "the server did not answer our commit" });
        await this.maybeCommit();
      });
    }, this.config.commitTimeoutMs ?? 10_000);
    const addKeys = adds.map((kp) => kp.leafNode.signaturePublicKey);
    this.pending = { requestId, commit: result.value.commit, next: result.value.next, timer, adds: addKeys };
  }
}
