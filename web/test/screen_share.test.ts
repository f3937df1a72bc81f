// ScreenShare (src/ui/screen_share.ts) with fake tracks, a fake
// getDisplayMedia and a fake video sender: what goes on the sender, which
// tracks are stopped, and the sentences for every failure. The real
// browser path (Chromium's capture, replaceTrack, a receiver seeing the new
// size) is system.web_share.

import assert from "node:assert/strict";
import { test } from "node:test";

import { kShareOptions, ScreenShare, shareErrorText, type ShareOptions, type VideoTarget } from "../src/ui/screen_share.js";
import { err, ok, type Result } from "../src/util/result.js";

class FakeTrack {
  readyState = "live";
  contentHint = "";
  private readonly listeners = new Set<() => void>();
  constructor(
    readonly kind: string,
    readonly name: string,
  ) {}
  stop(): void {
    this.readyState = "ended"; // like a real track: stop() fires no "ended"
  }
  /** What the browser does when the user presses its own "Stop sharing". */
  endByBrowser(): void {
    this.readyState = "ended";
    for (const l of [...this.listeners]) l();
  }
  addEventListener(_type: "ended", listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: "ended", listener: () => void): void {
    this.listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
}

class FakeStream {
  constructor(readonly tracks: FakeTrack[]) {}
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === "video");
  }
  getTracks(): FakeTrack[] {
    return this.tracks;
  }
}

class FakeSender implements VideoTarget<FakeTrack> {
  canReplaceVideo = true;
  current: FakeTrack | null;
  history: (string | null)[] = [];
  failNext: string | undefined;
  constructor(camera: FakeTrack | null) {
    this.current = camera;
  }
  replaceVideoTrack(track: FakeTrack | null): Promise<Result<void>> {
    if (this.failNext !== undefined) {
      const reason = this.failNext;
      this.failNext = undefined;
      return Promise.resolve(err(reason));
    }
    this.current = track;
    this.history.push(track?.name ?? null);
    return Promise.resolve(ok(undefined));
  }
}

function setup(options: { capture?: (o: ShareOptions) => Promise<FakeStream>; noDevices?: boolean; noTarget?: boolean; camera?: FakeTrack | null } = {}) {
  const camera = options.camera === undefined ? new FakeTrack("video", "camera") : options.camera;
  const sender = new FakeSender(camera);
  const screens: FakeStream[] = [];
  const changes: (FakeStream | undefined)[] = [];
  const errors: string[] = [];
  const asked: ShareOptions[] = [];
  const capture =
    options.capture ??
    ((o: ShareOptions) => {
      asked.push(o);
      const s = new FakeStream([new FakeTrack("video", `screen${screens.length + 1}`)]);
      screens.push(s);
      return Promise.resolve(s);
    });
  const share = new ScreenShare<FakeTrack, FakeStream>({
    devices: () => (options.noDevices ? undefined : { getDisplayMedia: capture }),
    target: () => (options.noTarget ? undefined : sender),
    camera: () => camera,
    onChange: (s) => changes.push(s),
    onError: (e) => errors.push(e),
  });
  return { share, sender, camera, screens, changes, errors, asked };
}

test("share: the screen goes on the sender with contentHint detail, stop puts the camera back", async () => {
  const { share, sender, screens, changes, asked } = setup();
  assert.equal((await share.start()).ok, true);
  // Video only, at most 1080p30, never the meeting's own tab.
  assert.deepEqual(asked, [kShareOptions]);
  assert.equal(asked[0]!.audio, false);
  assert.equal(asked[0]!.video.height.max, 1080);
  assert.equal(asked[0]!.selfBrowserSurface, "exclude");
  assert.equal(share.sharing, true);
  const screen = screens[0]!.tracks[0]!;
  assert.equal(sender.current, screen);
  assert.equal(screen.contentHint, "detail");
  assert.equal(changes.length, 1);
  assert.equal(changes[0], screens[0]);
  // A second start while sharing asks for nothing.
  assert.equal((await share.start()).ok, true);
  assert.equal(screens.length, 1);
  assert.equal((await share.stop()).ok, true);
  assert.equal(share.sharing, false);
  assert.deepEqual(sender.history, ["screen1", "camera"]);
  assert.equal(screen.readyState, "ended");
  assert.equal(screen.listenerCount, 0);
  assert.equal(changes[1], undefined);
  // Stopping again changes nothing.
  assert.equal((await share.stop()).ok, true);
  assert.deepEqual(sender.history, ["screen1", "camera"]);
});

test("share: the browser's own stop puts the camera back", async () => {
  const { share, sender, screens, changes, errors } = setup();
  await share.start();
  screens[0]!.tracks[0]!.endByBrowser();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(share.sharing, false);
  assert.deepEqual(sender.history, ["screen1", "camera"]);
  assert.equal(changes.at(-1), undefined);
  assert.deepEqual(errors, []);
  // Sharing again works, with a new capture.
  await share.start();
  assert.deepEqual(sender.history, ["screen1", "camera", "screen2"]);
});

test("share: a camera that is off goes back as it is (a disabled track, not nothing)", async () => {
  const camera = new FakeTrack("video", "camera");
  const { share, sender } = setup({ camera });
  await share.start();
  await share.stop();
  assert.equal(sender.current, camera);
});

test("share: refusals and missing pieces are sentences, nothing is sent", async () => {
  const refused = setup({ capture: () => Promise.reject(Object.assign(new Error("Permission denied"), { name: "NotAllowedError" })) });
  const r1 = await refused.share.start();
  assert.equal(r1.ok, false);
  if (!r1.ok) assert.match(r1.error, /cancelled or not allowed/);
  assert.equal(refused.share.sharing, false);
  assert.deepEqual(refused.sender.history, []);
  assert.deepEqual(refused.changes, []);

  const absent = setup({ noDevices: true });
  const r2 = await absent.share.start();
  assert.equal(r2.ok, false);
  if (!r2.ok) assert.match(r2.error, /cannot share the screen \(it has no getDisplayMedia\)/);

  const noMedia = setup({ noTarget: true });
  const r3 = await noMedia.share.start();
  assert.equal(r3.ok, false);
  if (!r3.ok) assert.match(r3.error, /encrypted video connection/);

  const noCamera = setup();
  noCamera.sender.canReplaceVideo = false;
  const r4 = await noCamera.share.start();
  assert.equal(r4.ok, false);
  if (!r4.ok) assert.match(r4.error, /publishes no video/);
  assert.equal(noCamera.screens.length, 0, "no capture is asked for when it cannot be sent");
});

test("share: a sender that refuses the track stops the capture", async () => {
  const { share, sender, screens, changes } = setup();
  sender.failNext = "publish: the connection is closed";
  const r = await share.start();
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /could not start: publish: the connection is closed/);
  assert.equal(screens[0]!.tracks[0]!.readyState, "ended");
  assert.equal(share.sharing, false);
  assert.deepEqual(changes, []);
});

test("share: a stream without video is refused and stopped", async () => {
  const audioOnly = new FakeStream([new FakeTrack("audio", "sound")]);
  const { share, sender } = setup({ capture: () => Promise.resolve(audioOnly) });
  const r = await share.start();
  assert.equal(r.ok, false);
  assert.equal(audioOnly.tracks[0]!.readyState, "ended");
  assert.deepEqual(sender.history, []);
});

test("share: the camera failing to come back is reported once the browser ends the share", async () => {
  const { share, sender, screens, errors } = setup();
  await share.start();
  sender.failNext = "publish: replaceTrack: boom";
  screens[0]!.tracks[0]!.endByBrowser();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /camera could not come back after sharing: publish: replaceTrack: boom/);
  assert.equal(share.sharing, false);
});

test("share: dispose stops the capture without touching the sender", async () => {
  const { share, sender, screens } = setup();
  await share.start();
  share.dispose();
  assert.equal(screens[0]!.tracks[0]!.readyState, "ended");
  assert.deepEqual(sender.history, ["screen1"]);
  assert.equal(share.sharing, false);
});

test("shareErrorText: DOMException names", () => {
  const named = (name: string) => Object.assign(new Error("x"), { name });
  assert.match(shareErrorText(named("NotAllowedError")), /cancelled or not allowed/);
  assert.match(shareErrorText(named("NotFoundError")), /no screen or window/);
  assert.match(shareErrorText(named("NotReadableError")), /could not be captured/);
  assert.match(shareErrorText(named("InvalidStateError")), /cannot share the screen now/);
  assert.equal(shareErrorText(named("WeirdError")), "Screen sharing failed: WeirdError: x");
  assert.equal(shareErrorText("plain"), "Screen sharing failed: plain");
});
