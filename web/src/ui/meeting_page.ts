// The meeting page: video grid (a tile per remote participant, the local
// preview, the active speaker highlighted), mute, camera and screen-share
// buttons, the security code, the roster (credential names, host flags),
// chat, and for hosts the waiting room (admit/deny), remove buttons and the
// lock.

import type { RemoteTrack } from "../media/subscribe.js";
import type { MeetingEvent, RosterEntry } from "../meeting/events.js";
import type { MeetingSession } from "../meeting/session.js";
import type { Result } from "../util/result.js";
import { choicesOf, constraintsFor, type DeviceKind } from "./device_picker.js";
import { button, clear, el } from "./dom.js";
import { setMeetingLocked, type CreatedMeeting } from "./meetings_api.js";
import { errorText } from "./messages.js";
import { ScreenShare, type VideoTarget } from "./screen_share.js";

/** Where the page's tracks go: MeetingMedia (the screen share and device switches replace them). */
export interface TrackTarget extends VideoTarget<MediaStreamTrack> {
  replaceAudioTrack(track: MediaStreamTrack | null): Promise<Result<void>>;
}

interface Tile {
  root: HTMLElement;
  video: HTMLVideoElement;
  audio: HTMLAudioElement;
  label: HTMLElement;
}

/**
 * The join link to pass on, with a Copy button; for the person who just
 * created the meeting also its host key (collapsed: whoever has it is a host).
 */
function inviteSection(meetingId: string, created: CreatedMeeting | undefined): HTMLElement {
  const link = created?.joinLink ?? `${location.origin}/j/${encodeURIComponent(meetingId)}`;
  const copy = (text: string, b: HTMLButtonElement): void => {
    void navigator.clipboard?.writeText(text).then(
      () => (b.textContent = "Copied"),
      () => (b.textContent = "Select and copy"),
    );
  };
  const linkButton = button("Copy", () => copy(link, linkButton), { class: "small", "aria-label": "Copy the join link" });
  const section = el(
    "section",
    { class: "panel invite", "aria-labelledby": "invite-title" },
    el("h2", { id: "invite-title" }, "Invite"),
    el("p", { class: "link" }, el("code", { id: "invite-link" }, link), linkButton),
  );
  if (created !== undefined) {
    const keyButton = button("Copy", () => copy(created.hostKey, keyButton), { class: "small", "aria-label": "Copy the host key" });
    section.append(
      el(
        "details",
        { id: "host-key-details" },
        el("summary", {}, "Your host key"),
        el("p", { class: "link" }, el("code", { id: "host-key" }, created.hostKey), keyButton),
        el("p", { class: "hint" }, "Keep it to come back as the host. Whoever has it is a host: share it only with co-hosts."),
      ),
    );
  }
  return section;
}

export class MeetingPage {
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly code: HTMLElement;
  private readonly rosterList: HTMLElement;
  private readonly lobbySection: HTMLElement;
  private readonly lobbyList: HTMLElement;
  private readonly chatLog: HTMLElement;
  private readonly chatInput: HTMLInputElement;
  private readonly micButton: HTMLButtonElement;
  private readonly camButton: HTMLButtonElement;
  private readonly lockButton: HTMLButtonElement;
  private readonly lockBadge: HTMLElement;
  private readonly shareButton: HTMLButtonElement;
  private readonly localTile: HTMLElement;
  private readonly localCaption: HTMLElement;
  private localVideo: HTMLVideoElement | undefined;
  private hasCamera = false;
  private media: TrackTarget | undefined;
  private readonly cameraSelect: HTMLSelectElement;
  private readonly micSelect: HTMLSelectElement;
  private readonly screenShare: ScreenShare<MediaStreamTrack, MediaStream>;
  private readonly tiles = new Map<string, Tile>(); // by participant_id
  private stream: MediaStream | undefined;
  private roster: RosterEntry[] = [];
  private speaker = ""; // participant_id of the active speaker ("" = nobody)

  constructor(
    private readonly session: MeetingSession,
    meetingId: string,
    private readonly onLeave: () => void,
    hostKey?: string,
    created?: CreatedMeeting,
  ) {
    this.banner = el("div", { class: "banner", role: "alert", id: "banner", hidden: "" });
    this.code = el("output", { class: "security-code", id: "security-code", "aria-live": "polite" }, "…");
    const security = el(
      "section",
      { class: "security", "aria-labelledby": "security-title" },
      el("h2", { id: "security-title" }, "Security code"),
      this.code,
      el(
        "p",
        { class: "hint" },
        "Compare this code with the others (read it aloud): if it matches, nobody else is listening. " +
          "It changes whenever someone joins or leaves.",
      ),
    );
    this.micButton = button("Mute", () => this.toggle("audio"), { id: "mic-button", "aria-pressed": "false" });
    this.camButton = button("Camera off", () => this.toggle("video"), { id: "cam-button", "aria-pressed": "false" });
    this.shareButton = button("Share screen", () => void this.toggleShare(), { id: "share-button", "aria-pressed": "false" });
    this.screenShare = new ScreenShare<MediaStreamTrack, MediaStream>({
      devices: () => navigator.mediaDevices as MediaDevices | undefined,
      target: () => this.media,
      camera: () => this.stream?.getVideoTracks()[0] ?? null,
      onChange: (screen) => this.showSharing(screen),
      onError: (text) => this.showBanner(text),
    });
    // Hosts who joined with the host key may lock the meeting: the server
    // refuses new joiners and no member adds anyone (the group policy).
    this.lockButton = button("Lock meeting", () => void this.toggleLock(meetingId, hostKey ?? ""), {
      id: "lock-button",
      "aria-pressed": "false",
    });
    this.lockButton.hidden = hostKey === undefined || hostKey === "";
    this.lockBadge = el("span", { class: "badge locked", id: "lock-badge", hidden: "" }, "Locked: nobody new can join");
    this.cameraSelect = el("select", { id: "camera-select" });
    this.micSelect = el("select", { id: "mic-select" });
    this.cameraSelect.addEventListener("change", () => void this.switchDevice("videoinput", this.cameraSelect.value));
    this.micSelect.addEventListener("change", () => void this.switchDevice("audioinput", this.micSelect.value));
    navigator.mediaDevices?.addEventListener?.("devicechange", () => void this.listDevices());
    const controls = el(
      "div",
      { class: "controls", role: "toolbar", "aria-label": "Meeting controls" },
      this.micButton,
      this.camButton,
      this.shareButton,
      this.lockButton,
      button("Leave", () => this.onLeave(), { id: "leave-button", class: "danger" }),
    );
    this.localCaption = el("figcaption", {}, "You");
    this.localTile = el("figure", { class: "tile local", id: "local-tile" }, this.localCaption);
    this.grid = el("section", { class: "grid", id: "video-grid", "aria-label": "Videos" }, this.localTile);
    this.rosterList = el("ul", { class: "roster", id: "roster" });
    this.lobbyList = el("ul", { class: "lobby", id: "lobby" });
    this.lobbySection = el(
      "section",
      { class: "panel", id: "lobby-panel", "aria-labelledby": "lobby-title", hidden: "" },
      el("h2", { id: "lobby-title" }, "Waiting room"),
      this.lobbyList,
    );
    this.chatLog = el("ol", { class: "chat-log", id: "chat-log", "aria-live": "polite" });
    this.chatInput = el("input", { id: "chat-input", autocomplete: "off", maxlength: "2000" });
    const chatForm = el(
      "form",
      { class: "chat-form", id: "chat-form" },
      el("label", { for: "chat-input", class: "visually-hidden" }, "Message"),
      this.chatInput,
      el("button", { type: "submit", id: "chat-send" }, "Send"),
    );
    chatForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.sendChat();
    });
    this.root = el(
      "div",
      { class: "page meeting-page" },
      el("header", { class: "top" }, el("div", {}, el("h1", {}, `Meeting ${meetingId}`), this.lockBadge), security),
      this.banner,
      el("main", { class: "stage" }, this.grid, controls, this.devicesPanel()),
      el(
        "aside",
        { class: "side" },
        this.lobbySection,
        inviteSection(meetingId, created),
        el("section", { class: "panel", "aria-labelledby": "roster-title" }, el("h2", { id: "roster-title" }, "People"), this.rosterList),
        el("section", { class: "panel chat", "aria-labelledby": "chat-title" }, el("h2", { id: "chat-title" }, "Chat"), this.chatLog, chatForm),
      ),
    );
    session.watchPeople(() => this.renderPeople());
    session.watchMedia((m) => {
      if (m.type !== "active_speaker") return;
      const id = typeof m.body["participant_id"] === "string" ? m.body["participant_id"] : "";
      this.setActiveSpeaker(id);
    });
    this.renderPeople();
    this.showLock(session.meetingLocked);
  }

  /** The session's events that change this page. */
  onEvent(e: MeetingEvent): void {
    switch (e.event) {
      case "epoch":
        this.code.textContent = e.security_code;
        break;
      case "roster":
        this.roster = e.members;
        this.renderPeople();
        break;
      case "chat":
        this.addChat(e.from, e.text, e.self === true);
        break;
      case "error":
        if (e.code === "add_failed") this.showBanner(e.message);
        break;
      case "meeting":
        this.showLock(e.locked);
        break;
      case "reconnecting":
        this.showBanner(`The connection to the server dropped; reconnecting (attempt ${e.attempt})… Video and audio go on meanwhile.`);
        break;
      case "joined":
        if (e.resumed) this.hideBanner();
        break;
      default:
        break;
    }
  }

  showBanner(text: string): void {
    this.banner.textContent = text;
    this.banner.hidden = false;
  }

  hideBanner(): void {
    this.banner.textContent = "";
    this.banner.hidden = true;
  }

  /** What the page sends; without a camera its video is black frames (BlackVideo) and the camera button is off. */
  setLocalStream(stream: MediaStream, camera: boolean): void {
    this.stream = stream;
    this.localPreview(stream, camera ? "Your camera" : "No camera");
    if (!camera) {
      this.camButton.textContent = "No camera";
      this.camButton.disabled = true;
      this.localCaption.textContent = "You (no camera)";
    }
    this.hasCamera = camera;
  }

  /** The running media: what the share button sends the screen through. */
  setMedia(media: TrackTarget): void {
    this.media = media;
  }

  /** The meeting ended: the capture stops (the browser's sharing indicator goes away). */
  close(): void {
    this.screenShare.dispose();
  }

  private localPreview(stream: MediaStream, label: string): void {
    if (this.localVideo === undefined) {
      const video = el("video", {});
      video.muted = true;
      video.autoplay = true;
      video.playsInline = true;
      this.localVideo = video;
      this.localTile.prepend(video);
    }
    this.localVideo.setAttribute("aria-label", label);
    this.localVideo.srcObject = stream;
    void this.localVideo.play().catch(() => undefined);
  }

  private devicesPanel(): HTMLElement {
    const panel = el(
      "details",
      { class: "devices", id: "devices-panel" },
      el("summary", {}, "Camera and microphone"),
      el("div", { class: "field" }, el("label", { for: "camera-select" }, "Camera"), this.cameraSelect),
      el("div", { class: "field" }, el("label", { for: "mic-select" }, "Microphone"), this.micSelect),
    );
    panel.addEventListener("toggle", () => {
      if ((panel as HTMLDetailsElement).open) void this.listDevices();
    });
    return panel;
  }

  /** Fills the two lists (labels are known once the page may use the devices) and selects what is in use. */
  private async listDevices(): Promise<void> {
    const devices = navigator.mediaDevices;
    if (devices === undefined) return;
    const all = await devices.enumerateDevices().catch(() => []);
    const fill = (select: HTMLSelectElement, kind: DeviceKind, current: MediaStreamTrack | undefined): void => {
      clear(select);
      const inUse = current?.getSettings().deviceId;
      for (const c of choicesOf(all, kind)) {
        const option = el("option", { value: c.deviceId }, c.label);
        option.selected = c.deviceId === inUse;
        select.append(option);
      }
      select.disabled = select.options.length === 0 || current === undefined;
    };
    fill(this.cameraSelect, "videoinput", this.hasCamera ? this.stream?.getVideoTracks()[0] : undefined);
    fill(this.micSelect, "audioinput", this.stream?.getAudioTracks()[0]);
  }

  /**
   * Another camera or microphone: its track replaces the old one on the same
   * sender (still SFrame-sealed), keeps the mute state, and the old one stops.
   * While a screen is shared, a new camera waits in the stream for the share to end.
   */
  private async switchDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    const devices = navigator.mediaDevices;
    const stream = this.stream;
    if (devices === undefined || stream === undefined) return;
    const old = kind === "videoinput" ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
    if (old?.getSettings().deviceId === deviceId) return;
    const what = kind === "videoinput" ? "camera" : "microphone";
    let track: MediaStreamTrack | undefined;
    try {
      track = (await devices.getUserMedia(constraintsFor(kind, deviceId))).getTracks()[0];
    } catch (e) {
      this.showBanner(`That ${what} cannot be opened (${e instanceof Error ? e.name : String(e)}).`);
    }
    if (track === undefined) return void this.listDevices();
    track.enabled = old?.enabled ?? true;
    const sharing = kind === "videoinput" && this.screenShare.sharing;
    if (!sharing && this.media !== undefined) {
      const replaced = kind === "videoinput" ? await this.media.replaceVideoTrack(track) : await this.media.replaceAudioTrack(track);
      if (!replaced.ok) {
        track.stop();
        this.showBanner(`Could not switch the ${what}: ${replaced.error}`);
        return void this.listDevices();
      }
    }
    if (old !== undefined) {
      stream.removeTrack(old);
      old.stop();
    }
    stream.addTrack(track);
    if (kind === "videoinput" && !sharing) this.localPreview(stream, "Your camera");
    await this.listDevices();
  }

  private async toggleShare(): Promise<void> {
    this.shareButton.disabled = true;
    const r = this.screenShare.sharing ? await this.screenShare.stop() : await this.screenShare.start();
    this.shareButton.disabled = false;
    if (!r.ok) this.showBanner(r.error);
  }

  /** The local tile shows what is sent: the shared screen (not mirrored), or the camera again. */
  private showSharing(screen: MediaStream | undefined): void {
    const sharing = screen !== undefined;
    this.shareButton.textContent = sharing ? "Stop sharing" : "Share screen";
    this.shareButton.setAttribute("aria-pressed", sharing ? "true" : "false");
    this.localTile.classList.toggle("sharing", sharing);
    this.localCaption.textContent = sharing ? "You (sharing your screen)" : this.hasCamera ? "You" : "You (no camera)";
    if (screen !== undefined) this.localPreview(screen, "Your shared screen");
    else if (this.stream !== undefined) this.localPreview(this.stream, this.hasCamera ? "Your camera" : "No camera");
  }

  addTrack(t: RemoteTrack): void {
    const tile = this.tileFor(t.participantId);
    const media = t.kind === "video" ? tile.video : tile.audio;
    media.srcObject = new MediaStream([t.track]);
    void media.play().catch(() => undefined);
    t.track.addEventListener("ended", () => {
      if (media.srcObject instanceof MediaStream && media.srcObject.getTracks().includes(t.track)) media.srcObject = null;
    });
  }

  private tileFor(participantId: string): Tile {
    const existing = this.tiles.get(participantId);
    if (existing) return existing;
    const video = el("video", {});
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // sound plays through the tile's <audio>
    const audio = el("audio", {});
    audio.autoplay = true;
    const label = el("figcaption", {}, this.nameOf(participantId));
    const root = el("figure", { class: "tile remote", "data-participant": participantId }, video, audio, label);
    root.classList.toggle("speaking", participantId === this.speaker);
    const tile = { root, video, audio, label };
    this.tiles.set(participantId, tile);
    this.grid.append(root);
    return tile;
  }

  private nameOf(participantId: string): string {
    return this.session.participants().find((p) => p.participantId === participantId)?.displayName ?? participantId;
  }

  private setActiveSpeaker(participantId: string): void {
    this.speaker = participantId; // a tile made later (its track comes after the message) picks it up
    for (const [id, tile] of this.tiles) tile.root.classList.toggle("speaking", id === participantId);
    this.localTile.classList.toggle("speaking", participantId !== "" && participantId === this.session.participantId);
  }

  private toggle(kind: "audio" | "video"): void {
    const tracks = kind === "audio" ? this.stream?.getAudioTracks() : this.stream?.getVideoTracks();
    if (tracks === undefined || tracks.length === 0) return;
    // track.enabled = false sends silence / black frames: media keeps flowing, still SFrame-encrypted.
    const on = !(tracks[0]?.enabled ?? true);
    for (const t of tracks) t.enabled = on;
    const b = kind === "audio" ? this.micButton : this.camButton;
    b.textContent = kind === "audio" ? (on ? "Mute" : "Unmute") : on ? "Camera off" : "Camera on";
    b.setAttribute("aria-pressed", on ? "false" : "true");
    if (kind === "video") this.localTile.classList.toggle("camera-off", !on);
  }

  private showLock(locked: boolean): void {
    this.lockBadge.hidden = !locked;
    this.lockButton.textContent = locked ? "Unlock meeting" : "Lock meeting";
    this.lockButton.setAttribute("aria-pressed", locked ? "true" : "false");
  }

  private async toggleLock(meetingId: string, hostKey: string): Promise<void> {
    const locked = this.lockButton.getAttribute("aria-pressed") !== "true";
    this.lockButton.disabled = true;
    const r = await setMeetingLocked(meetingId, hostKey, locked);
    this.lockButton.disabled = false;
    // The page changes when meeting_updated arrives, not before.
    if (!r.ok) this.showBanner(r.error);
  }

  private async sendChat(): Promise<void> {
    const text = this.chatInput.value.trim();
    if (text === "") return;
    const sent = await this.session.say(text);
    if (sent) this.chatInput.value = "";
    else this.showBanner("The message could not be sent (not yet a member of the encrypted group).");
  }

  private addChat(from: string, text: string, self: boolean): void {
    const item = el("li", { class: self ? "self" : "" }, el("span", { class: "from" }, self ? `${from} (you)` : from), el("span", { class: "text" }, text));
    this.chatLog.append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  private renderPeople(): void {
    const isHost = this.session.role === "host";
    const people = this.session.participants();
    clear(this.rosterList);
    for (const m of this.roster) {
      const person = people.find((p) => p.displayName === m.name && p.participantId !== this.session.participantId);
      const item = el(
        "li",
        { "data-leaf": String(m.leaf) },
        el("span", { class: "name" }, m.name),
        m.host ? el("span", { class: "badge" }, "host") : undefined,
        m.self ? el("span", { class: "badge self" }, "you") : undefined,
      );
      if (isHost && !m.self && person !== undefined) {
        item.append(button(`Remove`, () => void this.act(() => this.session.remove(person.participantId)), { "aria-label": `Remove ${m.name}`, class: "small danger" }));
      }
      this.rosterList.append(item);
    }
    for (const [id, tile] of this.tiles) {
      if (!people.some((p) => p.participantId === id)) {
        tile.root.remove();
        this.tiles.delete(id);
      } else {
        tile.label.textContent = this.nameOf(id);
      }
    }
    const lobby = this.session.lobby();
    this.lobbySection.hidden = !isHost || lobby.length === 0;
    clear(this.lobbyList);
    for (const p of lobby) {
      this.lobbyList.append(
        el(
          "li",
          { "data-participant": p.participantId },
          el("span", { class: "name" }, p.displayName),
          button("Admit", () => void this.act(() => this.session.admit(p.participantId)), { "aria-label": `Admit ${p.displayName}`, class: "small admit" }),
          button("Deny", () => void this.act(() => this.session.deny(p.participantId)), { "aria-label": `Deny ${p.displayName}`, class: "small danger deny" }),
        ),
      );
    }
  }

  private async act(run: () => Promise<{ ok: true } | { ok: false; code: string }>): Promise<void> {
    const r = await run();
    if (!r.ok) this.showBanner(errorText(r.code));
    this.renderPeople();
  }
}
