// The page of the browser media test (test/system/web_media.ts): a
// MeetingSession plus MeetingMedia with the fake camera and microphone,
// configured by the URL's fragment (JSON: url, meetingId, displayName,
// withholdKeys?, api?). Remote tracks play in <video>/<audio> elements;
// window.mediaReport() gives the test what it checks.

import { browserTransport, MeetingMedia, MeetingSession, type MeetingEvent, type TransformApi, type WorkerStats } from "../../src/index.js";

interface InboundStats {
  kind: string;
  framesDecoded: number;
  keyFramesDecoded: number;
  packetsReceived: number;
  bytesReceived: number;
  totalSamplesReceived: number;
  concealedSamples: number;
  frameWidth: number;
  pliCount: number;
}
interface OutboundStats {
  kind: string;
  packetsSent: number;
  framesEncoded: number;
}
export interface MediaReport {
  phase: string;
  api: string;
  error: string;
  joinStartedMs: number;
  firstDecodedMs: number; // time from the start of the join to the first decoded remote video frame; -1: none yet
  memberMs: number; // ... to the first epoch (a member of the group, media may start)
  subscribeConnectedMs: number; // ... to the subscribe transport connected (ICE + DTLS)
  firstVideoPacketMs: number; // ... to the first remote video packet
  firstAudioPacketMs: number; // ... to the first remote audio packet
  pliCount: number; // PLIs the page sent for remote video
  inbound: InboundStats[];
  outbound: OutboundStats[];
  videoWidth: number;
  worker: WorkerStats | undefined;
  publishState: string;
  subscribeState: string;
}

declare global {
  interface Window {
    conclaveEvents: MeetingEvent[];
    mediaReport: () => Promise<MediaReport>;
    conclaveLeave: () => Promise<void>;
    mediaSdp: () => Record<string, string>;
  }
}

const config = JSON.parse(decodeURIComponent(location.hash.slice(1))) as {
  url: string;
  meetingId: string;
  displayName: string;
  withholdKeys?: boolean;
  api?: TransformApi;
};
window.conclaveEvents = [];
const t0 = performance.now();
let firstDecodedMs = -1;
let memberMs = -1;
let subscribeConnectedMs = -1;
let firstVideoPacketMs = -1;
let firstAudioPacketMs = -1;
let error = "";
let media: MeetingMedia | undefined;
const remote = document.createElement("div");
const title = document.createElement("h3");
title.textContent = `${config.displayName}${config.withholdKeys ? " (keys withheld)" : ""}`;
document.body.append(title, remote);

const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
const local = document.createElement("video");
local.muted = true;
local.autoplay = true;
local.srcObject = stream;
local.width = 320;
local.title = "local";
document.body.append(local);

const session = await MeetingSession.create({
  url: config.url,
  meetingId: config.meetingId,
  displayName: config.displayName,
  transport: browserTransport,
  onEvent: (e) => {
    window.conclaveEvents.push(e);
    if (e.event === "epoch" && memberMs < 0) memberMs = performance.now() - t0;
    if (e.event === "epoch" && media === undefined && !error) void startMedia();
  },
});

async function startMedia(): Promise<void> {
  const created = MeetingMedia.create(session, {
    workerUrl: new URL("sframe_worker.js", location.href),
    stream,
    withholdKeys: config.withholdKeys ?? false,
    ...(config.api ? { preferApi: config.api } : {}),
    onTrack: (t) => {
      const el = document.createElement(t.kind === "video" ? "video" : "audio");
      el.autoplay = true;
      el.srcObject = new MediaStream([t.track]);
      el.dataset["mid"] = t.mid;
      el.dataset["participant"] = t.participantId;
      if (el instanceof HTMLVideoElement) {
        el.muted = true;
        el.width = 480;
      }
      remote.append(el);
    },
  });
  if (!created.ok) {
    error = created.error;
    return;
  }
  media = created.value;
  const started = await media.start();
  if (!started.ok) error = started.error;
}

async function collect(pc: RTCPeerConnection | undefined): Promise<{ inbound: InboundStats[]; outbound: OutboundStats[] }> {
  const inbound: InboundStats[] = [];
  const outbound: OutboundStats[] = [];
  if (pc === undefined) return { inbound, outbound };
  const report = await pc.getStats();
  report.forEach((s: Record<string, unknown>) => {
    const n = (k: string) => (typeof s[k] === "number" ? (s[k] as number) : 0);
    if (s["type"] === "inbound-rtp") {
      inbound.push({
        kind: String(s["kind"]),
        framesDecoded: n("framesDecoded"),
        keyFramesDecoded: n("keyFramesDecoded"),
        packetsReceived: n("packetsReceived"),
        bytesReceived: n("bytesReceived"),
        totalSamplesReceived: n("totalSamplesReceived"),
        concealedSamples: n("concealedSamples"),
        frameWidth: n("frameWidth"),
        pliCount: n("pliCount"),
      });
    } else if (s["type"] === "outbound-rtp") {
      outbound.push({ kind: String(s["kind"]), packetsSent: n("packetsSent"), framesEncoded: n("framesEncoded") });
    }
  });
  return { inbound, outbound };
}

// Watch for the first decoded remote frame (the join-to-first-frame time).
const poll = setInterval(() => {
  void (async () => {
    if (subscribeConnectedMs < 0 && media?.subscribeConnection?.connectionState === "connected") subscribeConnectedMs = performance.now() - t0;
    const { inbound } = await collect(media?.subscribeConnection);
    if (firstVideoPacketMs < 0 && inbound.some((s) => s.kind === "video" && s.packetsReceived > 0)) firstVideoPacketMs = performance.now() - t0;
    if (firstAudioPacketMs < 0 && inbound.some((s) => s.kind === "audio" && s.packetsReceived > 0)) firstAudioPacketMs = performance.now() - t0;
    if (firstDecodedMs < 0 && inbound.some((s) => s.kind === "video" && s.framesDecoded > 0)) {
      firstDecodedMs = performance.now() - t0;
      clearInterval(poll);
    }
  })();
}, 50);

window.mediaReport = async () => {
  const sub = await collect(media?.subscribeConnection);
  const pub = await collect(media?.publishConnection);
  const videos = Array.from(remote.querySelectorAll("video"));
  return {
    phase: session.phase,
    api: media?.api ?? "",
    error: error || (media?.subscribeError ?? ""),
    joinStartedMs: t0,
    firstDecodedMs,
    memberMs,
    subscribeConnectedMs,
    firstVideoPacketMs,
    firstAudioPacketMs,
    pliCount: sub.inbound.reduce((a, s) => a + s.pliCount, 0),
    inbound: sub.inbound,
    outbound: pub.outbound,
    videoWidth: Math.max(0, ...videos.map((v) => v.videoWidth)),
    worker: media ? await media.stats() : undefined,
    publishState: media?.publishConnection?.connectionState ?? "",
    subscribeState: media?.subscribeConnection?.connectionState ?? "",
  };
};
// The SDP both ways on both transports (the test keeps them as artifacts: lib/sdp's tests use them).
window.mediaSdp = () => ({
  publish_offer: media?.publishConnection?.localDescription?.sdp ?? "",
  publish_answer: media?.publishConnection?.remoteDescription?.sdp ?? "",
  subscribe_offer: media?.subscribeConnection?.remoteDescription?.sdp ?? "",
  subscribe_answer: media?.subscribeConnection?.localDescription?.sdp ?? "",
});
window.conclaveLeave = () => session.leave();
await session.start();
