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

import { kContextAudio, kContextVideo, kUnknownEpoch, MlsSframe } from "./sframe.js";

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
  lastError: "",
  epoch: "",
};

function transformFor(side: Side, kind: Kind): TransformStream<EncodedFrame, EncodedFrame> {
  const context = kind === "audio" ? kContextAudio : kContextVideo;
  return new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, controller) {
      const data = new Uint8Array(frame.data);
      if (side === "send") {
        if (leaf === undefined || keys.currentEpoch === undefined) {
          stats.droppedNoKey[kind] += 1;
          return;
        }
        const sealed = await keys.protect(leaf, context, data);
        if (!sealed.ok) {
          stats.droppedNoKey[kind] += 1;
          stats.lastError = sealed.error;
          return;
        }
        frame.data = sealed.value.buffer as ArrayBuffer;
        stats.sealed[kind] += 1;
        controller.enqueue(frame);
      } else {
        const opened = await keys.unprotect(data);
        if (!opened.ok) {
          if (keys.currentEpoch === undefined) stats.droppedNoKey[kind] += 1;
          else if (opened.error === kUnknownEpoch) stats.unknownEpoch[kind] += 1;
          else stats.openFailures[kind] += 1;
          stats.lastError = opened.error;
          return;
        }
        frame.data = opened.value.plaintext.buffer as ArrayBuffer;
        stats.opened[kind] += 1;
        controller.enqueue(frame);
      }
    },
  });
}

function pipe(side: Side, kind: Kind, readable: ReadableStream, writable: WritableStream): void {
  readable
    .pipeThrough(transformFor(side, kind))
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

interface WorkerScope {
  onrtctransform: ((e: { transformer: { readable: ReadableStream; writable: WritableStream; options: unknown } }) => void) | null;
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
  pipe(o.side, o.kind, e.transformer.readable, e.transformer.writable);
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
