// The browser client's pages (dist/app.js, loaded by index.html): the join
// page, the waiting room and the meeting page over MeetingSession and
// MeetingMedia. The server serves index.html at / and at /j/<meeting id>.

import { MeetingMedia } from "../media/meeting_media.js";
import { MeetingSession } from "../meeting/session.js";
import { browserTransport } from "../signaling/transport.js";
import { BlackVideo } from "./black_video.js";
import { button, clear, el } from "./dom.js";
import { JoinPage, type CreateFields, type JoinFields } from "./join_page.js";
import { meetingIdFromPath, signalUrl } from "./join_link.js";
import { MeetingPage } from "./meeting_page.js";
import { createMeeting, type CreatedMeeting } from "./meetings_api.js";
import { endText } from "./messages.js";

const kDecryptCheckMs = 2000;
const kDecryptFailuresShown = 10; // frames per check before the banner shows

const app = document.getElementById("app") ?? document.body;

function show(page: HTMLElement): void {
  clear(app);
  app.append(page);
}

/** Whether the browser can run SFrame in an encoded transform (script transform or encoded streams). */
function hasEncodedTransforms(): boolean {
  const w = window as unknown as Record<string, unknown>;
  const sender = (w["RTCRtpSender"] as { prototype?: Record<string, unknown> } | undefined)?.prototype;
  return typeof w["RTCRtpScriptTransform"] === "function" || typeof sender?.["createEncodedStreams"] === "function";
}

function startJoinPage(error?: string): void {
  const page = new JoinPage(
    meetingIdFromPath(location.pathname),
    (f) => void join(f, page),
    (c) => void create(c, page),
  );
  show(page.root);
  if (!hasEncodedTransforms()) {
    page.root.prepend(
      el("div", { class: "banner", role: "alert", id: "no-transform" },
        "This browser has no encoded-transform API, so it cannot encrypt video and audio end to end. " +
          "You can join for chat only; use a current Chromium, Chrome, Edge or Safari for video."),
    );
  }
  if (error !== undefined) page.showError(error);
  page.focus();
}

function waitingPage(onLeave: () => void): HTMLElement {
  return el(
    "main",
    { class: "page waiting-page" },
    el(
      "div",
      { class: "card", id: "waiting", role: "status" },
      el("h1", {}, "Waiting room"),
      el("p", {}, "Waiting for the host to admit you…"),
      el("p", { class: "hint" }, "Keep this page open. You join as soon as a host lets you in."),
      button("Leave", onLeave, { class: "danger" }),
    ),
  );
}

function endedPage(text: string): HTMLElement {
  const again = el("a", { href: location.pathname, class: "button" }, "Join again");
  return el("main", { class: "page ended-page" }, el("div", { class: "card", id: "ended", role: "alert" }, el("h1", {}, "Meeting ended"), el("p", { id: "ended-reason" }, text), again));
}

/**
 * The camera and microphone; without a camera (none, or refused) the
 * microphone alone and black frames (BlackVideo) as the video, so that the
 * page still has a video sender for a screen share.
 */
async function localMedia(): Promise<{ stream: MediaStream | undefined; camera: boolean; black: BlackVideo | undefined }> {
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  if (devices === undefined) return { stream: undefined, camera: false, black: undefined };
  try {
    const stream = await devices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    return { stream, camera: stream.getVideoTracks().length > 0, black: undefined };
  } catch {
    // Both at once fail when either does: try the microphone alone.
  }
  const audio = await devices.getUserMedia({ audio: true }).then((s) => s.getAudioTracks(), () => []);
  let black: BlackVideo | undefined;
  try {
    black = new BlackVideo();
  } catch {
    black = undefined; // no canvas capture: no video sender (and no screen share)
  }
  const tracks = [...audio, ...(black ? [black.track] : [])];
  return { stream: tracks.length > 0 ? new MediaStream(tracks) : undefined, camera: false, black };
}

/** A new meeting over the REST API, joined as its host (with the host key it came with). */
async function create(c: CreateFields, joinPage: JoinPage): Promise<void> {
  const created = await createMeeting({ passcode: c.passcode, waitingRoom: c.waitingRoom });
  if (!created.ok) return joinPage.showCreateError(created.error);
  const { meetingId, hostKey } = created.value;
  await join({ meetingId, displayName: c.displayName, passcode: "", hostKey }, joinPage, created.value);
}

async function join(f: JoinFields, joinPage: JoinPage, created?: CreatedMeeting): Promise<void> {
  const { stream, camera, black } = await localMedia();
  let meeting: MeetingPage | undefined;
  let media: MeetingMedia | undefined;
  let mediaStarted = false;
  const leave = (): void => {
    void session.leave();
  };
  const createSession = (): Promise<MeetingSession> => MeetingSession.create({
    url: signalUrl(location),
    meetingId: f.meetingId,
    displayName: f.displayName,
    ...(f.passcode !== "" ? { passcode: f.passcode } : {}),
    ...(f.hostKey !== "" ? { hostKey: f.hostKey } : {}),
    transport: browserTransport,
    onEvent: (e) => {
      if (e.event === "lobby") show(waitingPage(leave));
      if (e.event === "joined" && meeting === undefined) {
        meeting = new MeetingPage(session, f.meetingId, leave, f.hostKey !== "" ? f.hostKey : undefined, created);
        if (stream) meeting.setLocalStream(stream, camera);
        show(meeting.root);
        history.replaceState(null, "", `/j/${encodeURIComponent(f.meetingId)}`);
      }
      meeting?.onEvent(e);
      if (e.event === "epoch" && !mediaStarted && meeting !== undefined) {
        mediaStarted = true;
        void startMedia(meeting);
      }
      if (e.event === "left") {
        for (const t of stream?.getTracks() ?? []) t.stop();
        black?.stop();
        meeting?.close();
        if (meeting === undefined && e.reason === "failed") startJoinPage(endText(e.reason, e.detail));
        else show(endedPage(endText(e.reason, e.detail)));
      }
    },
  });
  let session: MeetingSession;
  try {
    session = await createSession();
  } catch (e) {
    joinPage.showError(`Cannot start: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  (window as unknown as Record<string, unknown>)["conclaveSession"] = session; // for the console and tests

  async function startMedia(page: MeetingPage): Promise<void> {
    const created = MeetingMedia.create(session, {
      workerUrl: new URL("/sframe_worker.js", location.href),
      ...(stream ? { stream } : {}),
      onTrack: (t) => page.addTrack(t),
    });
    if (!created.ok) {
      page.showBanner(`No video or audio: ${created.error}. This browser cannot encrypt media end to end; chat still works.`);
      return;
    }
    media = created.value;
    // For the console and tests (system.web_call reads the subscribe
    // transport's getStats() and the worker's counters through it).
    (window as unknown as Record<string, unknown>)["conclaveMedia"] = media;
    const started = await media.start();
    if (!started.ok) page.showBanner(`Video and audio could not start: ${started.error}`);
    else page.setMedia(media);
    let lastFailures = 0;
    const timer = setInterval(() => {
      if (media === undefined || session.phase === "ended") return clearInterval(timer);
      void media.stats().then((s) => {
        const failures = s.openFailures.audio + s.openFailures.video;
        if (failures - lastFailures >= kDecryptFailuresShown) {
          page.showBanner(
            `${failures - lastFailures} video/audio frames could not be decrypted: someone may be using a different key. ` +
              "Compare the security code with the others.",
          );
        }
        lastFailures = failures;
      });
    }, kDecryptCheckMs);
  }

  await session.start();
}

window.addEventListener("unhandledrejection", (e) => {
  const reason = e.reason instanceof Error ? e.reason.message : String(e.reason);
  console.error("conclave:", reason);
});
startJoinPage();
