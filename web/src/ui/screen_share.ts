// ScreenShare: the meeting page's "Share screen". getDisplayMedia() gives a
// video track, which goes out on the participant's existing video sender
// (MeetingMedia.replaceVideoTrack: one video track per participant in the
// protocol, no renegotiation, the same SFrame transform). Stopping, with the
// page's button or the browser's own "Stop sharing" (the track ends), puts
// the camera track back. A camera that is off stays a disabled track, and a
// page without a camera sends black frames (BlackVideo): either way black
// replaces the screen at the receivers, where sending nothing would freeze
// the last shared frame on their screens.
//
// Every failure comes back as a sentence for the page's banner, never as an
// exception: a browser without getDisplayMedia, a refused or cancelled
// picker, a sender that cannot take the track.
//
// The browser objects are reached through small interfaces so that the
// unit tests (Node) can drive the class with fakes.

import { err, ok, type Result } from "../util/result.js";

/** The part of a MediaStreamTrack used here. */
export interface ShareTrack {
  readonly kind: string;
  readonly readyState: string;
  contentHint: string;
  stop(): void;
  addEventListener(type: "ended", listener: () => void): void;
  removeEventListener(type: "ended", listener: () => void): void;
}

/** The part of a MediaStream used here. */
export interface ShareStream<T extends ShareTrack> {
  getVideoTracks(): T[];
  getTracks(): T[];
}

/** What the picker is asked for (Screen Capture spec; browsers ignore the options they do not know). */
export interface ShareOptions {
  video: { width: { max: number }; height: { max: number }; frameRate: { max: number } };
  audio: false;
  /** Not this tab: sharing the meeting page itself only shows a hall of mirrors. */
  selfBrowserSurface: "exclude";
  /** Chromium's "share this tab instead" keeps the same track, so the sender needs nothing new. */
  surfaceSwitching: "include";
}

/**
 * At most 1080p at 30 frames per second: readable text on a big screen,
 * without a 4K capture the encoder and the receivers would have to scale.
 */
export const kShareOptions: ShareOptions = {
  video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { max: 30 } },
  audio: false,
  selfBrowserSurface: "exclude",
  surfaceSwitching: "include",
};

/** navigator.mediaDevices, as far as sharing goes (getDisplayMedia may be missing). */
export interface DisplayCapture<T extends ShareTrack, S extends ShareStream<T>> {
  getDisplayMedia?: (options: ShareOptions) => Promise<S>;
}

/** Where the video goes: MeetingMedia. */
export interface VideoTarget<T extends ShareTrack> {
  readonly canReplaceVideo: boolean;
  replaceVideoTrack(track: T | null): Promise<Result<void>>;
}

export interface ScreenShareConfig<T extends ShareTrack, S extends ShareStream<T>> {
  devices: () => DisplayCapture<T, S> | undefined;
  /** The media once it runs; undefined before (or without encoded transforms). */
  target: () => VideoTarget<T> | undefined;
  /** The camera's track, to put back when sharing stops (null: none). */
  camera: () => T | null;
  /** The screen's stream while sharing, undefined when it stops. */
  onChange: (screen: S | undefined) => void;
  /** A failure outside a button press (the browser ended the share and the camera could not come back). */
  onError: (text: string) => void;
}

/** The sentence for a getDisplayMedia rejection (DOMException names of the Screen Capture spec). */
export function shareErrorText(e: unknown): string {
  const name = e instanceof Error || (typeof e === "object" && e !== null && "name" in e) ? String((e as { name: unknown }).name) : "";
  switch (name) {
    case "NotAllowedError":
      return "Screen sharing was cancelled or not allowed by the browser.";
    case "NotFoundError":
      return "There is no screen or window to share.";
    case "NotReadableError":
    case "AbortError":
      return "The screen could not be captured (the system refused it).";
    case "NotSupportedError":
    case "InvalidStateError":
      return "This page cannot share the screen now (the browser refused the request).";
    default: {
      const message = e instanceof Error ? e.message : String(e);
      return `Screen sharing failed: ${name !== "" ? `${name}: ` : ""}${message}`;
    }
  }
}

export class ScreenShare<T extends ShareTrack, S extends ShareStream<T>> {
  private screen: S | undefined;
  private screenTrack: T | undefined;
  private busy = false;
  private readonly onEnded = (): void => {
    // The browser's own "Stop sharing" (or the shared window closed).
    void this.stop().then((r) => {
      if (!r.ok) this.config.onError(r.error);
    });
  };

  constructor(private readonly config: ScreenShareConfig<T, S>) {}

  get sharing(): boolean {
    return this.screen !== undefined;
  }

  /** Asks the browser for a screen and sends it instead of the camera. */
  async start(): Promise<Result<void>> {
    if (this.busy || this.screen !== undefined) return ok(undefined);
    const target = this.config.target();
    if (target === undefined) return err("Screen sharing needs the encrypted video connection, which is not running.");
    if (!target.canReplaceVideo) {
      return err("Screen sharing needs a video sender, and this page publishes no video (its browser cannot capture a canvas either).");
    }
    const devices = this.config.devices();
    const capture = devices?.getDisplayMedia;
    if (devices === undefined || typeof capture !== "function") {
      return err("This browser cannot share the screen (it has no getDisplayMedia).");
    }
    this.busy = true;
    try {
      let stream: S;
      try {
        stream = await capture.call(devices, kShareOptions);
      } catch (e) {
        return err(shareErrorText(e));
      }
      const track = stream.getVideoTracks()[0];
      if (track === undefined) {
        for (const t of stream.getTracks()) t.stop();
        return err("The browser gave no video for the shared screen.");
      }
      // "detail": the encoder keeps the resolution and drops the frame rate
      // when bandwidth is short, so text stays readable.
      track.contentHint = "detail";
      const replaced = await target.replaceVideoTrack(track);
      if (!replaced.ok) {
        for (const t of stream.getTracks()) t.stop();
        return err(`Screen sharing could not start: ${replaced.error}`);
      }
      this.screen = stream;
      this.screenTrack = track;
      track.addEventListener("ended", this.onEnded);
      this.config.onChange(stream);
      // Ended while the sender switched: the listener came too late for it.
      if (track.readyState === "ended") queueMicrotask(this.onEnded);
      return ok(undefined);
    } finally {
      this.busy = false;
    }
  }

  /** Puts the camera back and stops the capture. */
  async stop(): Promise<Result<void>> {
    const stream = this.screen;
    if (stream === undefined) return ok(undefined);
    this.screen = undefined;
    this.screenTrack?.removeEventListener("ended", this.onEnded);
    this.screenTrack = undefined;
    const target = this.config.target();
    // The camera goes back on the sender before the capture stops, so no
    // frame of an ended track is ever waited for.
    const replaced = target !== undefined ? await target.replaceVideoTrack(this.config.camera()) : ok(undefined);
    for (const t of stream.getTracks()) t.stop();
    this.config.onChange(undefined);
    if (!replaced.ok) return err(`The camera could not come back after sharing: ${replaced.error}`);
    return ok(undefined);
  }

  /** Stops the capture without touching the sender (the meeting ended). */
  dispose(): void {
    const stream = this.screen;
    this.screen = undefined;
    this.screenTrack?.removeEventListener("ended", this.onEnded);
    this.screenTrack = undefined;
    for (const t of stream?.getTracks() ?? []) t.stop();
  }
}
