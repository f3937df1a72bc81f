// The page's side of the SFrame worker (sframe_worker.ts): picks the
// encoded-transform API, attaches the worker to every sender and receiver,
// hands it each epoch's base key, and reads its counters.
//
//   RTCRtpScriptTransform (preferred)  sender.transform = new RTCRtpScriptTransform(worker, {side, kind})
//   createEncodedStreams (fallback)    needs `encodedInsertableStreams: true` on the
//                                      RTCPeerConnection; the streams go to the worker
//   neither                            SframeTransforms.create refuses: no media without SFrame

import { err, ok, type Result } from "../util/result.js";
import type { Kind, Side, WorkerStats } from "./sframe_worker.js";

export type TransformApi = "script" | "streams";

interface ScriptTransformCtor {
  new (worker: Worker, options: unknown): unknown;
}
interface EncodedStreams {
  readable: ReadableStream;
  writable: WritableStream;
}
type WithTransform = { transform: unknown; createEncodedStreams?: () => EncodedStreams };

/** Which encoded-transform API this browser has, if any. */
export function detectTransformApi(prefer?: TransformApi): TransformApi | undefined {
  const g = globalThis as unknown as { RTCRtpScriptTransform?: unknown; RTCRtpSender?: { prototype: object } };
  const script = typeof g.RTCRtpScriptTransform === "function";
  const streams = g.RTCRtpSender !== undefined && typeof (g.RTCRtpSender.prototype as { createEncodedStreams?: unknown }).createEncodedStreams === "function";
  if (prefer === "streams" && streams) return "streams";
  if (prefer === "script" && script) return "script";
  if (script) return "script";
  if (streams) return "streams";
  return undefined;
}

export class SframeTransforms {
  private nextStatsId = 1;
  private readonly waiting = new Map<number, (s: WorkerStats) => void>();

  private constructor(
    readonly worker: Worker,
    readonly api: TransformApi,
  ) {
    worker.addEventListener("message", (e: MessageEvent) => {
      const m = e.data as { type?: string; id?: number; stats?: WorkerStats };
      if (m?.type === "stats" && typeof m.id === "number" && m.stats) {
        this.waiting.get(m.id)?.(m.stats);
        this.waiting.delete(m.id);
      }
    });
  }

  /** Starts the worker (a module script at workerUrl); an error when the browser has no encoded transforms. */
  static create(workerUrl: string | URL, prefer?: TransformApi): Result<SframeTransforms> {
    const api = detectTransformApi(prefer);
    if (api === undefined) return err("media: this browser has neither RTCRtpScriptTransform nor createEncodedStreams; media needs SFrame, so it stays off");
    return ok(new SframeTransforms(new Worker(workerUrl, { type: "module" }), api));
  }

  /** The RTCPeerConnection options the chosen API needs. */
  peerConnectionConfig(): RTCConfiguration {
    const base: RTCConfiguration = { bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" };
    return this.api === "streams" ? ({ ...base, encodedInsertableStreams: true } as RTCConfiguration) : base;
  }

  attach(target: RTCRtpSender | RTCRtpReceiver, side: Side, kind: Kind): void {
    const t = target as unknown as WithTransform;
    if (this.api === "script") {
      const Ctor = (globalThis as unknown as { RTCRtpScriptTransform: ScriptTransformCtor }).RTCRtpScriptTransform;
      t.transform = new Ctor(this.worker, { side, kind });
    } else if (t.createEncodedStreams) {
      const { readable, writable } = t.createEncodedStreams();
      this.worker.postMessage({ type: "streams", side, kind, readable, writable }, [readable as unknown as Transferable, writable as unknown as Transferable]);
    }
  }

  /** A new epoch's key; the worker keeps sealing in the previous epoch for `switchDelayMs`. */
  setKey(epoch: bigint, key: Uint8Array, ownLeaf: number, switchDelayMs = 0): void {
    this.worker.postMessage({ type: "key", epoch: epoch.toString(), key, leaf: ownLeaf, switchDelayMs });
  }

  clearKeys(): void {
    this.worker.postMessage({ type: "clear" });
  }

  stats(): Promise<WorkerStats> {
    const id = this.nextStatsId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ type: "stats", id });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
