// System test `system.web_media`: browser media through Conclave's SFU,
// every frame SFrame-sealed in the page's encoded-transform worker exactly
// as the native client seals it.
//
//   - a native host (`conclave join --publish test --record DIR`) sends the
//     test pattern and a tone;
//   - a Chromium page (test/browser/media_page.ts; Debian's chromium with
//     the fake camera and microphone) joins, publishes and subscribes;
//   - the page decodes the host's video (framesDecoded rising, <video>
//     videoWidth > 0) and receives its audio; the host decodes the page's
//     video and audio (media_stats, and the recorded .y4m has frames);
//   - negative: a second page whose worker never gets a key decodes no
//     frame and sends none;
//   - prints the time from the start of the page's join to its first
//     decoded remote frame, and saves a screenshot in the artifact folder.
//
// Usage: node build/test-media/web_media.mjs --conclave PATH [--chromium PATH] [--artifacts DIR] [--api script|streams]

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium, type BrowserContext, type Page } from "playwright-core";

import type { MediaReport } from "../browser/media_page.js";
import { createMeeting, fail, NativeMember, servePage, sleep, startServer, stopAll, type Json } from "./lib/harness.js";

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const conclave = argValue("--conclave") ?? fail("usage: web_media.mjs --conclave PATH [--chromium PATH] [--artifacts DIR]");
const chromiumPath = argValue("--chromium") ?? "/usr/bin/chromium";
const api = argValue("--api"); // script (default when present) or streams: the createEncodedStreams fallback
const pageDir = dirname(fileURLToPath(import.meta.url)); // build/test-media: the driver, media_page.js, sframe_worker.js
const artifacts = argValue("--artifacts") ?? join(pageDir, "artifacts");
mkdirSync(artifacts, { recursive: true });
const recordDir = join(artifacts, "record");
rmSync(recordDir, { recursive: true, force: true });
mkdirSync(recordDir, { recursive: true });

function step(text: string): void {
  console.log(`web_media: ${text}`);
}

const html = `<!doctype html><meta charset="utf-8"><title>conclave media test</title><body style="background:#fff"><script type="module" src="media_page.js"></script></body>`;
const { http, port: httpPort } = await servePage(pageDir, "media_page", html, ["media_page.js", "sframe_worker.js"]);
const profile = mkdtempSync(join(tmpdir(), "conclave-chromium-"));
const watchdog = setTimeout(() => {
  console.error("web_media: FAILED: over 150 s");
  process.exit(1);
}, 150_000);

const kNotReady: MediaReport = {
  phase: "loading", api: "", error: "", joinStartedMs: 0, firstDecodedMs: -1, memberMs: -1, subscribeConnectedMs: -1, firstVideoPacketMs: -1, firstAudioPacketMs: -1, pliCount: 0, inbound: [], outbound: [],
  videoWidth: 0, worker: undefined, publishState: "", subscribeState: "",
};
async function report(page: Page): Promise<MediaReport> {
  // The page defines mediaReport after getUserMedia and the session's keys.
  return (await page.evaluate(() => (typeof window.mediaReport === "function" ? window.mediaReport() : null))) ?? kNotReady;
}
async function waitReport(page: Page, what: string, seconds: number, predicate: (r: MediaReport) => boolean): Promise<MediaReport> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const r = await report(page);
    if (predicate(r)) return r;
    if (Date.now() > deadline) fail(`page: timed out after ${seconds} s waiting for ${what}: ${JSON.stringify(r)}`);
    await sleep(200);
  }
}
const inbound = (r: MediaReport, kind: string) => r.inbound.filter((s) => s.kind === kind);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const decoded = (r: MediaReport) => sum(inbound(r, "video").map((s) => s.framesDecoded));

let status = 0;
let context: BrowserContext | undefined;
const console_: string[] = [];
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1100, height: 800 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--ignore-certificate-errors", "--disable-quic",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"],
  });
  const server = await startServer(conclave);
  const meeting = await createMeeting(conclave, server);
  const host = new NativeMember(conclave, server, meeting, "host", [
    "--host-key", meeting.hostKey, "--admit", "all", "--publish", "test", "--record", recordDir, "--for", "90",
  ]);
  await host.wait("group created", 20, (e) => e.event === "epoch");
  await host.wait("publish transport", 20, (e) => e.event === "media_connected" && e["transport"] === "publish");

  const open = async (displayName: string, withholdKeys: boolean): Promise<Page> => {
    const page = await context!.newPage();
    page.on("console", (m) => console_.push(`${displayName} ${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => console_.push(`${displayName} pageerror: ${e.message}`));
    const config = { url: `${server.url.replace(/^https:/, "wss:")}/api/v1/signal`, meetingId: meeting.meetingId, displayName, withholdKeys, ...(api ? { api } : {}) };
    await page.goto(`http://localhost:${httpPort}/media_page.html#${encodeURIComponent(JSON.stringify(config))}`);
    return page;
  };

  // 1. Negative: a page whose worker never gets a key. It goes first, so
  // that its join's epoch change happens before any browser frame flows:
  // at an epoch change the member that switches first sends frames the
  // others cannot open until their own switch (tens to hundreds of ms),
  // which would blur the host's decrypt-failure count below.
  const blind = await open("nokey", true);
  await waitReport(blind, "the keyless page's transports", 30, (r) => r.error !== "" || (r.subscribeState === "connected" && r.inbound.some((s) => s.kind === "video" && s.packetsReceived > 50)));
  await sleep(3000);
  const nk = await report(blind);
  if (nk.error) fail(`keyless page: ${nk.error}`);
  const nkPackets = sum(nk.inbound.map((s) => s.packetsReceived));
  if (decoded(nk) !== 0 || (nk.worker?.opened.video ?? -1) !== 0 || (nk.worker?.opened.audio ?? -1) !== 0) fail(`keyless page decoded something: ${JSON.stringify(nk)}`);
  if ((nk.worker?.sealed.video ?? -1) !== 0 || (nk.worker?.droppedNoKey.video ?? 0) === 0) fail(`keyless page sent frames: ${JSON.stringify(nk.worker)}`);
  step(`keys withheld: ${nkPackets} packets received, 0 frames decoded, ${nk.worker?.droppedNoKey.video} video / ${nk.worker?.droppedNoKey.audio} audio frames dropped (sent and received), none sealed`);
  // 2. The page with keys: native -> browser.
  const page = await open("chromium", false);
  step(`Chromium ${context.browser()?.version() ?? ""} opened the page`);
  const first = await waitReport(page, "a decoded remote video frame", 40, (r) => r.error !== "" || r.firstDecodedMs >= 0);
  if (first.error) fail(`page: ${first.error}`);
  step(`join to first decoded remote frame: ${first.firstDecodedMs.toFixed(0)} ms (transform API ${first.api}; member of the group at ${first.memberMs.toFixed(0)} ms, subscribe transport connected at ${first.subscribeConnectedMs.toFixed(0)} ms, first audio packet at ${first.firstAudioPacketMs.toFixed(0)} ms, first video packet at ${first.firstVideoPacketMs.toFixed(0)} ms, ${first.pliCount} PLI sent)`);
  const a = await report(page);
  await sleep(2000);
  const b = await waitReport(page, "the host's video playing", 10, (r) => r.videoWidth > 0 && decoded(r) > decoded(a));
  const audioIn = inbound(b, "audio");
  if (audioIn.length === 0 || sum(audioIn.map((s) => s.packetsReceived)) < 50) fail(`page: the host's audio is not received: ${JSON.stringify(b)}`);
  const samples = sum(audioIn.map((s) => s.totalSamplesReceived));
  const concealed = sum(audioIn.map((s) => s.concealedSamples));
  if (samples === 0 || concealed > samples / 2) fail(`page: audio samples ${samples}, concealed ${concealed}`);
  if (!b.worker || b.worker.opened.video === 0 || b.worker.opened.audio === 0) fail(`page: the worker opened nothing: ${JSON.stringify(b.worker)}`);
  step(`native -> browser: video ${decoded(a)} -> ${decoded(b)} frames decoded, ${b.videoWidth} px wide; audio ${sum(audioIn.map((s) => s.packetsReceived))} packets, ${samples} samples (${concealed} concealed); worker opened ${b.worker.opened.video} video / ${b.worker.opened.audio} audio frames, ${b.worker.openFailures.video + b.worker.openFailures.audio} failures`);

  // 3. browser -> native: the host's subscription to the page's tracks.
  const pageParticipant = (await page.evaluate(() => (window.conclaveEvents.find((e) => e.event === "joined") as { participant_id?: string } | undefined)?.participant_id ?? "")) as string;
  await host.wait("the page's video track", 20, (e) => e.event === "media_track" && e["participant_id"] === pageParticipant && e["kind"] === "video");
  await host.wait("the page's audio track", 5, (e) => e.event === "media_track" && e["participant_id"] === pageParticipant && e["kind"] === "audio");
  const sending = await waitReport(page, "the page sending 120 video frames", 20, (r) => r.outbound.some((s) => s.kind === "video" && s.framesEncoded > 120) && (r.worker?.sealed.video ?? 0) > 120);
  step(`the page sealed ${sending.worker?.sealed.video} video and ${sending.worker?.sealed.audio} audio frames`);

  const sdp = await page.evaluate(() => window.mediaSdp());
  for (const [name, text] of Object.entries(sdp)) writeFileSync(join(artifacts, `chromium_${name}.sdp`), text);
  await page.screenshot({ path: join(artifacts, "web_media.png"), fullPage: true });
  await blind.screenshot({ path: join(artifacts, "web_media_nokey.png"), fullPage: true });
  step(`screenshots: ${join(artifacts, "web_media.png")}, ${join(artifacts, "web_media_nokey.png")}`);

  // 4. The host leaves: its media_stats say what it decoded of the page.
  host.process.kill("SIGTERM");
  const stats = await host.wait("media_stats", 15, (e) => e.event === "media_stats");
  const received = (stats["received"] as Json[] | undefined) ?? [];
  const fromPage = received.filter((t) => t["participant_id"] === pageParticipant);
  const video = fromPage.find((t) => t["kind"] === "video");
  const audio = fromPage.find((t) => t["kind"] === "audio");
  if (!video || !audio) fail(`host: no stats for the page's tracks: ${JSON.stringify(stats)}`);
  if (Number(video["frames_decoded"]) < 60 || Number(audio["frames_decoded"]) < 100) fail(`host decoded too little of the page: ${JSON.stringify(fromPage)}`);
  if (Number(video["decrypt_failures"]) !== 0 || Number(audio["decrypt_failures"]) !== 0) fail(`host: decrypt failures on the page's tracks: ${JSON.stringify(fromPage)}`);
  const y4m = readdirSync(recordDir).filter((f) => f.startsWith(pageParticipant) && f.endsWith(".y4m"));
  if (y4m.length === 0) fail(`host: no recording of the page's video in ${recordDir}: ${readdirSync(recordDir).join(",")}`);
  const recorded = readFileSync(join(recordDir, y4m[0]!));
  let frames = 0;
  for (let i = recorded.indexOf("FRAME"); i >= 0; i = recorded.indexOf("FRAME", i + 5)) frames += 1;
  if (frames < 30) fail(`host: ${y4m[0]} has ${frames} frames`);
  step(`browser -> native: host decoded ${video["frames_decoded"]} video and ${audio["frames_decoded"]} audio frames of the page, 0 decrypt failures; ${y4m[0]} has ${frames} frames (${statSync(join(recordDir, y4m[0]!)).size} bytes)`);
  rmSync(recordDir, { recursive: true, force: true }); // about 10 MB/s of raw video: kept only when a check fails
  console.log("web_media: all checks passed");
} catch (e) {
  status = 1;
  console.error(`web_media: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  console.error(console_.slice(-30).join("\n"));
} finally {
  await context?.close();
  http.close();
  rmSync(profile, { recursive: true, force: true });
  await stopAll();
  clearTimeout(watchdog);
}
process.exit(status);
