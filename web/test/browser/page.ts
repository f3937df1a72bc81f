// The page of the browser system test (test/system/web_browser.ts): one
// MeetingSession over the browser's own WebSocket, configured by the URL's
// fragment (JSON: url, meetingId, displayName). Events are collected in
// window.conclaveEvents; window.conclaveSay(text) sends a chat message.
// No UI: the test reads the events through the page.

import { browserTransport, MeetingSession, type MeetingEvent } from "../../src/index.js";

declare global {
  interface Window {
    conclaveEvents: MeetingEvent[];
    conclaveSay: (text: string) => Promise<boolean>;
    conclaveLeave: () => Promise<void>;
    conclaveSframeKey: () => Promise<string>;
  }
}

const config = JSON.parse(decodeURIComponent(location.hash.slice(1))) as { url: string; meetingId: string; displayName: string };
window.conclaveEvents = [];
const session = await MeetingSession.create({
  url: config.url,
  meetingId: config.meetingId,
  displayName: config.displayName,
  transport: browserTransport,
  revealSecrets: true,
  onEvent: (e) => window.conclaveEvents.push(e),
});
window.conclaveSay = (text) => session.say(text);
window.conclaveLeave = () => session.leave();
window.conclaveSframeKey = async () => {
  const key = await session.sframeBaseKey();
  return key === undefined ? "" : Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
};
await session.start();
