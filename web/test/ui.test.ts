import assert from "node:assert/strict";
import { test } from "node:test";

import { meetingIdFromPath, parseMeetingInput, signalUrl } from "../src/ui/join_link.js";
import { endText, errorText } from "../src/ui/messages.js";

test("parseMeetingInput: links and bare IDs", () => {
  assert.equal(parseMeetingInput("abc123"), "abc123");
  assert.equal(parseMeetingInput("  Ab-9_x \n"), "Ab-9_x");
  assert.equal(parseMeetingInput("https://meet.example:8443/j/Xy12"), "Xy12");
  assert.equal(parseMeetingInput("https://meet.example/j/Xy12/"), "Xy12");
  assert.equal(parseMeetingInput("https://meet.example/j/Xy12?x=1#f"), "Xy12");
  assert.equal(parseMeetingInput("/j/Xy12"), "Xy12");
  assert.equal(parseMeetingInput("j/Xy12"), "Xy12");
});

test("parseMeetingInput: refuses what is not a meeting", () => {
  for (const bad of ["", "   ", "a b", "https://meet.example/", "https://meet.example/j/", "https://x/j/a%2fb", "../x", "x".repeat(65), "https://x/j/<script>", "https://x/k/abc/def"]) {
    assert.equal(parseMeetingInput(bad), undefined, bad);
  }
});

test("meetingIdFromPath", () => {
  assert.equal(meetingIdFromPath("/j/abc"), "abc");
  assert.equal(meetingIdFromPath("/j/abc/"), "abc");
  assert.equal(meetingIdFromPath("/"), undefined);
  assert.equal(meetingIdFromPath("/j/"), undefined);
  assert.equal(meetingIdFromPath("/j/a/b"), undefined);
  assert.equal(meetingIdFromPath("/x/j/abc"), undefined);
  assert.equal(meetingIdFromPath("/j/a%20b"), undefined);
});

test("signalUrl follows the page's origin", () => {
  assert.equal(signalUrl({ protocol: "https:", host: "127.0.0.1:8443" }), "wss://127.0.0.1:8443/api/v1/signal");
  assert.equal(signalUrl({ protocol: "http:", host: "localhost:1" }), "ws://localhost:1/api/v1/signal");
});

test("error and end texts", () => {
  assert.match(errorText("bad_passcode"), /passcode is wrong/);
  assert.match(errorText("meeting_locked"), /locked/);
  assert.match(errorText("not_found"), /no meeting/);
  assert.match(errorText("weird_code"), /weird_code/);
  assert.match(endText("denied"), /did not let you in/);
  assert.match(endText("removed"), /removed/);
  assert.match(endText("failed", "bad_passcode"), /passcode is wrong/);
  assert.match(endText("failed", "connection closed (1006)"), /connection .* lost/);
  assert.match(endText("failed", "connect"), /Cannot reach/);
  assert.match(endText("failed"), /lost/);
});

test("createMeeting: the server's reply is checked; every failure is a sentence", async () => {
  const { createMeeting } = await import("../src/ui/meetings_api.js");
  const original = globalThis.fetch;
  let sent: { url: string; init: RequestInit | undefined } | undefined;
  const reply = (status: number, body: string) =>
    (globalThis.fetch = (async (url: string, init?: RequestInit) => {
      sent = { url, init };
      return new Response(body, { status, headers: { "content-type": "application/json" } });
    }) as typeof fetch);
  try {
    reply(201, JSON.stringify({ meeting_id: "m1", join_link: "https://h/j/m1", host_key: "k".repeat(43) }));
    const made = await createMeeting({ passcode: "pw", waitingRoom: false });
    assert.deepEqual(made, { ok: true, value: { meetingId: "m1", joinLink: "https://h/j/m1", hostKey: "k".repeat(43) } });
    assert.equal(sent?.url, "/api/v1/meetings");
    assert.equal(sent?.init?.method, "POST");
    assert.deepEqual(JSON.parse(String(sent?.init?.body)), { waiting_room: false, passcode: "pw" });
    reply(201, JSON.stringify({ meeting_id: "m1", join_link: "https://h/j/m1" }));
    assert.equal((await createMeeting({ passcode: "", waitingRoom: true })).ok, false, "no host key");
    assert.deepEqual(JSON.parse(String(sent?.init?.body)), { waiting_room: true }, "no empty passcode sent");
    reply(201, "not json");
    assert.equal((await createMeeting({ passcode: "", waitingRoom: true })).ok, false);
    reply(201, JSON.stringify([1, 2]));
    assert.equal((await createMeeting({ passcode: "", waitingRoom: true })).ok, false);
    reply(429, "{}");
    const limited = await createMeeting({ passcode: "", waitingRoom: true });
    assert.ok(!limited.ok && /Too many/.test(limited.error));
    reply(500, "{}");
    assert.equal((await createMeeting({ passcode: "", waitingRoom: true })).ok, false);
    globalThis.fetch = (async () => {
      throw new TypeError("network");
    }) as typeof fetch;
    const down = await createMeeting({ passcode: "", waitingRoom: true });
    assert.ok(!down.ok && /cannot be reached/.test(down.error));
  } finally {
    globalThis.fetch = original;
  }
});

test("choicesOf: the devices of one kind, each once, named when the browser gives no label", async () => {
  const { choicesOf, constraintsFor } = await import("../src/ui/device_picker.js");
  const devices = [
    { deviceId: "default", kind: "audioinput", label: "Default - Fake Default Audio Input" },
    { deviceId: "communications", kind: "audioinput", label: "Communications - Fake" },
    { deviceId: "a1", kind: "audioinput", label: "Fake Audio Input 1" },
    { deviceId: "a2", kind: "audioinput", label: "" },
    { deviceId: "a1", kind: "audioinput", label: "Fake Audio Input 1" },
    { deviceId: "v1", kind: "videoinput", label: "fake_device_0" },
    { deviceId: "", kind: "videoinput", label: "" },
    { deviceId: "o1", kind: "audiooutput", label: "Speakers" },
  ];
  assert.deepEqual(choicesOf(devices, "audioinput"), [
    { deviceId: "default", label: "Default - Fake Default Audio Input" },
    { deviceId: "a1", label: "Fake Audio Input 1" },
    { deviceId: "a2", label: "Microphone 3" },
  ]);
  assert.deepEqual(choicesOf([{ deviceId: "communications", kind: "audioinput", label: "" }], "audioinput"), [{ deviceId: "communications", label: "Microphone 1" }]);
  assert.deepEqual(choicesOf(devices, "videoinput"), [{ deviceId: "v1", label: "fake_device_0" }]);
  assert.deepEqual(choicesOf([{ deviceId: "default", kind: "audioinput", label: "" }], "audioinput"), [{ deviceId: "default", label: "Microphone 1" }]);
  assert.deepEqual(choicesOf([], "videoinput"), []);
  assert.deepEqual(constraintsFor("videoinput", "v1"), { video: { deviceId: { exact: "v1" }, width: 640, height: 360 } });
  assert.deepEqual(constraintsFor("audioinput", "a1"), { audio: { deviceId: { exact: "a1" } } });
});
