// The join page: meeting (link or ID), display name, passcode and an
// optional host key. Calls onJoin with the checked fields; shows errors.

import { el } from "./dom.js";
import { parseMeetingInput } from "./join_link.js";

export interface JoinFields {
  meetingId: string;
  displayName: string;
  passcode: string;
  hostKey: string;
}

export class JoinPage {
  readonly root: HTMLElement;
  private readonly meeting: HTMLInputElement;
  private readonly name: HTMLInputElement;
  private readonly passcode: HTMLInputElement;
  private readonly hostKey: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly error: HTMLElement;

  constructor(prefilledId: string | undefined, private readonly onJoin: (f: JoinFields) => void) {
    const field = (id: string, label: string, input: HTMLInputElement, hint?: string) =>
      el("div", { class: "field" }, el("label", { for: id }, label), input, hint ? el("p", { class: "hint" }, hint) : undefined);
    this.meeting = el("input", { id: "join-meeting", name: "meeting", autocomplete: "off", required: "" });
    if (prefilledId !== undefined) this.meeting.value = prefilledId;
    this.name = el("input", { id: "join-name", name: "name", autocomplete: "name", maxlength: "64", required: "" });
    this.passcode = el("input", { id: "join-passcode", name: "passcode", type: "password", autocomplete: "off" });
    this.hostKey = el("input", { id: "join-host-key", name: "host-key", type: "password", autocomplete: "off" });
    this.error = el("p", { class: "error", role: "alert", id: "join-error" });
    this.submit = el("button", { type: "submit", id: "join-submit" }, "Join meeting");
    const form = el(
      "form",
      { class: "card", id: "join-form", "aria-labelledby": "join-title" },
      el("h1", { id: "join-title" }, "Join a meeting"),
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
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.trySubmit();
    });
    this.root = el("main", { class: "page join-page" }, form);
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
    const displayName = this.name.value.trim();
    if (displayName === "" || new TextEncoder().encode(displayName).length > 64) {
      return this.showError("Enter your name (1 to 64 bytes).");
    }
    this.error.textContent = "";
    this.setBusy(true);
    this.onJoin({ meetingId, displayName, passcode: this.passcode.value, hostKey: this.hostKey.value.trim() });
  }
}
