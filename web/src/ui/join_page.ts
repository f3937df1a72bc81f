// The join page: meeting (link or ID), display name, passcode and an
// optional host key; calls onJoin with the checked fields. Beside it, a new
// meeting: name, optional passcode, waiting room; calls onCreate (the app
// creates it over the REST API and joins as its host). Shows errors.

import { el, type Child } from "./dom.js";
import { parseMeetingInput } from "./join_link.js";

export interface JoinFields {
  meetingId: string;
  displayName: string;
  passcode: string;
  hostKey: string;
}

export interface CreateFields {
  displayName: string;
  passcode: string;
  waitingRoom: boolean;
}

/** A form in a card: `<id>-form` titled by `<id>-title`; submitting calls onSubmit (no page load). */
function formCard(id: string, title: string, onSubmit: () => void, ...children: Child[]): HTMLFormElement {
  const form = el("form", { class: "card", id: `${id}-form`, "aria-labelledby": `${id}-title` }, el("h1", { id: `${id}-title` }, title), ...children);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    onSubmit();
  });
  return form;
}

function checkName(value: string): string | undefined {
  const name = value.trim();
  return name === "" || new TextEncoder().encode(name).length > 64 ? undefined : name;
}

export class JoinPage {
  readonly root: HTMLElement;
  private readonly meeting: HTMLInputElement;
  private readonly name: HTMLInputElement;
  private readonly passcode: HTMLInputElement;
  private readonly hostKey: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly error: HTMLElement;
  private readonly createName: HTMLInputElement;
  private readonly createPasscode: HTMLInputElement;
  private readonly createWaitingRoom: HTMLInputElement;
  private readonly createSubmit: HTMLButtonElement;
  private readonly createError: HTMLElement;

  constructor(
    prefilledId: string | undefined,
    private readonly onJoin: (f: JoinFields) => void,
    private readonly onCreate: (f: CreateFields) => void,
  ) {
    const field = (id: string, label: string, input: HTMLInputElement, hint?: string) =>
      el("div", { class: "field" }, el("label", { for: id }, label), input, hint ? el("p", { class: "hint" }, hint) : undefined);
    this.meeting = el("input", { id: "join-meeting", name: "meeting", autocomplete: "off", required: "" });
    if (prefilledId !== undefined) this.meeting.value = prefilledId;
    this.name = el("input", { id: "join-name", name: "name", autocomplete: "name", maxlength: "64", required: "" });
    this.passcode = el("input", { id: "join-passcode", name: "passcode", type: "password", autocomplete: "off" });
    this.hostKey = el("input", { id: "join-host-key", name: "host-key", type: "password", autocomplete: "off" });
    this.error = el("p", { class: "error", role: "alert", id: "join-error" });
    this.submit = el("button", { type: "submit", id: "join-submit" }, "Join meeting");
    const form = formCard("join", "Join a meeting", () => this.trySubmit(),
      field("join-meeting", "Meeting link or ID", this.meeting),
      field("join-name", "Your name", this.name, "Everyone in the meeting sees this name."),
      field("join-passcode", "Passcode (if the meeting has one)", this.passcode),
      el(
        "details",
        {},
        el("summary", {}, "I am a host"),
        field("join-host-key", "Host key", this.hostKey, "Hosts admit people from the waiting room and can remove participants."),
      ),
      this.error,
      this.submit,
    );
    this.createName = el("input", { id: "create-name", name: "name", autocomplete: "name", maxlength: "64", required: "" });
    this.createPasscode = el("input", { id: "create-passcode", name: "passcode", type: "password", autocomplete: "new-password", maxlength: "128" });
    this.createWaitingRoom = el("input", { id: "create-waiting-room", name: "waiting-room", type: "checkbox", checked: "" });
    this.createError = el("p", { class: "error", role: "alert", id: "create-error" });
    this.createSubmit = el("button", { type: "submit", id: "create-submit" }, "Create and join");
    const create = formCard("create", "Start a new meeting", () => this.tryCreate(),
      field("create-name", "Your name", this.createName, "You join as the meeting's host."),
      field("create-passcode", "Passcode (optional)", this.createPasscode, "Everyone without the host key must give it."),
      el(
        "div",
        { class: "field checkbox" },
        this.createWaitingRoom,
        el("label", { for: "create-waiting-room" }, "Waiting room: a host admits each person"),
      ),
      this.createError,
      this.createSubmit,
    );
    this.root = el("main", { class: "page join-page" }, form, prefilledId === undefined ? create : undefined);
  }

  /** After onCreate: an error to show (the meeting was not created). */
  showCreateError(text: string): void {
    this.createError.textContent = text;
    this.createSubmit.disabled = false;
    this.createSubmit.textContent = "Create and join";
  }

  private tryCreate(): void {
    const displayName = checkName(this.createName.value);
    if (displayName === undefined) return this.showCreateError("Enter your name (1 to 64 bytes).");
    this.createError.textContent = "";
    this.createSubmit.disabled = true;
    this.createSubmit.textContent = "Creating…";
    this.onCreate({ displayName, passcode: this.createPasscode.value, waitingRoom: this.createWaitingRoom.checked });
  }

  focus(): void {
    (this.meeting.value === "" ? this.meeting : this.name).focus();
  }

  showError(text: string): void {
    this.error.textContent = text;
    this.setBusy(false);
  }

  setBusy(busy: boolean): void {
    this.submit.disabled = busy;
    this.submit.textContent = busy ? "Joining…" : "Join meeting";
  }

  private trySubmit(): void {
    const meetingId = parseMeetingInput(this.meeting.value);
    if (meetingId === undefined) return this.showError("Enter the meeting link (https://…/j/…) or the meeting ID.");
    const displayName = checkName(this.name.value);
    if (displayName === undefined) return this.showError("Enter your name (1 to 64 bytes).");
    this.error.textContent = "";
    this.setBusy(true);
    this.onJoin({ meetingId, displayName, passcode: this.passcode.value, hostKey: this.hostKey.value.trim() });
  }
}
