// The SFrame encoded-transform worker: every encoded audio and video frame
// of the browser member passes through here, sealed on the way out and
// opened on the way in, with sframe.ts's MlsSframe (the native client's key
// layout). Two ways in:
//
//   RTCRtpScriptTransform   the page sets `sender.transform = new
//                           RTCRtpScriptTransform(worker, {side, kind})`;
//                           the worker gets an `rtctransform` event.
//   createEncodedStreams    (fallback) the page transfers the readable and
//                           writable of each sender/receiver in a
//                           {type: "streams", side, kind, readable, writable}
//                           message.
//
// Messages from the page:
//   {type: "key", epoch: string, key: Uint8Array, leaf: number, switchDelayMs?: number}
//       a new epoch's base key and our leaf in it; we keep sealing in the
//       previous epoch for switchDelayMs (MlsSframe.delaySendSwitch);
//       {type: "clear"} withdraws every key
//   {type: "stats", id}   answered with {type: "stats", id, stats}
//
// No key, no media: a frame to send without a current key is dropped, a
// received frame that does not open is dropped. There is no plaintext path.
//
// Epoch changes on the receiving side: a frame of an epoch ahead of ours (a
// commit we have not applied yet) is held, with every later frame of its
// stream, until the key arrives (at most kHoldMs and kHoldFrames), then
// opened in order; senders keep the previous epoch 500 ms after a join, but
// switch at once after a removal, so this is what keeps a leave seamless.
// When a video frame is dropped anyway, the decoder would wait for the next
// key frame (Chromium asks for one only after many seconds): we ask the
// sender at once with sendKeyFrameRequest() (script transform only).

import { kContextAudio, kContextVideo, kFutureEpoch, kUnknownEpoch, MlsSframe } from "./sframe.js";

const kHoldMs = 1000;
const kHoldFrames = 64;
const kKeyFrameRequestIntervalMs = 500;

export type Side = "send" | "recv";
export type Kind = "audio" | "video";

export interface WorkerStats {
  sealed: Record<Kind, number>;
  opened: Record<Kind, number>;
  droppedNoKey: Record<Kind, number>;
  /** Received frames of an epoch we hold no key for (sent before we joined, or a commit we have not applied yet). */
  unknownEpoch: Record<Kind, number>;
  /** Received frames that did not open under a key we hold: someone uses a key we do not share. */
  openFailures: Record<Kind, number>;
  /** Received frames of a future epoch, held until its key arrived, then opened. */
  heldThenOpened: Record<Kind, number>;
  /** Received empty frames (nothing to open), dropped. */
  empty: Record<Kind, number>;
  /** Key frames asked for (video receivers, after a dropped frame). */
  keyFrameRequests: number;
  lastError: string;
  epoch: string;
}

interface EncodedFrame {
  data: ArrayBuffer;
}

const keys = new MlsSframe();
let leaf: bigint | undefined;
const stats: WorkerStats = {
  sealed: { audio: 0, video: 0 },
  opened: { audio: 0, video: 0 },
  droppedNoKey: { audio: 0, video: 0 },
  unknownEpoch: { audio: 0, video: 0 },
  openFailures: { audio: 0, video: 0 },
  heldThenOpened: { audio: 0, video: 0 },
  empty: { audio: 0, video: 0 },
  keyFrameRequests: 0,
  lastError: "",
  epoch: "",
};

/** One receiving stream: frames held for a future epoch's key, in arrival order. */
class Receiver {
  private held: Array<{ frame: EncodedFrame; data: Uint8Array; at: number }> = [];
  private chain: Promise<void> = Promise.resolve();
  private opened = false;
  private lastKeyFrameRequest = -Infinity;
  controller: TransformStreamDefaultController<EncodedFrame> | undefined;

  constructor(
    private readonly kind: Kind,
    private readonly requestKeyFrame: (() => Promise<unknown>) | undefined,
  ) {}

  get holding(): boolean {
    return this.held.length > 0;
  }

  /** Runs `work` after everything queued before it: frames leave in order. */
  serialize(work: () => Promise<void>): Promise<void> {
    // Never rejects: a rejected transform() would error the whole stream.
    this.chain = this.chain.then(work).catch((e: unknown) => {
      stats.lastError = `receive ${this.kind}: ${String(e)}`;
    });
    return this.chain;
  }

  async receive(frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>): Promise<void> {
    this.controller = controller;
    const data = new Uint8Array(frame.data);
    if (data.length === 0) {
      stats.empty[this.kind] += 1;
      return;
    }
    if (this.held.length > 0) {
      // Behind a held frame: frames leave in order.
      this.held.push({ frame, data, at: Date.now() });
      while (this.held.length > kHoldFrames) {
        this.held.shift(); // its key did not come in time
        this.drop(kFutureEpoch);
      }
      return this.release();
    }
    const opened = await keys.unprotect(data);
    if (opened.ok) this.pass(frame, opened.value.plaintext, false);
    else if (opened.error === kFutureEpoch) this.held.push({ frame, data, at: Date.now() });
    else this.drop(opened.error);
  }

  /** Opens what is held, in order, until a frame still waits for its key (at most kHoldMs). */
  async release(): Promise<void> {
    const now = Date.now();
    while (this.held.length > 0) {
      const first = this.held[0]!;
      const opened = await keys.unprotect(first.data);
      if (!opened.ok && opened.error === kFutureEpoch && now - first.at < kHoldMs) return;
      this.held.shift();
      if (opened.ok) this.pass(first.frame, opened.value.plaintext, true);
      else this.drop(opened.error);
    }
  }

  private pass(frame: EncodedFrame, plaintext: Uint8Array, wasHeld: boolean): void {
    frame.data = plaintext.buffer as ArrayBuffer;
    stats.opened[this.kind] += 1;
    if (wasHeld) stats.heldThenOpened[this.kind] += 1;
    this.opened = true;
    this.controller?.enqueue(frame);
  }

  /** A received frame that does not reach the decoder, counted by why. */
  private drop(error: string): void {
    stats.lastError = error;
    if (keys.currentEpoch === undefined) stats.droppedNoKey[this.kind] += 1;
    else if (error === kUnknownEpoch || error === kFutureEpoch) stats.unknownEpoch[this.kind] += 1;
    else stats.openFailures[this.kind] += 1;
    this.askForKeyFrame();
  }

  /** The decoder lost a frame: ask the sender for a key frame (video, once we decoded, throttled). */
  private askForKeyFrame(): void {
    const now = Date.now();
    if (this.kind !== "video" || !this.opened || this.requestKeyFrame === undefined) return;
    if (now - this.lastKeyFrameRequest < kKeyFrameRequestIntervalMs) return;
    this.lastKeyFrameRequest = now;
    stats.keyFrameRequests += 1;
    this.requestKeyFrame().catch((e: unknown) => {
      stats.lastError = `sendKeyFrameRequest: ${String(e)}`;
    });
  }
}

const receivers = new Set<Receiver>();

/** A new key: frames held for it may open now; frames past kHoldMs are dropped. */
function releaseAll(): void {
  for (const r of receivers) if (r.holding) void r.serialize(() => r.release());
}
setInterval(releaseAll, 200);

function transformFor(side: Side, kind: Kind, requestKeyFrame?: () => Promise<unknown>): TransformStream<EncodedFrame, EncodedFrame> {
  const context = kind === "audio" ? kContextAudio : kContextVideo;
  if (side === "recv") {
    const receiver = new Receiver(kind, requestKeyFrame);
    receivers.add(receiver);
    return new TransformStream<EncodedFrame, EncodedFrame>({
      transform(frame, controller) {
        return receiver.serialize(() => receiver.receive(frame, controller));
      },
      flush() {
        receivers.delete(receiver);
      },
    });
  }
  return new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, controller) {
      if (leaf === undefined || keys.currentEpoch === undefined) {
        stats.droppedNoKey[kind] += 1;
        return;
      }
      const sealed = await keys.protect(leaf, context, new Uint8Array(frame.data));
      if (!sealed.ok) {
        stats.droppedNoKey[kind] += 1;
        stats.lastError = sealed.error;
        return;
      }
      frame.data = sealed.value.buffer as ArrayBuffer;
      stats.sealed[kind] += 1;
      controller.enqueue(frame);
    },
  });
}

function pipe(side: Side, kind: Kind, readable: ReadableStream, writable: WritableStream, requestKeyFrame?: () => Promise<unknown>): void {
  readable
    .pipeThrough(transformFor(side, kind, requestKeyFrame))
    .pipeTo(writable)
    .catch((e: unknown) => {
      stats.lastError = `pipe ${side} ${kind}: ${String(e)}`;
    });
}

function isSide(v: unknown): v is Side {
  return v === "send" || v === "recv";
}
function isKind(v: unknown): v is Kind {
  return v === "audio" || v === "video";
}

interface ScriptTransformer {
  readable: ReadableStream;
  writable: WritableStream;
  options: unknown;
  sendKeyFrameRequest?: () => Promise<void>;
}

interface WorkerScope {
  onrtctransform: ((e: { transformer: ScriptTransformer }) => void) | null;
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(m: unknown): void;
}
const scope = self as unknown as WorkerScope;

scope.onrtctransform = (e) => {
  const o = (e.transformer.options ?? {}) as { side?: unknown; kind?: unknown };
  if (!isSide(o.side) || !isKind(o.kind)) {
    stats.lastError = "rtctransform without side/kind";
    return; // the stream stays unread: nothing passes
  }
  const t = e.transformer;
  const requestKeyFrame = typeof t.sendKeyFrameRequest === "function" ? () => t.sendKeyFrameRequest!() : undefined;
  pipe(o.side, o.kind, t.readable, t.writable, requestKeyFrame);
};

scope.onmessage = (e: MessageEvent) => {
  const m = e.data as { type?: unknown; [k: string]: unknown };
  if (m === null || typeof m !== "object") return;
  if (m.type === "key" && typeof m["epoch"] === "string" && m["key"] instanceof Uint8Array && typeof m["leaf"] === "number") {
    if (keys.addEpoch(BigInt(m["epoch"]), m["key"])) {
      const delay = m["switchDelayMs"];
      if (typeof delay === "number" && delay > 0) keys.delaySendSwitch(delay);
      leaf = BigInt(m["leaf"]);
      stats.epoch = m["epoch"];
      releaseAll();
    }
  } else if (m.type === "clear") {
    keys.clear();
    leaf = undefined;
    stats.epoch = "";
  } else if (m.type === "streams" && isSide(m["side"]) && isKind(m["kind"]) && m["readable"] instanceof ReadableStream && m["writable"] instanceof WritableStream) {
    pipe(m["side"], m["kind"], m["readable"], m["writable"]);
  } else if (m.type === "stats") {
    scope.postMessage({ type: "stats", id: m["id"], stats });
  }
};
